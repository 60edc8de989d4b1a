package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import java.math.BigDecimal;
import java.time.Instant;
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
import java.util.function.BiFunction;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.apiguardian.api.API;
import org.knowm.xchange.ExchangeFactory;
import org.knowm.xchange.ExchangeSpecification;
import org.knowm.xchange.okex.OkexExchange;
import org.knowm.xchange.okex.dto.OkexInstType;
import org.knowm.xchange.okex.dto.OkexResponse;
import org.knowm.xchange.okex.dto.marketdata.OkexTicker;
import org.knowm.xchange.okex.service.OkexMarketDataServiceRaw;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OKX v5 through XChange (all spot tickers in one call) and FolioSync's own signed reads for the rest: trading and
 * funding balances, fills history (all spot fills of the account, 3 months), deposit and withdrawal history (with
 * network transaction ids) and funding-account bills (Earn, staking and event rewards). The balances are read by
 * FolioSync rather than XChange because XChange 5.2.1 hides OKX's error code (its {@code OkexException} keeps it
 * private and drops the HTTP status), and the code is what tells a wrong passphrase from clock skew or an IP not on
 * the key's allow-list ({@link OkxErrors}).
 */
@API(status = INTERNAL, since = "0.1")
public final class OkxClient implements ExchangeClient {
    private static final Logger LOG = LoggerFactory.getLogger(OkxClient.class);
    static final int LIMIT = 100;
    static final String FILLS = "GET /api/v5/trade/fills-history";
    static final String DEPOSITS = "GET /api/v5/asset/deposit-history";
    static final String WITHDRAWALS = "GET /api/v5/asset/withdrawal-history";
    static final String ASSET_BILLS = "GET /api/v5/asset/bills";
    /** Funding-bill types that are income: airdrops, event rewards, staking and savings yield, commissions. */
    static final Set<String> REWARD_BILLS = Set.of("28", "48", "49", "83", "89", "150", "151", "152", "173");
    /** Funding-bill types read from deposit and withdrawal history instead (with their network tx ids). */
    static final Set<String> FUNDING_HISTORY_BILLS = Set.of("1", "2", "13");
    /** OKX wants milliseconds always written: {@code 2020-12-08T09:08:57.715Z}. */
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private final ClientContext ctx;

    @Override
    public ClientContext context() {
        return ctx;
    }
    private final OkexMarketDataServiceRaw market;

    public OkxClient(ClientContext ctx) {
        this.ctx = ctx;
        ExchangeSpecification spec = new ExchangeSpecification(OkexExchange.class);
        spec.setSslUri(ctx.xchangeUri());
        spec.setHost(ctx.baseUrl().host());
        spec.setPort(ctx.baseUrl().port());
        spec.setApiKey(ctx.apiKey().reveal());
        spec.setSecretKey(ctx.apiSecret().reveal());
        spec.setExchangeSpecificParametersItem(OkexExchange.PARAM_PASSPHRASE,
                ctx.passphrase().map(p -> p.reveal()).orElse(""));
        spec.setExchangeSpecificParametersItem(OkexExchange.PARAM_SIMULATED, ctx.sandbox() ? "1" : "0");
        // remoteInit would make three authenticated calls (instruments, currencies, fees) FolioSync never needs.
        spec.setShouldLoadRemoteMetaData(false);
        OkexExchange exchange = (OkexExchange) ExchangeFactory.INSTANCE.createExchange(spec);
        this.market = (OkexMarketDataServiceRaw) exchange.getMarketDataService();
    }

    @Override
    public List<RawBalance> balances() {
        List<RawBalance> out = new ArrayList<>();
        String tradingEndpoint = "GET /api/v5/account/balance";
        Trees t = new Trees(ctx.exchangeId(), tradingEndpoint);
        for (Object w : get("/api/v5/account/balance", tradingEndpoint, Map.of(), true)) {
            Object details = t.object(w, null, "data").get("details");
            for (Object o : details == null ? List.of() : t.list(details, null, "details")) {
                Map<String, Object> d = t.object(o, null, "details");
                String currency = t.text(d, null, "ccy");
                String bal = t.optText(d, "cashBal").orElseGet(() -> t.optText(d, "eq").orElse(null));
                out.add(new RawBalance(currency, decimal(tradingEndpoint, currency, "cashBal", bal), "trading"));
            }
        }
        String fundingEndpoint = "GET /api/v5/asset/balances";
        Trees f = new Trees(ctx.exchangeId(), fundingEndpoint);
        for (Object o : get("/api/v5/asset/balances", fundingEndpoint, Map.of(), true)) {
            Map<String, Object> b = f.object(o, null, "data");
            String currency = f.text(b, null, "ccy");
            out.add(new RawBalance(currency, decimal(fundingEndpoint, currency, "bal", f.optText(b, "bal")
                    .orElse(null)), "funding"));
        }
        return out;
    }

