package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gate.io API v4, every call FolioSync's own: {@code xchange-gateio} 5.2.1 speaks Gate's retired v2 API
 * ({@code /api2/1/...}) and has none of the v4 account endpoints, so it is not used.
 *
 * <p>Spot balances ({@code /spot/accounts}), all tickers in one public call, the account's trades over every
 * pair ({@code /spot/my_trades} without {@code currency_pair}), deposits and withdrawals ({@code /wallet/...}).
 * Each history endpoint answers at most 30 days per call: it is read in 30-day windows from {@code since}
 * (or {@link #HISTORY_START}) to the end, each window paged until a short page. Signed with the v4 scheme
 * ({@link Signing#gateio}); a request more than 60 s away from Gate's clock is refused
 * ({@code REQUEST_EXPIRED}), reported as clock skew.
 */
@API(status = INTERNAL, since = "0.1")
public final class GateioClient implements ExchangeClient {
    private static final Logger LOG = LoggerFactory.getLogger(GateioClient.class);
    static final String ACCOUNTS = "GET /api/v4/spot/accounts";
    static final String TICKERS = "GET /api/v4/spot/tickers";
    static final String TIME = "GET /api/v4/spot/time";
    static final String TRADES = "GET /api/v4/spot/my_trades";
    static final String DEPOSITS = "GET /api/v4/wallet/deposits";
    static final String WITHDRAWALS = "GET /api/v4/wallet/withdrawals";
    static final int TRADE_LIMIT = 1000;
    static final int FUNDING_LIMIT = 500;
    /** Gate.io answers a history query spanning at most 30 days. */
    static final Duration WINDOW = Duration.ofDays(30);
    /** Gate.io (then Bter) opened in 2013: a full sync reads from here. */
    static final Instant HISTORY_START = Instant.parse("2013-01-01T00:00:00Z");

    private final ClientContext ctx;

    @Override
    public ClientContext context() {
        return ctx;
    }

    public GateioClient(ClientContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public List<RawBalance> balances() {
        Trees t = new Trees(ctx.exchangeId(), ACCOUNTS);
        List<RawBalance> out = new ArrayList<>();
        List<Object> rows = t.list(get("/api/v4/spot/accounts", ACCOUNTS, Map.of(), true), null, null);
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = t.object(rows.get(i), Integer.toString(i), null);
            String currency = t.text(row, Integer.toString(i), "currency");
            BigDecimal total = t.decimal(row, currency, "available")
                    .add(t.optDecimal(row, currency, "locked").orElse(BigDecimal.ZERO));
            out.add(new RawBalance(currency, total, "spot"));
        }
        return out;
    }

    @Override
    public PriceBook prices() {
        Trees t = new Trees(ctx.exchangeId(), TICKERS);
        PriceBook book = new PriceBook();
        for (Object o : t.list(get("/api/v4/spot/tickers", TICKERS, Map.of(), false), null, null)) {
            Map<String, Object> row = t.object(o, null, null);
            String pair = t.text(row, null, "currency_pair");
            String[] parts = pair.split("_");
            if (parts.length == 2) {
                t.optDecimal(row, pair, "last").ifPresent(p -> book.put(AssetCodes.normalize(parts[0]),
                        AssetCodes.normalize(parts[1]), p));
            }
        }
        return book;
    }

    @Override
    public Instant serverTime() {
        Trees t = new Trees(ctx.exchangeId(), TIME);
        return t.epochMillis(t.object(get("/api/v4/spot/time", TIME, Map.of(), false), null, null), null,
                "server_time");
    }

    @Override
    public PagedResult<Transaction> transactions(TransactionQuery query, String accountId) {
        Instant end = query.until().orElse(ctx.clock().instant());
        TransactionQuery funding = ctx.fundingQuery(query);
        return PagedResult.concat(List.of(
                windowed(TRADES, "/api/v4/spot/my_trades", query, end, TRADE_LIMIT, true, accountId, this::trade),
                windowed(DEPOSITS, "/api/v4/wallet/deposits", funding, end, FUNDING_LIMIT, false, accountId,
                        (t, row) -> funding(t, row, true)),
                windowed(WITHDRAWALS, "/api/v4/wallet/withdrawals", funding, end, FUNDING_LIMIT, false, accountId,
                        (t, row) -> funding(t, row, false))));
    }

    /**
     * 30-day windows from {@code since} (or 2013) to the end; inside a window, pages of {@code limit} rows until
     * a short one ({@code page=1,2,...} for trades, {@code offset} for the wallet). Cursor:
     * {@code windowStartSeconds:pageIndex}.
     */
    private PagedResult<Transaction> windowed(String endpoint, String path, TransactionQuery query, Instant end,
                                              int limit, boolean pageNumbers, String accountId,
                                              BiFunction<Trees, Map<String, Object>, Optional<Transaction.Builder>> mapper) {
        long first = query.since().orElse(HISTORY_START).getEpochSecond();
        long last = end.getEpochSecond();
        // Windows share their boundary second: a record read twice is returned once.
        java.util.Set<String> seen = new java.util.HashSet<>();
        return PagedResult.of(cursor -> {
            long windowStart = cursor.map(c -> Long.parseLong(c.split(":")[0])).orElse(first);
            int index = cursor.map(c -> Integer.parseInt(c.split(":")[1])).orElse(0);
            long windowEnd = Math.min(windowStart + WINDOW.toSeconds(), last);
            Map<String, String> params = new LinkedHashMap<>();
            params.put("from", Long.toString(windowStart));
            params.put("to", Long.toString(windowEnd));
            params.put("limit", Integer.toString(limit));
            if (pageNumbers) {
                params.put("page", Integer.toString(index + 1));
            } else {
                params.put("offset", Integer.toString(index * limit));
            }
            Trees t = new Trees(ctx.exchangeId(), endpoint);
            List<Object> rows = t.list(get(path, endpoint, params, true), null, null);
            List<Transaction> out = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Object> row = t.object(rows.get(i), Integer.toString(i), null);
                mapper.apply(t, row).map(b -> b.accountId(accountId).source(ctx.exchangeId()).build())
                        .filter(tx -> query.contains(tx.date()) && seen.add(tx.sourceId().orElseThrow()))
                        .ifPresent(out::add);
            }
            if (rows.size() >= limit) {
                return Page.of(out, windowStart + ":" + (index + 1));
            }
            return windowEnd < last ? Page.of(out, windowEnd + ":0") : Page.last(out);
        });
    }

    private Optional<Transaction.Builder> trade(Trees t, Map<String, Object> row) {
        String id = t.text(row, null, "id");
        String pair = t.text(row, id, "currency_pair");
        String record = pair + "/" + id;
        String[] parts = pair.split("_");
        if (parts.length != 2) {
            throw t.bad(record, "currency_pair", "expected BASE_QUOTE but was '" + pair + "'");
        }
        String side = t.text(row, record, "side");
        if (!side.equals("buy") && !side.equals("sell")) {
            throw t.bad(record, "side", "expected buy or sell but was '" + side + "'");
        }
        BigDecimal qty = t.decimal(row, record, "amount");
        BigDecimal price = t.decimal(row, record, "price");
        Instant date = t.optDecimal(row, record, "create_time_ms")
                .map(ms -> Times.fromEpochSeconds(ms.movePointLeft(3)))
                .orElseGet(() -> t.epochSeconds(row, record, "create_time"));
        Transaction.Builder b = Transaction.builder()
                .date(date)
                .symbol(AssetCodes.normalize(parts[0]))
                .type(side.equals("buy") ? TransactionType.BUY : TransactionType.SELL)
                .quantity(qty)
                .price(price)
                .amount(qty.multiply(price))
                .currency(AssetCodes.normalize(parts[1]))
                .sourceId(record)
                .rawType(side)
                .attribute("market", pair)
                .attribute("trade_id", id);
        BigDecimal fee = t.optDecimal(row, record, "fee").orElse(BigDecimal.ZERO).abs();
        BigDecimal gtFee = t.optDecimal(row, record, "gt_fee").orElse(BigDecimal.ZERO).abs();
        BigDecimal pointFee = t.optDecimal(row, record, "point_fee").orElse(BigDecimal.ZERO).abs();
        if (fee.signum() == 0 && gtFee.signum() > 0) {
            // Paid in GT (GateToken) instead of the fee currency.
            b.fees(gtFee).feeCurrency("GT");
        } else {
            b.fees(fee);
            t.optText(row, "fee_currency").ifPresent(c -> b.feeCurrency(AssetCodes.normalize(c)));
        }
        if (pointFee.signum() > 0) {
            b.attribute("point_fee", pointFee.toPlainString());
        }
        t.optText(row, "order_id").ifPresent(o -> b.attribute("order_id", o));
        t.optText(row, "role").ifPresent(r -> b.attribute("role", r));
        return Optional.of(b);
    }

    /** A deposit or withdrawal; only {@code DONE} ones are imported, others come with a later sync. */
    private Optional<Transaction.Builder> funding(Trees t, Map<String, Object> row, boolean deposit) {
        String id = t.text(row, null, "id");
        String currency = AssetCodes.normalize(t.text(row, id, "currency"));
        String status = t.optText(row, "status").orElse("");
        if (!status.equals("DONE")) {
            LOG.info("{}: {} {} is {}: skipped until done", ctx.exchangeId(), deposit ? "deposit" : "withdrawal",
                    id, status.isEmpty() ? "without status" : status);
            return Optional.empty();
        }
        BigDecimal amount = t.decimal(row, id, "amount").abs();
        Transaction.Builder b = Transaction.builder()
                .date(t.epochSeconds(row, id, "timestamp"))
                .symbol(currency)
                .type(deposit ? TransactionType.DEPOSIT : TransactionType.WITHDRAWAL)
                .quantity(amount)
                .amount(amount)
                .currency(currency)
                .fees(t.optDecimal(row, id, "fee").orElse(BigDecimal.ZERO).abs())
                .feeCurrency(currency)
                .sourceId((deposit ? "deposit/" : "withdrawal/") + id)
                .rawType(deposit ? "deposit" : "withdrawal");
        t.optText(row, "txid").ifPresent(x -> b.attribute("network_tx_id", x));
        t.optText(row, "chain").ifPresent(x -> b.attribute("network", x));
        t.optText(row, "address").ifPresent(x -> b.attribute("address", x));
        return Optional.of(b);
    }

    /** One GET; signed ones carry {@code KEY}, {@code Timestamp} and {@code SIGN}, computed on every attempt. */
    Object get(String path, String endpoint, Map<String, String> params, boolean signed) {
        return ctx.calls().http(endpoint, () -> {
            HttpUrl.Builder ub = ctx.baseUrl().newBuilder().addPathSegments(path.substring(1));
            params.forEach(ub::addQueryParameter);
            HttpUrl url = ub.build();
            Request.Builder rb = new Request.Builder().url(url).get().header("Accept", "application/json");
            if (signed) {
                String ts = Long.toString(ctx.clock().instant().getEpochSecond());
                String query = url.encodedQuery() == null ? "" : url.encodedQuery();
                rb.header("KEY", ctx.apiKey().reveal())
                        .header("Timestamp", ts)
                        .header("SIGN", Signing.gateio("GET", url.encodedPath(), query, "", ts,
                                ctx.apiSecret().reveal()));
            }
            return OwnGet.execute(ctx, endpoint, rb.build());
        });
    }
}
