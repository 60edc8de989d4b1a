package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.http.ApiClient;
import io.foliosync.connectors.api.http.RetryAfter;
import io.foliosync.connectors.api.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.apiguardian.api.API;
import org.knowm.xchange.ExchangeFactory;
import org.knowm.xchange.ExchangeSpecification;
import org.knowm.xchange.binance.BinanceExchange;
import org.knowm.xchange.binance.service.BinanceMarketDataServiceRaw;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binance spot. Only the server time goes through XChange ({@code xchange-binance} 5.2.1); every other call is
 * FolioSync's own, because the history endpoints need what XChange does not give: the
 * {@code X-MBX-USED-WEIGHT-1M} header of each answer, 429 and 418 handling with {@code Retry-After}, and
 * exchange info with base and quote assets (XChange 5.2.1's {@code Symbol} has neither).
 *
 * <p>Binance has no account-wide trade list: {@code myTrades} answers per symbol. The symbols read are derived:
 * every listed market whose base and quote are both among the account's assets (balances, deposits,
 * withdrawals, dividends, dust), or whose base is one and quote a major quote asset, plus configured
 * {@code markets} and markets seen earlier by this client. A full sync pages each symbol by {@code fromId}
 * (1,000 a page, oldest first); an incremental one reads 24-hour windows from {@code since} (Binance refuses
 * longer spans), or pages by {@code fromId} when {@code since} is more than 7 days back.
 */
@API(status = INTERNAL, since = "0.1")
public final class BinanceClient implements ExchangeClient {
    private static final Logger LOG = LoggerFactory.getLogger(BinanceClient.class);
    static final String ACCOUNT = "GET /api/v3/account";
    static final String TRADES = "GET /api/v3/myTrades";
    static final String INFO = "GET /api/v3/exchangeInfo";
    static final String PRICES = "GET /api/v3/ticker/price";
    static final String DEPOSITS = "GET /sapi/v1/capital/deposit/hisrec";
    static final String WITHDRAWALS = "GET /sapi/v1/capital/withdraw/history";
    static final String DIVIDENDS = "GET /sapi/v1/asset/assetDividend";
    static final String DUST = "GET /sapi/v1/asset/dribblet";
    /** Request weights of the {@code /api/v3} calls, as Binance documents them. */
    static final int W_ACCOUNT = 20;
    static final int W_TRADES = 20;
    static final int W_INFO = 20;
    static final int W_PRICES = 4;
    static final int W_TIME = 1;
    static final int TRADE_LIMIT = 1000;
    static final int FUNDING_LIMIT = 1000;
    static final int DIVIDEND_LIMIT = 500;
    /** Binance's deposit and withdrawal history answers spans of at most 90 days. */
    static final Duration FUNDING_WINDOW = Duration.ofDays(90);
    static final Duration TRADE_WINDOW = Duration.ofHours(24);
    static final Duration MAX_WINDOWED = Duration.ofDays(7);
    /** Binance opened in July 2017: nothing older exists. */
    static final Instant HISTORY_START = Instant.parse("2017-07-01T00:00:00Z");
    static final Set<String> MAJOR_QUOTES = Set.of("USDT", "USDC", "FDUSD", "BUSD", "BTC", "ETH", "BNB", "EUR");
    private static final DateTimeFormatter UTC_TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ClientContext ctx;

    @Override
    public ClientContext context() {
        return ctx;
    }
    private final BinanceMarketDataServiceRaw market;
    private final BinanceWeight weight;
    private final AtomicReference<Map<String, Pair>> symbols = new AtomicReference<>();
    private final Set<String> balanceAssets = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<String> seenMarkets = java.util.concurrent.ConcurrentHashMap.newKeySet();

    record Pair(String base, String quote) {
    }