    @Override
    public PriceBook prices() {
        OkexResponse<List<OkexTicker>> tickers = ctx.calls().xchange("GET /api/v5/market/tickers",
                () -> checked("GET /api/v5/market/tickers", market.getOkexTickers(OkexInstType.SPOT)));
        PriceBook book = new PriceBook();
        for (OkexTicker t : tickers.getData()) {
            String[] parts = t.getInstrumentId() == null ? new String[0] : t.getInstrumentId().split("-");
            if (parts.length == 2 && t.getLast() != null) {
                book.put(parts[0], parts[1], t.getLast());
            }
        }
        return book;
    }

    @Override
    public Instant serverTime() {
        List<Object> data = get("/api/v5/public/time", "GET /api/v5/public/time", Map.of(), false);
        Trees t = new Trees(ctx.exchangeId(), "GET /api/v5/public/time");
        if (data.isEmpty()) {
            throw t.bad(null, "data", "empty");
        }
        return t.epochMillis(t.object(data.get(0), "0", null), "0", "ts");
    }

    @Override
    public PagedResult<Transaction> transactions(TransactionQuery query, String accountId) {
        Instant end = query.until().orElse(ctx.clock().instant());
        return PagedResult.concat(List.of(
                PagedResult.of(cursor -> fillsPage(query, end, cursor, accountId)),
                // Deposits and withdrawals are only imported once final; re-reading an overlap before since
                // finds those that were still pending when the cursor moved past them.
                timePaged(DEPOSITS, "/api/v5/asset/deposit-history", ctx.fundingQuery(query), end, accountId,
                        this::deposit),
                timePaged(WITHDRAWALS, "/api/v5/asset/withdrawal-history", ctx.fundingQuery(query), end, accountId,
                        this::withdrawal),
                timePaged(ASSET_BILLS, "/api/v5/asset/bills", query, end, accountId, this::assetBill)));
    }

    /** Fills history pages backwards with {@code after=<billId>}; 100 a page. */
    private Page<Transaction> fillsPage(TransactionQuery query, Instant end, Optional<String> cursor,
                                        String accountId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("instType", "SPOT");
        query.since().ifPresent(s -> params.put("begin", Long.toString(s.toEpochMilli())));
        params.put("end", Long.toString(end.toEpochMilli()));
        params.put("limit", Integer.toString(LIMIT));
        cursor.ifPresent(c -> params.put("after", c));
        List<Object> data = get("/api/v5/trade/fills-history", FILLS, params, true);
        Trees t = new Trees(ctx.exchangeId(), FILLS);
        List<Transaction> out = new ArrayList<>();
        String lastBill = null;
        for (int i = 0; i < data.size(); i++) {
            Map<String, Object> row = t.object(data.get(i), Integer.toString(i), null);
            lastBill = t.text(row, Integer.toString(i), "billId");
            Transaction tx = fill(t, row, accountId);
            if (query.contains(tx.date())) {
                out.add(tx);
            }
        }
        return data.size() >= LIMIT && lastBill != null ? Page.of(out, lastBill) : Page.last(out);
    }

    private Transaction fill(Trees t, Map<String, Object> row, String accountId) {
        String bill = t.text(row, null, "billId");
        String instId = t.text(row, bill, "instId");
        String[] pair = instId.split("-");
        if (pair.length != 2) {
            throw t.bad(bill, "instId", "not a spot instrument BASE-QUOTE: '" + instId + "'");
        }
        String side = t.text(row, bill, "side").toLowerCase(Locale.ROOT);
        BigDecimal size = t.decimal(row, bill, "fillSz");
        BigDecimal price = t.decimal(row, bill, "fillPx");
        BigDecimal fee = t.optDecimal(row, bill, "fee").orElse(BigDecimal.ZERO);
        String tradeId = t.text(row, bill, "tradeId");
        Transaction.Builder b = Transaction.builder()
                .date(t.epochMillis(row, bill, t.optText(row, "fillTime").isPresent() ? "fillTime" : "ts"))
                .symbol(pair[0])
                .type(switch (side) {
                    case "buy" -> TransactionType.BUY;
                    case "sell" -> TransactionType.SELL;
                    default -> throw t.bad(bill, "side", "expected buy or sell but was '" + side + "'");
                })
                .quantity(size)
                .price(price)
                .amount(size.multiply(price))
                .currency(pair[1])
                // OKX reports a charged fee as negative and a maker rebate as positive.
                .fees(fee.signum() < 0 ? fee.negate() : BigDecimal.ZERO)
                .sourceId(instId + "/" + tradeId)
                .accountId(accountId)
                .source(ctx.exchangeId())
                .rawType(side)
                .attribute("trade_id", tradeId)
                .attribute("bill_id", bill)
                .attribute("inst_id", instId);
        t.optText(row, "feeCcy").ifPresent(c -> b.feeCurrency(AssetCodes.normalize(c)));
        t.optText(row, "ordId").ifPresent(o -> b.attribute("order_id", o));
        if (fee.signum() > 0) {
            b.attribute("fee_rebate", fee.toPlainString());
        }
        return b.build();
    }

