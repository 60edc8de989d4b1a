package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.apiguardian.api.API;
import org.knowm.xchange.ExchangeFactory;
import org.knowm.xchange.ExchangeSpecification;
import org.knowm.xchange.huobi.HuobiExchange;
import org.knowm.xchange.huobi.dto.marketdata.HuobiAllTicker;
import org.knowm.xchange.huobi.dto.marketdata.HuobiAssetPair;
import org.knowm.xchange.huobi.service.HuobiMarketDataServiceRaw;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTX (formerly Huobi) spot. Public market data through XChange ({@code xchange-huobi} 5.2.1: all tickers in one
 * call, the symbol list with base and quote currencies); the signed reads are FolioSync's own (signature
 * version 2, {@link Signing#htx}), because XChange's private calls sign with {@code api.huobi.pro} fixed in
 * places and have no deposit-withdraw history paging.
 *
 * <p>Balances of every account of the key ({@code /v1/account/accounts}, then one balance call per account).
 * Trades: {@code /v1/order/matchresults} over all symbols, which HTX answers for at most 48 hours per call
 * and only for the last 120 days: read in 48-hour windows from {@code since} (clamped to 120 days back), a
 * full window (500) narrowed to before its oldest record. Deposits and withdrawals:
 * {@code /v1/query/deposit-withdraw}, account-wide, newest first by id, until a short page or a record
 * older than {@code since}.
 */
@API(status = INTERNAL, since = "0.1")
public final class HtxClient implements ExchangeClient {
    private static final Logger LOG = LoggerFactory.getLogger(HtxClient.class);
    static final String ACCOUNTS = "GET /v1/account/accounts";
    static final String BALANCE = "GET /v1/account/accounts/{account-id}/balance";
    static final String TICKERS = "GET /market/tickers";
    static final String SYMBOLS = "GET /v1/common/symbols";
    static final String TIME = "GET /v1/common/timestamp";
    static final String TRADES = "GET /v1/order/matchresults";
    static final String FUNDING = "GET /v1/query/deposit-withdraw";
    static final int TRADE_LIMIT = 500;
    static final int FUNDING_LIMIT = 500;
    static final Duration WINDOW = Duration.ofHours(48);
    /** HTX keeps match results queryable through the API for 120 days. */
    static final Duration TRADE_HISTORY = Duration.ofDays(120);
    /** Balance types that are the account's own holdings; {@code loan} and {@code interest} are margin debt. */
    static final Set<String> HELD = Set.of("trade", "frozen", "lock", "bank");
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final ClientContext ctx;

    @Override
    public ClientContext context() {
        return ctx;
    }
    private final HuobiMarketDataServiceRaw market;
    private final AtomicReference<List<String[]>> accounts = new AtomicReference<>();
    private final AtomicReference<Map<String, String[]>> symbols = new AtomicReference<>();

    public HtxClient(ClientContext ctx) {
        this.ctx = ctx;
        ExchangeSpecification spec = new ExchangeSpecification(HuobiExchange.class);
        spec.setSslUri(ctx.xchangeUri());
        spec.setHost(ctx.baseUrl().host());
        spec.setPort(ctx.baseUrl().port());
        spec.setShouldLoadRemoteMetaData(false);
        HuobiExchange exchange = (HuobiExchange) ExchangeFactory.INSTANCE.createExchange(spec);
        this.market = (HuobiMarketDataServiceRaw) exchange.getMarketDataService();
    }

    @Override
    public List<RawBalance> balances() {
        List<RawBalance> out = new ArrayList<>();
        for (String[] account : accounts()) {
            String path = "/v1/account/accounts/" + account[0] + "/balance";
            Trees t = new Trees(ctx.exchangeId(), BALANCE);
            Map<String, Object> data = t.object(get(path, BALANCE, Map.of()), account[0], "data");
            Object list = data.get("list");
            for (Object o : list == null ? List.of() : t.list(list, account[0], "list")) {
                Map<String, Object> row = t.object(o, account[0], "list");
                String currency = t.text(row, account[0], "currency");
                if (HELD.contains(t.optText(row, "type").orElse("trade"))) {
                    out.add(new RawBalance(currency, t.decimal(row, account[0] + "/" + currency, "balance"),
                            account[1]));
                }
            }
        }
        return out;
    }

    /** @return {@code [id, type]} of every working account of the key, read once */
    private List<String[]> accounts() {
        List<String[]> cached = accounts.get();
        if (cached != null) {
            return cached;
        }
        Trees t = new Trees(ctx.exchangeId(), ACCOUNTS);
        List<String[]> out = new ArrayList<>();
        for (Object o : t.list(get("/v1/account/accounts", ACCOUNTS, Map.of()), null, "data")) {
            Map<String, Object> row = t.object(o, null, "data");
            String id = t.text(row, null, "id");
            if (t.optText(row, "state").orElse("working").equals("working")) {
                out.add(new String[] {id, t.optText(row, "type").orElse("spot")});
            }
        }
        accounts.set(List.copyOf(out));
        return out;
    }

    @Override
    public PriceBook prices() {
        Map<String, String[]> known = symbols();
        HuobiAllTicker[] tickers = ctx.calls().xchange(TICKERS, market::getHuobiAllTickers);
        PriceBook book = new PriceBook();
        for (HuobiAllTicker ticker : tickers) {
            String[] pair = ticker.getSymbol() == null ? null : known.get(ticker.getSymbol());
            if (pair != null) {
                book.put(pair[0], pair[1], ticker.getClose());
            }
        }
        return book;
    }

    /** @return base and quote (normalized) of every symbol, read once through XChange */
    Map<String, String[]> symbols() {
        Map<String, String[]> cached = symbols.get();
        if (cached != null) {
            return cached;
        }
        HuobiAssetPair[] pairs = ctx.calls().xchange(SYMBOLS, market::getHuobiAssetPairs);
        Map<String, String[]> map = new LinkedHashMap<>();
        for (HuobiAssetPair p : pairs) {
            if (p.getSymbol() != null && p.getBaseCurrency() != null && p.getQuoteCurrency() != null) {
                map.put(p.getSymbol(), new String[] {AssetCodes.normalize(p.getBaseCurrency()),
                        AssetCodes.normalize(p.getQuoteCurrency())});
            }
        }
        symbols.set(Map.copyOf(map));
        return map;
    }

    @Override
    public Instant serverTime() {
        Object data = get("/v1/common/timestamp", TIME, Map.of(), false);
        Trees t = new Trees(ctx.exchangeId(), TIME);
        return t.epochMillis(java.util.Collections.singletonMap("data", data), null, "data");
    }

    @Override
    public PagedResult<Transaction> transactions(TransactionQuery query, String accountId) {
        Instant end = query.until().orElse(ctx.clock().instant());
        TransactionQuery funding = ctx.fundingQuery(query);
        return PagedResult.concat(List.of(trades(query, end, accountId),
                funding("deposit", funding, accountId), funding("withdraw", funding, accountId)));
    }

    /** Match results in 48-hour windows; the cursor is {@code windowStartMillis:windowEndMillis}. */
    private PagedResult<Transaction> trades(TransactionQuery query, Instant end, String accountId) {
        Instant oldest = end.minus(TRADE_HISTORY);
        Instant first = query.since().filter(s -> s.isAfter(oldest)).orElse(oldest);
        if (query.since().isEmpty() || query.since().get().isBefore(oldest)) {
            LOG.info("{}: HTX answers match results of the last 120 days only: trades before {} are not read",
                    ctx.exchangeId(), oldest);
        }
        Set<String> seen = new HashSet<>();
        return PagedResult.of(cursor -> {
            long start = cursor.map(c -> Long.parseLong(c.split(":")[0])).orElse(first.toEpochMilli());
            long stop = cursor.map(c -> Long.parseLong(c.split(":")[1]))
                    .orElse(Math.min(start + WINDOW.toMillis(), end.toEpochMilli()));
            Map<String, String> params = new LinkedHashMap<>();
            params.put("start-time", Long.toString(start));
            params.put("end-time", Long.toString(stop));
            params.put("size", Integer.toString(TRADE_LIMIT));
            Trees t = new Trees(ctx.exchangeId(), TRADES);
            List<Object> rows = t.list(get("/v1/order/matchresults", TRADES, params), null, "data");
            List<Transaction> out = new ArrayList<>();
            long earliest = Long.MAX_VALUE;
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Object> row = t.object(rows.get(i), Integer.toString(i), null);
                Transaction tx = trade(t, row, accountId);
                earliest = Math.min(earliest, tx.date().toEpochMilli());
                if (query.contains(tx.date()) && seen.add(tx.sourceId().orElseThrow())) {
                    out.add(tx);
                }
            }
            if (rows.size() >= TRADE_LIMIT && earliest > start) {
                // Newest first: the rest of the window lies before the oldest record (its ms read again).
                return Page.of(out, start + ":" + earliest);
            }
            long windowEnd = Math.min(start + WINDOW.toMillis(), end.toEpochMilli());
            return windowEnd < end.toEpochMilli()
                    ? Page.of(out, windowEnd + ":" + Math.min(windowEnd + WINDOW.toMillis(), end.toEpochMilli()))
                    : Page.last(out);
        });
    }

    private Transaction trade(Trees t, Map<String, Object> row, String accountId) {
        String id = t.text(row, null, "id");
        String symbol = t.text(row, id, "symbol");
        String record = symbol + "/" + id;
        String[] pair = symbols().get(symbol);
        if (pair == null) {
            throw t.bad(record, "symbol", "'" + symbol + "' is not in " + SYMBOLS);
        }
        String type = t.text(row, record, "type");
        if (!type.startsWith("buy") && !type.startsWith("sell")) {
            throw t.bad(record, "type", "expected buy-… or sell-… but was '" + type + "'");
        }
        boolean buy = type.startsWith("buy");
        BigDecimal qty = t.decimal(row, record, "filled-amount");
        BigDecimal price = t.decimal(row, record, "price");
        Transaction.Builder b = Transaction.builder()
                .date(t.epochMillis(row, record, "created-at"))
                .symbol(pair[0])
                .type(buy ? TransactionType.BUY : TransactionType.SELL)
                .quantity(qty)
                .price(price)
                .amount(qty.multiply(price))
                .currency(pair[1])
                .sourceId(record)
                .accountId(accountId)
                .source(ctx.exchangeId())
                .rawType(type)
                .attribute("market", symbol);
        Optional<String> deduct = t.optText(row, "fee-deduct-currency");
        BigDecimal points = t.optDecimal(row, record, "filled-points").orElse(BigDecimal.ZERO).abs();
        if (deduct.isPresent() && points.signum() > 0) {
            // Fee paid in HT or HTX point cards instead of the fee currency.
            b.fees(points).feeCurrency(AssetCodes.normalize(deduct.get()));
        } else {
            b.fees(t.optDecimal(row, record, "filled-fees").orElse(BigDecimal.ZERO).abs());
            t.optText(row, "fee-currency").ifPresent(c -> b.feeCurrency(AssetCodes.normalize(c)));
        }
        t.optText(row, "order-id").ifPresent(o -> b.attribute("order_id", o));
        t.optText(row, "trade-id").ifPresent(o -> b.attribute("trade_id", o));
        t.optText(row, "role").ifPresent(o -> b.attribute("role", o));
        return b.build();
    }

    /**
     * Deposit or withdrawal history, newest first: pages {@code from} the smallest id seen so far, until a short
     * page or a record older than {@code since}. Final only: deposits {@code safe} or {@code confirmed},
     * withdrawals {@code confirmed}.
     */
    private PagedResult<Transaction> funding(String type, TransactionQuery query, String accountId) {
        Set<String> seen = new HashSet<>();
        boolean deposit = type.equals("deposit");
        return PagedResult.of(cursor -> {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("type", type);
            params.put("size", Integer.toString(FUNDING_LIMIT));
            params.put("direct", "next");
            cursor.ifPresent(c -> params.put("from", c));
            Trees t = new Trees(ctx.exchangeId(), FUNDING);
            List<Object> rows = t.list(get("/v1/query/deposit-withdraw", FUNDING, params), null, "data");
            List<Transaction> out = new ArrayList<>();
            long smallest = Long.MAX_VALUE;
            boolean older = false;
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Object> row = t.object(rows.get(i), Integer.toString(i), null);
                String id = t.text(row, Integer.toString(i), "id");
                try {
                    smallest = Math.min(smallest, Long.parseLong(id));
                } catch (NumberFormatException e) {
                    throw t.bad(type + "/" + id, "id", "not a number: '" + id + "'");
                }
                Instant date = t.epochMillis(row, type + "/" + id, "created-at");
                older |= query.since().filter(date::isBefore).isPresent();
                if (!seen.add(id) || !query.contains(date)) {
                    continue;
                }
                String state = t.optText(row, "state").orElse("");
                boolean done = deposit ? state.equals("safe") || state.equals("confirmed") : state.equals("confirmed");
                if (!done) {
                    LOG.info("{}: {} {} is {}: skipped until final", ctx.exchangeId(), type, id, state);
                    continue;
                }
                out.add(fundingRecord(t, row, id, date, deposit, accountId));
            }
            return rows.size() >= FUNDING_LIMIT && !older && smallest > 1
                    ? Page.of(out, Long.toString(smallest - 1)) : Page.last(out);
        });
    }

    private Transaction fundingRecord(Trees t, Map<String, Object> row, String id, Instant date, boolean deposit,
                                      String accountId) {
        String record = (deposit ? "deposit/" : "withdrawal/") + id;
        String currency = AssetCodes.normalize(t.text(row, record, "currency"));
        BigDecimal amount = t.decimal(row, record, "amount").abs();
        Transaction.Builder b = Transaction.builder()
                .date(date)
                .symbol(currency)
                .type(deposit ? TransactionType.DEPOSIT : TransactionType.WITHDRAWAL)
                .quantity(amount)
                .amount(amount)
                .currency(currency)
                .fees(t.optDecimal(row, record, "fee").orElse(BigDecimal.ZERO).abs())
                .feeCurrency(currency)
                .sourceId(record)
                .accountId(accountId)
                .source(ctx.exchangeId())
                .rawType(deposit ? "deposit" : "withdraw");
        t.optText(row, "tx-hash").ifPresent(x -> b.attribute("network_tx_id", x));
        t.optText(row, "chain").ifPresent(x -> b.attribute("network", x));
        t.optText(row, "address").ifPresent(x -> b.attribute("address", x));
        return b.build();
    }

    private Object get(String path, String endpoint, Map<String, String> params) {
        return get(path, endpoint, params, true);
    }

    /**
     * One GET. Signed calls carry {@code AccessKeyId}, {@code SignatureMethod=HmacSHA256},
     * {@code SignatureVersion=2}, {@code Timestamp} (UTC, seconds) and the {@code Signature} over the sorted,
     * encoded query, computed on every attempt.
     *
     * @return the {@code data} of HTX's {@code {"status":"ok","data":...}} envelope
     */
    Object get(String path, String endpoint, Map<String, String> params, boolean signed) {
        return ctx.calls().http(endpoint, () -> {
            Map<String, String> all = new TreeMap<>(params);
            if (signed) {
                all.put("AccessKeyId", ctx.apiKey().reveal());
                all.put("SignatureMethod", "HmacSHA256");
                all.put("SignatureVersion", "2");
                all.put("Timestamp", TS.format(ctx.clock().instant().truncatedTo(ChronoUnit.SECONDS)));
            }
            String query = all.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                    .collect(Collectors.joining("&"));
            HttpUrl.Builder ub = ctx.baseUrl().newBuilder().addPathSegments(path.substring(1));
            HttpUrl unsigned = ub.build();
            if (!query.isEmpty()) {
                ub.encodedQuery(query);
            }
            if (signed) {
                String signature = Signing.htx("GET", unsigned.host().toLowerCase(Locale.ROOT),
                        unsigned.encodedPath(), query, ctx.apiSecret().reveal());
                ub.encodedQuery(query + "&Signature=" + encode(signature));
            }
            Request request = new Request.Builder().url(ub.build()).get().header("Accept", "application/json").build();
            Trees t = new Trees(ctx.exchangeId(), endpoint);
            Map<String, Object> envelope = t.object(OwnGet.execute(ctx, endpoint, request), null, null);
            String status = t.optText(envelope, "status").orElse("");
            if (!status.equals("ok")) {
                throw ctx.calls().exchangeError(endpoint, HtxErrors.of(envelope));
            }
            if (!envelope.containsKey("data")) {
                throw t.bad(null, "data", "missing");
            }
            return envelope.get("data");
        });
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
