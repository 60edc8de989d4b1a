package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coinbase (retail accounts), every call FolioSync's own, authenticated with a CDP API key (JWT ES256,
 * {@link CoinbaseJwt}): XChange 5.2.1 has no CDP authentication ({@code xchange-coinbase} signs with the
 * retired v2 HMAC keys, {@code xchange-coinbasepro} talks to the institutional Exchange API).
 *
 * <p>Advanced Trade API v3: balances ({@code /api/v3/brokerage/accounts}, one account per currency), all spot
 * products with their price in one public call, and the account's fills over every product
 * ({@code /orders/historical/fills}, cursor-paged, {@code start_sequence_timestamp} = {@code since}).
 * Coinbase App API v2, per account (Coinbase has no account-wide history): {@code /transactions} for crypto
 * sends and receives (with the network hash), rewards and simple buys and sells; {@code /deposits} and
 * {@code /withdrawals} of fiat accounts (with fees). v2 lists are newest first and have no time filter: a page
 * is read while its records are newer than {@code since} minus the funding overlap (the v2 records of that
 * overlap come again, as deposit and withdrawal history does on the other exchanges). An incremental sync skips accounts whose
 * {@code updated_at} is before {@code since} minus the funding overlap.
 */
@API(status = INTERNAL, since = "0.1")
public final class CoinbaseClient implements ExchangeClient {
    private static final Logger LOG = LoggerFactory.getLogger(CoinbaseClient.class);
    static final String ACCOUNTS = "GET /api/v3/brokerage/accounts";
    static final String PRODUCTS = "GET /api/v3/brokerage/market/products";
    static final String TIME = "GET /api/v3/brokerage/time";
    static final String FILLS = "GET /api/v3/brokerage/orders/historical/fills";
    static final String TRANSACTIONS = "GET /v2/accounts/{id}/transactions";
    static final String DEPOSITS = "GET /v2/accounts/{id}/deposits";
    static final String WITHDRAWALS = "GET /v2/accounts/{id}/withdrawals";
    static final int LIMIT = 250;
    static final int V2_LIMIT = 100;
    /** v2 transaction types read elsewhere: fills from v3, fiat movements from /deposits and /withdrawals. */
    static final Set<String> READ_ELSEWHERE = Set.of("advanced_trade_fill", "fiat_deposit", "fiat_withdrawal",
            "exchange_deposit", "exchange_withdrawal", "pro_deposit", "pro_withdrawal");
    static final Set<String> REWARDS = Set.of("staking_reward", "inflation_reward", "interest", "earn_payout",
            "incentives_rewards_payout", "reward", "coinbase_earn_reward");

    record Wallet(String id, String currency, boolean fiat, Optional<Instant> updatedAt) {
    }

    private final ClientContext ctx;

    @Override
    public ClientContext context() {
        return ctx;
    }
    private final CoinbaseJwt jwt;
    private final AtomicReference<List<Wallet>> wallets = new AtomicReference<>();

    public CoinbaseClient(ClientContext ctx) {
        this.ctx = ctx;
        this.jwt = new CoinbaseJwt(ctx.exchangeId(), ctx.apiKey().reveal(), ctx.apiSecret().reveal());
    }

    @Override
    public List<RawBalance> balances() {
        List<RawBalance> out = new ArrayList<>();
        List<Wallet> list = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        Trees t = new Trees(ctx.exchangeId(), ACCOUNTS);
        do {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("limit", Integer.toString(LIMIT));
            cursor.ifPresent(c -> params.put("cursor", c));
            Map<String, Object> body = t.object(get("/api/v3/brokerage/accounts", ACCOUNTS, params, true), null, null);
            for (Object o : t.list(body.get("accounts"), null, "accounts")) {
                Map<String, Object> row = t.object(o, null, "accounts");
                String uuid = t.text(row, null, "uuid");
                String currency = t.text(row, uuid, "currency");
                BigDecimal total = money(t, row, uuid, "available_balance")
                        .add(row.get("hold") == null ? BigDecimal.ZERO : money(t, row, uuid, "hold"));
                out.add(new RawBalance(currency, total, "spot"));
                list.add(new Wallet(uuid, AssetCodes.normalize(currency),
                        t.optText(row, "type").orElse("").contains("FIAT"),
                        t.optText(row, "updated_at").map(s -> time(t, uuid, "updated_at", s))));
            }
            boolean more = Boolean.TRUE.equals(body.get("has_next"));
            cursor = more ? t.optText(body, "cursor") : Optional.empty();
        } while (cursor.isPresent());
        wallets.set(List.copyOf(list));
        return out;
    }