    /**
     * Pages a history whose cursor is a time: {@code after=<ts>} returns older records. The cursor is the oldest
     * time seen plus one millisecond, so records sharing that millisecond are read again and dropped by id
     * rather than skipped.
     */
    private PagedResult<Transaction> timePaged(String endpoint, String path, TransactionQuery query, Instant end,
                                               String accountId,
                                               BiFunction<Trees, Map<String, Object>, Optional<Transaction.Builder>> mapper) {
        Set<String> seen = new HashSet<>();
        return PagedResult.of(cursor -> {
            Map<String, String> params = new LinkedHashMap<>();
            query.since().ifPresent(s -> params.put("before", Long.toString(s.toEpochMilli() - 1)));
            params.put("after", cursor.orElse(Long.toString(end.toEpochMilli() + 1)));
            params.put("limit", Integer.toString(LIMIT));
            List<Object> data = get(path, endpoint, params, true);
            Trees t = new Trees(ctx.exchangeId(), endpoint);
            List<Transaction> out = new ArrayList<>();
            long oldest = Long.MAX_VALUE;
            for (int i = 0; i < data.size(); i++) {
                Map<String, Object> row = t.object(data.get(i), Integer.toString(i), null);
                Instant ts = t.epochMillis(row, Integer.toString(i), "ts");
                oldest = Math.min(oldest, ts.toEpochMilli());
                Optional<Transaction.Builder> b = mapper.apply(t, row);
                if (b.isEmpty()) {
                    continue;
                }
                Transaction tx = b.get().accountId(accountId).source(ctx.exchangeId()).build();
                if (query.contains(tx.date()) && seen.add(tx.sourceId().orElseThrow())) {
                    out.add(tx);
                }
            }
            if (data.size() >= LIMIT && oldest != Long.MAX_VALUE) {
                return Page.of(out, Long.toString(oldest + 1));
            }
            return Page.last(out);
        });
    }

    private Optional<Transaction.Builder> deposit(Trees t, Map<String, Object> row) {
        String id = t.text(row, null, "depId");
        String state = t.optText(row, "state").orElse("");
        if (!state.equals("2")) {
            LOG.info("{}: deposit {} is not credited yet (state {}); it is imported once it is (incremental syncs "
                    + "re-read {} days of funding history)", ctx.exchangeId(), id, state,
                    ctx.fundingOverlap().toDays());
            return Optional.empty();
        }
        return Optional.of(funding(t, row, id, TransactionType.DEPOSIT, "deposit", BigDecimal.ZERO));
    }

    private Optional<Transaction.Builder> withdrawal(Trees t, Map<String, Object> row) {
        String id = t.text(row, null, "wdId");
        String state = t.optText(row, "state").orElse("");
        if (state.equals("-1") || state.equals("-2")) {
            LOG.debug("{}: withdrawal {} failed or was cancelled (state {}); nothing left the account",
                    ctx.exchangeId(), id, state);
            return Optional.empty();
        }
        if (!state.equals("2")) {
            LOG.info("{}: withdrawal {} is not complete (state {}); it is imported once it is (incremental syncs "
                    + "re-read {} days of funding history)", ctx.exchangeId(), id, state,
                    ctx.fundingOverlap().toDays());
            return Optional.empty();
        }
        BigDecimal fee = t.optDecimal(row, id, "fee").orElse(BigDecimal.ZERO).abs();
        return Optional.of(funding(t, row, id, TransactionType.WITHDRAWAL, "withdrawal", fee));
    }