    public BinanceClient(ClientContext ctx) {
        this.ctx = ctx;
        ExchangeSpecification spec = new ExchangeSpecification(BinanceExchange.class);
        spec.setSslUri(ctx.xchangeUri());
        spec.setHost(ctx.baseUrl().host());
        spec.setPort(ctx.baseUrl().port());
        spec.setShouldLoadRemoteMetaData(false);
        BinanceExchange exchange = (BinanceExchange) ExchangeFactory.INSTANCE.createExchange(spec);
        this.market = (BinanceMarketDataServiceRaw) exchange.getMarketDataService();
        this.weight = new BinanceWeight(ctx.clock());
        seenMarkets.addAll(ctx.markets());
    }


    @Override
    public List<RawBalance> balances() {
        Trees t = new Trees(ctx.exchangeId(), ACCOUNT);
        Map<String, Object> account = t.object(get("/api/v3/account", ACCOUNT, Map.of(), true, W_ACCOUNT), null,
                null);
        List<RawBalance> out = new ArrayList<>();
        Object list = account.get("balances");
        for (Object o : list == null ? List.of() : t.list(list, null, "balances")) {
            Map<String, Object> row = t.object(o, null, "balances");
            String asset = t.text(row, null, "asset");
            BigDecimal total = t.decimal(row, asset, "free").add(t.optDecimal(row, asset, "locked")
                    .orElse(BigDecimal.ZERO));
            if (total.signum() != 0) {
                balanceAssets.add(AssetCodes.normalize(asset));
            }
            out.add(new RawBalance(asset, total, "spot"));
        }
        return out;
    }

    @Override
    public PriceBook prices() {
        Map<String, Pair> known = symbols();
        Trees t = new Trees(ctx.exchangeId(), PRICES);
        PriceBook book = new PriceBook();
        for (Object o : t.list(get("/api/v3/ticker/price", PRICES, Map.of(), false, W_PRICES), null, null)) {
            Map<String, Object> row = t.object(o, null, null);
            String symbol = t.text(row, null, "symbol");
            Pair p = known.get(symbol);
            if (p != null) {
                book.put(p.base(), p.quote(), t.decimal(row, symbol, "price"));
            }
        }
        return book;
    }

    @Override
    public Instant serverTime() {
        weight.checkBan(ctx.exchangeId(), "GET /api/v3/time");
        return ctx.calls().xchange("GET /api/v3/time", market::binanceTime).getServerTime().toInstant();
    }

    /** @return Binance's spot markets by symbol, read once per client */
    Map<String, Pair> symbols() {
        Map<String, Pair> cached = symbols.get();
        if (cached != null) {
            return cached;
        }
        Trees t = new Trees(ctx.exchangeId(), INFO);
        Map<String, Object> info = t.object(get("/api/v3/exchangeInfo", INFO, Map.of(), false, W_INFO), null, null);
        Map<String, Pair> map = new LinkedHashMap<>();
        for (Object o : t.list(info.get("symbols"), null, "symbols")) {
            Map<String, Object> row = t.object(o, null, "symbols");
            String symbol = t.text(row, null, "symbol");
            map.put(symbol, new Pair(AssetCodes.normalize(t.text(row, symbol, "baseAsset")),
                    AssetCodes.normalize(t.text(row, symbol, "quoteAsset"))));
        }
        symbols.set(Map.copyOf(map));
        return map;
    }

    @Override
    public PagedResult<Transaction> transactions(TransactionQuery query, String accountId) {
        Instant end = query.until().orElse(ctx.clock().instant());
        Set<String> fundingAssets = java.util.concurrent.ConcurrentHashMap.newKeySet();
        TransactionQuery funding = ctx.fundingQuery(query);
        return PagedResult.concat(List.of(
                windowed(DEPOSITS, "/sapi/v1/capital/deposit/hisrec", funding, end, accountId, fundingAssets,
                        this::deposit),
                windowed(WITHDRAWALS, "/sapi/v1/capital/withdraw/history", funding, end, accountId, fundingAssets,
                        this::withdrawal),
                dividends(query, end, accountId, fundingAssets),
                dust(query, end, accountId, fundingAssets),
                // Last: the markets to ask depend on the assets the pages above revealed.
                trades(query, end, accountId, fundingAssets)));
    }