    private static BigDecimal money(Trees t, Map<String, Object> row, String record, String field) {
        return sub(t, t.object(row.get(field), record, field), record, field, "value");
    }

    /** @return the decimal {@code key} of the nested object {@code field}, errors naming {@code field.key} */
    private static BigDecimal sub(Trees t, Map<String, Object> object, String record, String field, String key) {
        String text = subText(t, object, record, field, key);
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw t.bad(record, field + "." + key, "not a number: '" + text + "'");
        }
    }

    private static String subText(Trees t, Map<String, Object> object, String record, String field, String key) {
        return t.optText(object, key).orElseThrow(() -> t.bad(record, field + "." + key, "missing"));
    }

    @Override
    public PriceBook prices() {
        Trees t = new Trees(ctx.exchangeId(), PRODUCTS);
        Map<String, Object> body = t.object(get("/api/v3/brokerage/market/products", PRODUCTS,
                Map.of("product_type", "SPOT"), false), null, null);
        PriceBook book = new PriceBook();
        for (Object o : t.list(body.get("products"), null, "products")) {
            Map<String, Object> row = t.object(o, null, "products");
            String id = t.text(row, null, "product_id");
            Optional<String> base = t.optText(row, "base_currency_id");
            Optional<String> quote = t.optText(row, "quote_currency_id");
            if (base.isPresent() && quote.isPresent()) {
                t.optDecimal(row, id, "price").ifPresent(p -> book.put(AssetCodes.normalize(base.get()),
                        AssetCodes.normalize(quote.get()), p));
            }
        }
        return book;
    }

    @Override
    public Instant serverTime() {
        Trees t = new Trees(ctx.exchangeId(), TIME);
        return t.epochMillis(t.object(get("/api/v3/brokerage/time", TIME, Map.of(), false), null, null), null,
                "epochMillis");
    }

    @Override
    public PagedResult<Transaction> transactions(TransactionQuery query, String accountId) {
        if (wallets.get() == null) {
            balances();
        }
        TransactionQuery funding = ctx.fundingQuery(query);
        Instant skipBefore = funding.since().orElse(Instant.MIN);
        List<PagedResult<Transaction>> parts = new ArrayList<>();
        parts.add(PagedResult.of(cursor -> fillsPage(query, cursor, accountId)));
        for (Wallet w : wallets.get()) {
            if (w.updatedAt().filter(u -> u.isBefore(skipBefore)).isPresent()) {
                continue;
            }
            parts.add(v2(TRANSACTIONS, "/v2/accounts/" + w.id() + "/transactions", funding, funding, accountId,
                    this::transaction));
            if (w.fiat()) {
                parts.add(v2(DEPOSITS, "/v2/accounts/" + w.id() + "/deposits", funding, funding, accountId,
                        (t, row) -> fiat(t, row, true)));
                parts.add(v2(WITHDRAWALS, "/v2/accounts/" + w.id() + "/withdrawals", funding, funding, accountId,
                        (t, row) -> fiat(t, row, false)));
            }
        }
        return PagedResult.concat(parts);
    }

    private Page<Transaction> fillsPage(TransactionQuery query, Optional<String> cursor, String accountId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("limit", Integer.toString(LIMIT));
        query.since().ifPresent(s -> params.put("start_sequence_timestamp", s.toString()));
        query.until().ifPresent(u -> params.put("end_sequence_timestamp", u.toString()));
        cursor.ifPresent(c -> params.put("cursor", c));
        Trees t = new Trees(ctx.exchangeId(), FILLS);
        Map<String, Object> body = t.object(get("/api/v3/brokerage/orders/historical/fills", FILLS, params, true),
                null, null);
        List<Transaction> out = new ArrayList<>();
        for (Object o : t.list(body.get("fills"), null, "fills")) {
            Transaction tx = fill(t, t.object(o, null, "fills"), accountId);
            if (query.contains(tx.date())) {
                out.add(tx);
            }
        }
        Optional<String> next = t.optText(body, "cursor");
        return next.isPresent() ? Page.of(out, next.get()) : Page.last(out);
    }

    private Transaction fill(Trees t, Map<String, Object> row, String accountId) {
        String entry = t.text(row, null, "entry_id");
        String product = t.text(row, entry, "product_id");
        String record = product + "/" + entry;
        String[] pair = product.split("-");
        if (pair.length != 2) {
            throw t.bad(record, "product_id", "expected BASE-QUOTE but was '" + product + "'");
        }
        String side = t.text(row, record, "side");
        if (!side.equals("BUY") && !side.equals("SELL")) {
            throw t.bad(record, "side", "expected BUY or SELL but was '" + side + "'");
        }
        BigDecimal price = t.decimal(row, record, "price");
        BigDecimal size = t.decimal(row, record, "size");
        boolean inQuote = Boolean.TRUE.equals(row.get("size_in_quote"));
        BigDecimal qty = inQuote ? size.divide(price, PriceBook.MC) : size;
        Transaction.Builder b = Transaction.builder()
                .date(time(t, record, "trade_time", t.text(row, record, "trade_time")))
                .symbol(AssetCodes.normalize(pair[0]))
                .type(side.equals("BUY") ? TransactionType.BUY : TransactionType.SELL)
                .quantity(qty)
                .price(price)
                .amount(inQuote ? size : size.multiply(price))
                .currency(AssetCodes.normalize(pair[1]))
                // Coinbase charges trading fees in the quote currency.
                .fees(t.optDecimal(row, record, "commission").orElse(BigDecimal.ZERO).abs())
                .feeCurrency(AssetCodes.normalize(pair[1]))
                .sourceId("fill/" + entry)
                .accountId(accountId)
                .source(ctx.exchangeId())
                .rawType(side.toLowerCase(java.util.Locale.ROOT))
                .attribute("market", product);
        t.optText(row, "trade_id").ifPresent(x -> b.attribute("trade_id", x));
        t.optText(row, "order_id").ifPresent(x -> b.attribute("order_id", x));
        t.optText(row, "liquidity_indicator").ifPresent(x -> b.attribute("liquidity", x));
        return b.build();
    }

    @FunctionalInterface
    private interface RowMapper {
        Optional<Transaction.Builder> map(Trees t, Map<String, Object> row);
    }

    /**
     * One v2 list, newest first, {@code next_uri} to the following page; stops after a page holding a record
     * created before {@code stopBefore.since}. Returned: records completed and in {@code range}.
     */
    private PagedResult<Transaction> v2(String endpoint, String firstPath, TransactionQuery range,
                                        TransactionQuery stopBefore, String accountId, RowMapper mapper) {
        Set<String> seen = new HashSet<>();
        return PagedResult.of(cursor -> {
            String pathAndQuery = cursor.orElse(firstPath + "?limit=" + V2_LIMIT + "&order=desc");
            HttpUrl url = HttpUrl.parse(ctx.baseUrl().toString().replaceAll("/$", "") + pathAndQuery);
            if (url == null) {
                throw new Trees(ctx.exchangeId(), endpoint).bad(null, "pagination.next_uri",
                        "not a path: '" + pathAndQuery + "'");
            }
            Trees t = new Trees(ctx.exchangeId(), endpoint);
            Map<String, Object> body = t.object(get(url, endpoint, true), null, null);
            List<Transaction> out = new ArrayList<>();
            boolean older = false;
            for (Object o : t.list(body.get("data"), null, "data")) {
                Map<String, Object> row = t.object(o, null, "data");
                String id = t.text(row, null, "id");
                Instant created = time(t, id, "created_at", t.text(row, id, "created_at"));
                older |= stopBefore.since().filter(created::isBefore).isPresent();
                if (!seen.add(id) || !range.contains(created)
                        || !t.optText(row, "status").orElse("completed").equals("completed")) {
                    continue;
                }
                mapper.map(t, row).map(b -> b.date(created).accountId(accountId).source(ctx.exchangeId()).build())
                        .ifPresent(out::add);
            }
            Optional<String> next = body.get("pagination") instanceof Map<?, ?> p
                    ? t.optText(t.object(p, null, "pagination"), "next_uri") : Optional.empty();
            return next.isPresent() && !older ? Page.of(out, next.get()) : Page.last(out);
        });
    }

    /** A v2 transaction: crypto sends and receives, rewards, simple buys and sells; fills are read from v3. */
    private Optional<Transaction.Builder> transaction(Trees t, Map<String, Object> row) {
        String id = t.text(row, null, "id");
        String type = t.text(row, id, "type");
        if (READ_ELSEWHERE.contains(type)) {
            return Optional.empty();
        }
        Map<String, Object> amount = t.object(row.get("amount"), id, "amount");
        BigDecimal value = sub(t, amount, id, "amount", "amount");
        String currency = AssetCodes.normalize(subText(t, amount, id, "amount", "currency"));
        BigDecimal qty = value.abs();
        TransactionType kind = switch (type) {
            case "send" -> value.signum() < 0 ? TransactionType.WITHDRAWAL : TransactionType.DEPOSIT;
            case "buy" -> TransactionType.BUY;
            case "sell" -> TransactionType.SELL;
            case "transfer" -> value.signum() < 0 ? TransactionType.TRANSFER_OUT : TransactionType.TRANSFER_IN;
            default -> REWARDS.contains(type) ? TransactionType.REWARD : TransactionType.OTHER;
        };
        Transaction.Builder b = Transaction.builder().symbol(currency).type(kind).quantity(qty)
                .sourceId("v2/" + id).rawType(type).fees(BigDecimal.ZERO);
        if (kind == TransactionType.BUY || kind == TransactionType.SELL) {
            // v2 gives the value in the user's native currency, fees included; the fee itself is not listed.
            Map<String, Object> nativeAmount = t.object(row.get("native_amount"), id, "native_amount");
            BigDecimal paid = sub(t, nativeAmount, id, "native_amount", "amount").abs();
            b.amount(paid).currency(AssetCodes.normalize(subText(t, nativeAmount, id, "native_amount", "currency")))
                    .price(qty.signum() == 0 ? null : paid.divide(qty, PriceBook.MC))
                    .attribute("amount_includes_fees", "true");
        } else {
            b.amount(qty).currency(currency);
        }
        if (row.get("network") instanceof Map<?, ?> n) {
            Map<String, Object> network = t.object(n, id, "network");
            t.optText(network, "hash").ifPresent(h -> b.attribute("network_tx_id", h));
            t.optText(network, "name").ifPresent(h -> b.attribute("network", h));
            if (network.get("transaction_fee") instanceof Map<?, ?> f) {
                Map<String, Object> fee = t.object(f, id, "network.transaction_fee");
                b.fees(sub(t, fee, id, "network.transaction_fee", "amount").abs())
                        .feeCurrency(AssetCodes.normalize(subText(t, fee, id, "network.transaction_fee", "currency")));
            }
        }
        if (row.get("details") instanceof Map<?, ?> d) {
            t.optText(t.object(d, id, "details"), "title").ifPresent(b::description);
        }
        return Optional.of(b);
    }

    /** A fiat deposit or withdrawal (bank, card), with its fee. */
    private Optional<Transaction.Builder> fiat(Trees t, Map<String, Object> row, boolean deposit) {
        String id = t.text(row, null, "id");
        Map<String, Object> amount = t.object(row.get("amount"), id, "amount");
        String currency = AssetCodes.normalize(subText(t, amount, id, "amount", "currency"));
        BigDecimal qty = sub(t, amount, id, "amount", "amount").abs();
        Transaction.Builder b = Transaction.builder().symbol(currency)
                .type(deposit ? TransactionType.DEPOSIT : TransactionType.WITHDRAWAL)
                .quantity(qty).amount(qty).currency(currency)
                .sourceId((deposit ? "deposit/" : "withdrawal/") + id)
                .rawType(deposit ? "fiat_deposit" : "fiat_withdrawal")
                .fees(BigDecimal.ZERO).feeCurrency(currency);
        if (row.get("fee") instanceof Map<?, ?> f) {
            b.fees(sub(t, t.object(f, id, "fee"), id, "fee", "amount").abs());
        }
        if (row.get("transaction") instanceof Map<?, ?> tx) {
            t.optText(t.object(tx, id, "transaction"), "id").ifPresent(x -> b.attribute("transaction_id", x));
        }
        return Optional.of(b);
    }

    private static Instant time(Trees t, String record, String field, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw t.bad(record, field, "not an RFC 3339 time: '" + text + "'");
        }
    }

    private Object get(String path, String endpoint, Map<String, String> params, boolean signed) {
        HttpUrl.Builder ub = ctx.baseUrl().newBuilder().addPathSegments(path.substring(1));
        params.forEach(ub::addQueryParameter);
        return get(ub.build(), endpoint, signed);
    }

    /** One GET; a signed one carries a fresh JWT (new nonce, new 2-minute validity) on every attempt. */
    private Object get(HttpUrl url, String endpoint, boolean signed) {
        return ctx.calls().http(endpoint, () -> {
            Request.Builder rb = new Request.Builder().url(url).get().header("Accept", "application/json");
            if (signed) {
                rb.header("Authorization", "Bearer " + jwt.token("GET", url.host() + url.encodedPath(),
                        ctx.clock().instant()));
            }
            return OwnGet.execute(ctx, endpoint, rb.build());
        });
    }
}