    private Transaction.Builder funding(Trees t, Map<String, Object> row, String id, TransactionType type,
                                        String raw, BigDecimal fee) {
        String ccy = AssetCodes.normalize(t.text(row, id, "ccy"));
        BigDecimal amt = t.decimal(row, id, "amt").abs();
        Transaction.Builder b = Transaction.builder()
                .date(t.epochMillis(row, id, "ts"))
                .symbol(ccy)
                .type(type)
                .quantity(amt)
                .amount(amt)
                .currency(ccy)
                .fees(fee)
                .feeCurrency(ccy)
                .sourceId(id)
                .rawType(raw);
        t.optText(row, "txId").ifPresent(tx -> b.attribute("network_tx_id", tx));
        t.optText(row, "chain").ifPresent(c -> b.attribute("chain", c));
        t.optText(row, "to").ifPresent(c -> b.attribute("address", c));
        return b;
    }

    private Optional<Transaction.Builder> assetBill(Trees t, Map<String, Object> row) {
        String id = t.text(row, null, "billId");
        String type = t.text(row, id, "type");
        if (FUNDING_HISTORY_BILLS.contains(type)) {
            return Optional.empty();
        }
        String ccy = AssetCodes.normalize(t.text(row, id, "ccy"));
        BigDecimal change = t.decimal(row, id, "balChg");
        Transaction.Builder b = Transaction.builder()
                .date(t.epochMillis(row, id, "ts"))
                .symbol(ccy)
                .type(REWARD_BILLS.contains(type) && change.signum() > 0 ? TransactionType.REWARD
                        : TransactionType.OTHER)
                .quantity(change.abs())
                .amount(change.abs())
                .currency(ccy)
                .sourceId("bill/" + id)
                .rawType("asset_bill/" + type)
                .attribute("direction", change.signum() < 0 ? "out" : "in")
                .attribute("wallet", "funding");
        return Optional.of(b);
    }

    /** A signed (or public) GET; returns {@code data} or the typed error OKX reported. */
    List<Object> get(String path, String endpoint, Map<String, String> params, boolean signed) {
        return ctx.calls().http(endpoint, () -> {
            HttpUrl.Builder ub = ctx.baseUrl().newBuilder().addPathSegments(path.substring(1));
            params.forEach(ub::addQueryParameter);
            HttpUrl url = ub.build();
            Request.Builder rb = new Request.Builder().url(url).get();
            if (signed) {
                String ts = TS.format(ctx.clock().instant().truncatedTo(ChronoUnit.MILLIS));
                String pathQuery = url.encodedPath() + (url.encodedQuery() == null ? "" : "?" + url.encodedQuery());
                rb.header("OK-ACCESS-KEY", ctx.apiKey().reveal())
                        .header("OK-ACCESS-SIGN", Signing.okx(ts, "GET", pathQuery, "", ctx.apiSecret().reveal()))
                        .header("OK-ACCESS-TIMESTAMP", ts)
                        .header("OK-ACCESS-PASSPHRASE", ctx.passphrase().map(p -> p.reveal()).orElse(""));
            }
            if (ctx.sandbox()) {
                rb.header("x-simulated-trading", "1");
            }
            Trees t = new Trees(ctx.exchangeId(), endpoint);
            // OwnGet reads OKX's code from an error answer's body; ApiClient would decide by the status alone.
            Map<String, Object> envelope = t.object(OwnGet.execute(ctx, endpoint, rb.build()), null, null);
            String code = t.optText(envelope, "code").orElse("0");
            if (!code.equals("0")) {
                throw ctx.calls().exchangeError(endpoint, OkxErrors.of(code, t.optText(envelope, "msg").orElse("")));
            }
            Object data = envelope.get("data");
            return data == null ? List.of() : t.list(data, null, "data");
        });
    }

    private <T> OkexResponse<T> checked(String endpoint, OkexResponse<T> response) {
        if (response == null) {
            throw io.foliosync.connectors.api.DataFetchException.malformed(ctx.exchangeId(), endpoint, null, null,
                    "empty response", null);
        }
        if (!response.isSuccess()) {
            throw ctx.calls().exchangeError(endpoint, OkxErrors.of(String.valueOf(response.getCode()),
                    response.getMsg() == null ? "" : response.getMsg()));
        }
        return response;
    }

    private BigDecimal decimal(String endpoint, String record, String field, String value) {
        try {
            return value == null || value.isBlank() ? BigDecimal.ZERO : new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw io.foliosync.connectors.api.DataFetchException.malformed(ctx.exchangeId(), endpoint, record, field,
                    "not a number: '" + value + "'", e);
        }
    }
}