    /** Deposit or withdrawal history: 90-day windows from {@code since} (or 2017) to the end, offset-paged. */
    private PagedResult<Transaction> windowed(String endpoint, String path, TransactionQuery query, Instant end,
                                              String accountId, Set<String> assets,
                                              BiFunction<Trees, Map<String, Object>, Optional<Transaction.Builder>> mapper) {
        Instant first = query.since().orElse(HISTORY_START);
        return PagedResult.of(cursor -> {
            // cursor: windowStartMillis:offset
            long windowStart = cursor.map(c -> Long.parseLong(c.split(":")[0])).orElse(first.toEpochMilli());
            int offset = cursor.map(c -> Integer.parseInt(c.split(":")[1])).orElse(0);
            long windowEnd = Math.min(windowStart + FUNDING_WINDOW.toMillis(), end.toEpochMilli());
            Map<String, String> params = new LinkedHashMap<>();
            params.put("startTime", Long.toString(windowStart));
            params.put("endTime", Long.toString(windowEnd - 1));
            params.put("offset", Integer.toString(offset));
            params.put("limit", Integer.toString(FUNDING_LIMIT));
            Trees t = new Trees(ctx.exchangeId(), endpoint);
            List<Object> rows = t.list(get(path, endpoint, params, true, 0), null, null);
            List<Transaction> out = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Object> row = t.object(rows.get(i), Integer.toString(i), null);
                t.optText(row, "coin").ifPresent(c -> assets.add(AssetCodes.normalize(c)));
                Optional<Transaction.Builder> b = mapper.apply(t, row);
                if (b.isPresent()) {
                    Transaction tx = b.get().accountId(accountId).source(ctx.exchangeId()).build();
                    if (query.contains(tx.date())) {
                        out.add(tx);
                    }
                }
            }
            if (rows.size() >= FUNDING_LIMIT) {
                return Page.of(out, windowStart + ":" + (offset + rows.size()));
            }
            return windowEnd < end.toEpochMilli() ? Page.of(out, windowEnd + ":0") : Page.last(out);
        });
    }

    private Optional<Transaction.Builder> deposit(Trees t, Map<String, Object> row) {
        String id = t.text(row, null, "id");
        String status = t.optText(row, "status").orElse("");
        // 1 success, 6 credited but not yet withdrawable: both are in the balance. 0, 7, 8: not (yet).
        if (!status.equals("1") && !status.equals("6")) {
            LOG.info("{}: deposit {} is not credited (status {}); it is imported once it is", ctx.exchangeId(), id,
                    status);
            return Optional.empty();
        }
        Instant date = t.epochMillis(row, id, "insertTime");
        return Optional.of(funding(t, row, id, "deposit/" + id, TransactionType.DEPOSIT, date, BigDecimal.ZERO));
    }

    private Optional<Transaction.Builder> withdrawal(Trees t, Map<String, Object> row) {
        String id = t.text(row, null, "id");
        String status = t.optText(row, "status").orElse("");
        // 6 completed; 1 cancelled, 3 rejected, 5 failed: nothing left; 0, 2, 4: not final yet.
        if (!status.equals("6")) {
            if (Set.of("0", "2", "4").contains(status)) {
                LOG.info("{}: withdrawal {} is not complete (status {}); it is imported once it is",
                        ctx.exchangeId(), id, status);
            }
            return Optional.empty();
        }
        Instant date = utcText(t, row, id, "applyTime");
        BigDecimal fee = t.optDecimal(row, id, "transactionFee").orElse(BigDecimal.ZERO).abs();
        Transaction.Builder b = funding(t, row, id, "withdrawal/" + id, TransactionType.WITHDRAWAL, date, fee);
        t.optText(row, "completeTime").ifPresent(c -> b.attribute("completed_at", utcText(t, row, id,
                "completeTime").toString()));
        return Optional.of(b);
    }

    private Transaction.Builder funding(Trees t, Map<String, Object> row, String id, String sourceId,
                                        TransactionType type, Instant date, BigDecimal fee) {
        String coin = AssetCodes.normalize(t.text(row, id, "coin"));
        BigDecimal amount = t.decimal(row, id, "amount").abs();
        Transaction.Builder b = Transaction.builder()
                .date(date)
                .symbol(coin)
                .type(type)
                .quantity(amount)
                .amount(amount)
                .currency(coin)
                .fees(fee)
                .feeCurrency(coin)
                .sourceId(sourceId)
                .rawType(type == TransactionType.DEPOSIT ? "deposit" : "withdrawal");
        t.optText(row, "txId").filter(x -> !x.startsWith("Internal transfer")).ifPresent(x ->
                b.attribute("network_tx_id", x));
        t.optText(row, "network").ifPresent(x -> b.attribute("chain", x));
        t.optText(row, "address").ifPresent(x -> b.attribute("address", x));
        t.optText(row, "transferType").filter("1"::equals).ifPresent(x -> b.attribute("internal_transfer", "true"));
        return b;
    }

    private Instant utcText(Trees t, Map<String, Object> row, String id, String field) {
        String text = t.text(row, id, field);
        try {
            return LocalDateTime.parse(text, UTC_TEXT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw t.bad(id, field, "not a time 'yyyy-MM-dd HH:mm:ss': '" + text + "'");
        }
    }

    /** Asset dividends (staking, savings, launchpool, airdrops) as REWARD: 90-day windows, 500 a call. */
    private PagedResult<Transaction> dividends(TransactionQuery query, Instant end, String accountId,
                                               Set<String> assets) {
        Instant first = query.since().orElse(HISTORY_START);
        return PagedResult.of(cursor -> {
            // cursor: windowStartMillis:endMillis (the end moves back when a window holds more than 500)
            long windowStart = cursor.map(c -> Long.parseLong(c.split(":")[0])).orElse(first.toEpochMilli());
            long windowEnd = cursor.map(c -> Long.parseLong(c.split(":")[1]))
                    .orElse(Math.min(windowStart + FUNDING_WINDOW.toMillis(), end.toEpochMilli()));
            Map<String, String> params = new LinkedHashMap<>();
            params.put("startTime", Long.toString(windowStart));
            params.put("endTime", Long.toString(windowEnd - 1));
            params.put("limit", Integer.toString(DIVIDEND_LIMIT));
            Trees t = new Trees(ctx.exchangeId(), DIVIDENDS);
            Map<String, Object> body = t.object(get("/sapi/v1/asset/assetDividend", DIVIDENDS, params, true, 0),
                    null, null);
            List<Object> rows = body.get("rows") == null ? List.of() : t.list(body.get("rows"), null, "rows");
            List<Transaction> out = new ArrayList<>();
            long oldest = Long.MAX_VALUE;
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Object> row = t.object(rows.get(i), Integer.toString(i), null);
                String id = t.text(row, Integer.toString(i), "tranId");
                String asset = AssetCodes.normalize(t.text(row, id, "asset"));
                assets.add(asset);
                Instant date = t.epochMillis(row, id, "divTime");
                oldest = Math.min(oldest, date.toEpochMilli());
                BigDecimal amount = t.decimal(row, id, "amount").abs();
                Transaction.Builder b = Transaction.builder().date(date).symbol(asset).type(TransactionType.REWARD)
                        .quantity(amount).amount(amount).currency(asset).sourceId("dividend/" + id
                                + t.optText(row, "id").map(x -> "/" + x).orElse(""))
                        .rawType("asset_dividend").accountId(accountId).source(ctx.exchangeId());
                t.optText(row, "enInfo").ifPresent(b::description);
                Transaction tx = b.build();
                if (query.contains(tx.date())) {
                    out.add(tx);
                }
            }
            if (rows.size() >= DIVIDEND_LIMIT && oldest > windowStart) {
                // Newest first: read the rest of the window before the oldest one seen (same ms read again).
                return Page.of(out, windowStart + ":" + (oldest + 1));
            }
            long next = Math.min(windowStart + FUNDING_WINDOW.toMillis(), end.toEpochMilli());
            return next < end.toEpochMilli() ? Page.of(out, next + ":" + Math.min(next + FUNDING_WINDOW.toMillis(),
                    end.toEpochMilli())) : Page.last(out);
        });
    }

    /**
     * Dust conversions: each small balance converted to BNB is a SELL of that asset for BNB, the service charge
     * a fee in BNB. One call (Binance returns the latest 100 conversions).
     */
    private PagedResult<Transaction> dust(TransactionQuery query, Instant end, String accountId, Set<String> assets) {
        return PagedResult.of(cursor -> {
            Map<String, String> params = new LinkedHashMap<>();
            query.since().ifPresent(s -> params.put("startTime", Long.toString(s.toEpochMilli())));
            query.since().ifPresent(s -> params.put("endTime", Long.toString(end.toEpochMilli())));
            Trees t = new Trees(ctx.exchangeId(), DUST);
            Map<String, Object> body = t.object(get("/sapi/v1/asset/dribblet", DUST, params, true, 0), null, null);
            Object list = body.get("userAssetDribblets") != null ? body.get("userAssetDribblets")
                    : body.get("dribblets");
            List<Transaction> out = new ArrayList<>();
            for (Object o : list == null ? List.of() : t.list(list, null, "userAssetDribblets")) {
                Map<String, Object> group = t.object(o, null, "userAssetDribblets");
                Object details = group.get("userAssetDribbletDetails") != null
                        ? group.get("userAssetDribbletDetails") : group.get("binanceDribbletDetails");
                for (Object d : details == null ? List.of() : t.list(details, null, "userAssetDribbletDetails")) {
                    Map<String, Object> row = t.object(d, null, "userAssetDribbletDetails");
                    String trans = t.text(row, null, "transId");
                    String from = AssetCodes.normalize(t.text(row, trans, "fromAsset"));
                    assets.add(from);
                    assets.add("BNB");
                    BigDecimal qty = t.decimal(row, trans, "amount");
                    BigDecimal got = t.decimal(row, trans, "transferedAmount");
                    Transaction tx = Transaction.builder()
                            .date(t.epochMillis(row, trans, "operateTime"))
                            .symbol(from).type(TransactionType.SELL).quantity(qty)
                            .price(qty.signum() == 0 ? null : got.divide(qty, PriceBook.MC))
                            .amount(got).currency("BNB")
                            .fees(t.optDecimal(row, trans, "serviceChargeAmount").orElse(BigDecimal.ZERO).abs())
                            .feeCurrency("BNB")
                            .sourceId("dust/" + trans + "/" + from)
                            .rawType("dust").accountId(accountId).source(ctx.exchangeId())
                            .attribute("trans_id", trans).build();
                    if (query.contains(tx.date())) {
                        out.add(tx);
                    }
                }
            }
            return Page.last(out);
        });
    }

    /** myTrades per candidate market; the cursor is {@code index:mode:value}. */
    private PagedResult<Transaction> trades(TransactionQuery query, Instant end, String accountId,
                                            Set<String> fundingAssets) {
        AtomicReference<List<String>> markets = new AtomicReference<>();
        boolean windowed = query.since().isPresent()
                && Duration.between(query.since().get(), end).compareTo(MAX_WINDOWED) <= 0;
        long start = query.since().map(Instant::toEpochMilli).orElse(0L);
        Set<String> seenIds = new HashSet<>();
        return PagedResult.of(cursor -> {
            if (markets.get() == null) {
                markets.set(candidateMarkets(fundingAssets));
                LOG.info("{}: reading trades of {} markets: {}", ctx.exchangeId(), markets.get().size(),
                        markets.get());
            }
            List<String> list = markets.get();
            int index = cursor.map(c -> Integer.parseInt(c.split(":")[0])).orElse(0);
            if (index >= list.size()) {
                return Page.last(List.of());
            }
            long value = cursor.map(c -> Long.parseLong(c.split(":")[1])).orElse(windowed ? start : 0L);
            String symbol = list.get(index);
            Map<String, String> params = new LinkedHashMap<>();
            params.put("symbol", symbol);
            long windowEnd = 0;
            if (windowed) {
                windowEnd = Math.min(value + TRADE_WINDOW.toMillis(), end.toEpochMilli());
                params.put("startTime", Long.toString(value));
                params.put("endTime", Long.toString(windowEnd - 1));
            } else {
                params.put("fromId", Long.toString(value));
            }
            params.put("limit", Integer.toString(TRADE_LIMIT));
            Trees t = new Trees(ctx.exchangeId(), TRADES);
            List<Object> rows = t.list(get("/api/v3/myTrades", TRADES, params, true, W_TRADES), null, null);
            Pair pair = symbols().get(symbol);
            List<Transaction> out = new ArrayList<>();
            long lastId = -1;
            long lastTime = -1;
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Object> row = t.object(rows.get(i), Integer.toString(i), null);
                Transaction tx = trade(t, row, symbol, pair, accountId);
                lastId = Math.max(lastId, Long.parseLong(tx.attributes().get("trade_id")));
                lastTime = Math.max(lastTime, tx.date().toEpochMilli());
                if (query.contains(tx.date()) && seenIds.add(tx.sourceId().orElseThrow())) {
                    out.add(tx);
                }
            }
            if (!rows.isEmpty()) {
                seenMarkets.add(symbol);
            }
            String next;
            if (rows.size() >= TRADE_LIMIT) {
                // More in this market: from the next id, or from the last time seen (its ms read again, by id).
                next = index + ":" + (windowed ? (lastTime > value ? lastTime : value + 1) : lastId + 1);
            } else if (windowed && windowEnd < end.toEpochMilli()) {
                next = index + ":" + windowEnd;
            } else {
                next = (index + 1) + ":" + (windowed ? start : 0L);
            }
            return index + 1 >= list.size() && !next.startsWith(index + ":") ? Page.last(out) : Page.of(out, next);
        });
    }

    private Transaction trade(Trees t, Map<String, Object> row, String symbol, Pair pair, String accountId) {
        String id = t.text(row, null, "id");
        String record = symbol + "/" + id;
        if (pair == null) {
            throw t.bad(record, "symbol", "'" + symbol + "' is not in exchangeInfo");
        }
        try {
            Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw t.bad(record, "id", "not a number: '" + id + "'");
        }
        BigDecimal qty = t.decimal(row, record, "qty");
        BigDecimal price = t.decimal(row, record, "price");
        Object buyer = row.get("isBuyer");
        if (!(buyer instanceof Boolean isBuyer)) {
            throw t.bad(record, "isBuyer", "expected true or false");
        }
        Transaction.Builder b = Transaction.builder()
                .date(t.epochMillis(row, record, "time"))
                .symbol(pair.base())
                .type(isBuyer ? TransactionType.BUY : TransactionType.SELL)
                .quantity(qty)
                .price(price)
                .amount(t.optDecimal(row, record, "quoteQty").orElse(qty.multiply(price)))
                .currency(pair.quote())
                .fees(t.optDecimal(row, record, "commission").orElse(BigDecimal.ZERO).abs())
                .sourceId(record)
                .accountId(accountId)
                .source(ctx.exchangeId())
                .rawType(isBuyer ? "buy" : "sell")
                .attribute("market", symbol)
                .attribute("trade_id", id);
        t.optText(row, "commissionAsset").ifPresent(c -> b.feeCurrency(AssetCodes.normalize(c)));
        t.optText(row, "orderId").ifPresent(o -> b.attribute("order_id", o));
        if (Boolean.TRUE.equals(row.get("isMaker"))) {
            b.attribute("maker", "true");
        }
        return b.build();
    }

    /**
     * @return the markets whose trades are read: listed markets whose base is one of the account's assets and
     *         whose quote is one too or a major quote asset, plus configured and previously seen markets
     */
    List<String> candidateMarkets(Set<String> fundingAssets) {
        if (balanceAssets.isEmpty()) {
            balances();
        }
        Set<String> assets = new HashSet<>(balanceAssets);
        assets.addAll(fundingAssets);
        Map<String, Pair> known = symbols();
        Set<String> out = new TreeSet<>();
        known.forEach((symbol, p) -> {
            if (assets.contains(p.base()) && (assets.contains(p.quote()) || MAJOR_QUOTES.contains(p.quote()))) {
                out.add(symbol);
            }
        });
        for (String m : seenMarkets) {
            if (known.containsKey(m)) {
                out.add(m);
            } else {
                LOG.warn("{}: market {} is not listed by exchangeInfo; skipped", ctx.exchangeId(), m);
            }
        }
        return List.copyOf(out);
    }

    /**
     * One GET. Signed calls carry {@code timestamp}, {@code recvWindow} and the HMAC-SHA256 {@code signature} over
     * the query, recomputed on each attempt. The request weight is the pacer's ({@code ExchangePacing.binance()},
     * by endpoint); {@code apiWeight} documents it at the call site.
     */
    Object get(String path, String endpoint, Map<String, String> params, boolean signed, int apiWeight) {
        return ctx.calls().http(endpoint, () -> {
            weight.checkBan(ctx.exchangeId(), endpoint);
            HttpUrl.Builder ub = ctx.baseUrl().newBuilder().addPathSegments(path.substring(1));
            params.forEach(ub::addQueryParameter);
            Request.Builder rb = new Request.Builder().get();
            if (signed) {
                ub.addQueryParameter("timestamp", Long.toString(ctx.clock().millis()));
                ub.addQueryParameter("recvWindow", "5000");
                String query = ub.build().encodedQuery();
                ub.addQueryParameter("signature", Signing.binance(query, ctx.apiSecret().reveal()));
                rb.header("X-MBX-APIKEY", ctx.apiKey().reveal());
            }
            Request request = rb.url(ub.build()).build();
            try (Response response = ctx.http().newCall(request).execute()) {
                String body = response.body() == null ? "" : response.body().string();
                Optional.ofNullable(response.header("X-MBX-USED-WEIGHT-1M")).map(String::trim)
                        .filter(h -> h.matches("\\d{1,9}"))
                        .ifPresent(h -> ctx.calls().pacer().observed("api-weight", Integer.parseInt(h)));
                int code = response.code();
                if (code == 418) {
                    Duration ban = RetryAfter.of(response, ctx.clock()).orElse(Duration.ofMinutes(2));
                    weight.ban(ban);
                    throw new IpBanException(ctx.exchangeId(), endpoint + ": HTTP 418: Binance banned this IP "
                            + "address for " + ban.toSeconds() + " s after rate-limit answers; no call is made "
                            + "until then", Optional.of(ban));
                }
                if (code == 429) {
                    Optional<Duration> after = RetryAfter.of(response, ctx.clock());
                    throw new RateLimitException(ctx.exchangeId(), endpoint + ": HTTP 429: request weight "
                            + "exceeded; backing off before Binance bans the IP (HTTP 418)", after);
                }
                if (code < 200 || code >= 300) {
                    throw ctx.calls().httpError(endpoint, code, body, RetryAfter.of(response, ctx.clock()));
                }
                return Json.readTree(body);
            } catch (IOException e) {
                if (e instanceof com.squareup.moshi.JsonEncodingException || e instanceof java.io.EOFException) {
                    throw DataFetchException.malformed(ctx.exchangeId(), endpoint, null, null,
                            "malformed JSON: " + e.getMessage(), e);
                }
                throw ApiClient.networkError(ctx.exchangeId(), endpoint, request.url(), e);
            } catch (com.squareup.moshi.JsonDataException e) {
                throw DataFetchException.malformed(ctx.exchangeId(), endpoint, null, null,
                        "malformed JSON: " + e.getMessage(), e);
            }
        });
    }

    /** For tests: the markets remembered so far. */
    Set<String> seenMarkets() {
        return Set.copyOf(seenMarkets);
    }
}
