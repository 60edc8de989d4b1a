package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.http.ApiClient;
import io.foliosync.connectors.api.http.RequestSafety;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.apiguardian.api.API;
import org.knowm.xchange.ExchangeFactory;
import org.knowm.xchange.ExchangeSpecification;
import org.knowm.xchange.kraken.KrakenExchange;
import org.knowm.xchange.kraken.dto.marketdata.KrakenAssetPair;
import org.knowm.xchange.kraken.dto.marketdata.KrakenTicker;
import org.knowm.xchange.kraken.dto.trade.KrakenTrade;
import org.knowm.xchange.kraken.dto.trade.KrakenType;
import org.knowm.xchange.kraken.dto.trade.results.KrakenTradeHistoryResult.KrakenTradeHistory;
import org.knowm.xchange.kraken.service.KrakenMarketDataServiceRaw;
import org.knowm.xchange.kraken.service.KrakenTradeServiceRaw;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kraken through XChange (balances, all tickers in one call, asset pairs, TradesHistory, server time) and, for
 * the Ledgers endpoint, whose XChange parsing fails a whole page on a type it does not know ({@code earn}),
 * through FolioSync's own signed call. Both use one nonce source, so Kraken sees increasing nonces.
 */
@API(status = INTERNAL, since = "0.1")
public final class KrakenClient implements ExchangeClient {
    private static final Logger LOG = LoggerFactory.getLogger(KrakenClient.class);
    /** Kraken's page size for TradesHistory and Ledgers. */
    static final int PAGE = 50;
    static final String TRADES = "POST /0/private/TradesHistory";
    static final String LEDGERS = "POST /0/private/Ledgers";
    static final String DEPOSIT_STATUS = "POST /0/private/DepositStatus";
    static final String WITHDRAW_STATUS = "POST /0/private/WithdrawStatus";

    private final ClientContext ctx;

    @Override
    public ClientContext context() {
        return ctx;
    }
    private final KrakenExchange exchange;
    private final KrakenTradeServiceRaw trade;
    private final KrakenMarketDataServiceRaw market;
    private final ApiClient api;
    private final byte[] decodedSecret;
    private final AtomicReference<Map<String, Pair>> pairs = new AtomicReference<>();

    record Pair(String base, String quote) {
    }

    public KrakenClient(ClientContext ctx) {
        this.ctx = ctx;
        this.decodedSecret = Base64.getDecoder().decode(ctx.apiSecret().reveal());
        ExchangeSpecification spec = new ExchangeSpecification(KrakenExchange.class);
        spec.setSslUri(ctx.xchangeUri());
        spec.setHost(ctx.baseUrl().host());
        spec.setPort(ctx.baseUrl().port());
        spec.setApiKey(ctx.apiKey().reveal());
        spec.setSecretKey(ctx.apiSecret().reveal());
        // Pairs are read once through the raw service below; XChange's remote init would cost two more calls
        // and fill KrakenUtils' JVM-wide static maps.
        spec.setShouldLoadRemoteMetaData(false);
        this.exchange = (KrakenExchange) ExchangeFactory.INSTANCE.createExchange(spec);
        this.trade = (KrakenTradeServiceRaw) exchange.getTradeService();
        this.market = (KrakenMarketDataServiceRaw) exchange.getMarketDataService();
        this.api = ApiClient.of(ctx.exchangeId(), ctx.http(), ctx.clock());
    }

    @Override
    public List<RawBalance> balances() {
        // Our own call, not XChange's: XChange reports a refused key only in an exception's message, whereas
        // here Kraken's error field is read as data and a bad key becomes an AuthenticationException.
        String endpoint = "POST /0/private/Balance";
        Map<String, Object> raw = privateCall("/0/private/Balance", endpoint, Map.of());
        Trees t = new Trees(ctx.exchangeId(), endpoint);
        List<RawBalance> out = new ArrayList<>();
        raw.keySet().forEach(asset -> out.add(new RawBalance(asset, t.decimal(raw, asset, asset), "spot")));
        return out;
    }

    @Override
    public PriceBook prices() {
        Map<String, Pair> known = pairs();
        Map<String, KrakenTicker> tickers = ctx.calls().xchange("GET /0/public/Ticker", market::getKrakenTickers);
        PriceBook book = new PriceBook();
        tickers.forEach((pair, ticker) -> {
            Pair p = known.get(pair);
            if (p != null && ticker.getClose() != null) {
                book.put(p.base(), p.quote(), ticker.getClose().getPrice());
            } else {
                LOG.debug("{}: ticker {} has no known pair or no last price; skipped", ctx.exchangeId(), pair);
            }
        });
        return book;
    }

    @Override
    public Instant serverTime() {
        return Instant.ofEpochSecond(ctx.calls().xchange("GET /0/public/Time", market::getServerTime).getUnixTime());
    }

    /** @return Kraken's pairs by pair key and altname, read once per client */
    Map<String, Pair> pairs() {
        Map<String, Pair> cached = pairs.get();
        if (cached != null) {
            return cached;
        }
        Map<String, KrakenAssetPair> raw = ctx.calls().xchange("GET /0/public/AssetPairs",
                () -> market.getKrakenAssetPairs().getAssetPairMap());
        Map<String, Pair> map = new HashMap<>();
        raw.forEach((key, p) -> {
            if (p.getBase() == null || p.getQuote() == null) {
                return;
            }
            Pair pair = new Pair(AssetCodes.normalize(p.getBase()), AssetCodes.normalize(p.getQuote()));
            map.put(key, pair);
            if (p.getAltName() != null) {
                map.put(p.getAltName(), pair);
            }
            if (p.getWsName() != null) {
                map.put(p.getWsName().replace("/", ""), pair);
            }
        });
        pairs.set(Map.copyOf(map));
        return map;
    }

    // Kraken reports each history's size with every page: what is left, for a time estimate
    private volatile long tradesLeft = -1;
    private volatile long ledgerLeft = -1;

    @Override
    public Optional<java.time.Duration> remainingTime() {
        long trades = tradesLeft;
        long ledger = ledgerLeft;
        if (trades < 0 && ledger < 0) {
            return Optional.empty();
        }
        java.time.Duration d = java.time.Duration.ZERO;
        if (trades > 0) {
            d = d.plus(pacer().estimate(TRADES, (int) ((trades + PAGE - 1) / PAGE)));
        }
        if (ledger > 0) {
            d = d.plus(pacer().estimate(LEDGERS, (int) ((ledger + PAGE - 1) / PAGE)));
        }
        return Optional.of(d);
    }

    @Override
    public PagedResult<Transaction> transactions(TransactionQuery query, String accountId) {
        tradesLeft = -1;
        ledgerLeft = -1;
        // Kraken's start is exclusive and whole-second precise enough; one second earlier, then filter exactly.
        Optional<String> start = query.since().map(s -> Long.toString(s.getEpochSecond() - 1));
        // A fixed end keeps offsets stable while new trades arrive during the sync.
        Instant end = query.until().orElse(ctx.clock().instant());
        String endText = Long.toString(end.getEpochSecond() + 1);
        PagedResult<Transaction> trades = PagedResult.of(cursor -> tradesPage(query, start, endText, cursor,
                accountId));
        LedgerState state = new LedgerState();
        PagedResult<Transaction> ledger = PagedResult.of(cursor -> ledgerPage(query, start, endText, cursor,
                accountId, state));
        return PagedResult.concat(List.of(trades, ledger));
    }

    private Page<Transaction> tradesPage(TransactionQuery query, Optional<String> start, String end,
                                         Optional<String> cursor, String accountId) {
        long offset = cursor.map(Long::parseLong).orElse(0L);
        KrakenTradeHistory history = ctx.calls().xchange(TRADES,
                () -> trade.getKrakenTradeHistory(null, false, start.orElse(null), end, offset));
        Map<String, Pair> known = history.getTrades().isEmpty() ? Map.of() : pairs();
        List<Transaction> out = new ArrayList<>();
        history.getTrades().forEach((id, t) -> {
            Transaction tx = trade(id, t, known, accountId);
            if (query.contains(tx.date())) {
                out.add(tx);
            }
        });
        long next = offset + history.getTrades().size();
        boolean more = !history.getTrades().isEmpty() && next < history.getCount();
        tradesLeft = more ? history.getCount() - next : 0;
        return more ? Page.of(out, Long.toString(next)) : Page.last(out);
    }

    private Transaction trade(String id, KrakenTrade t, Map<String, Pair> known, String accountId) {
        Pair pair = known.get(t.getAssetPair());
        if (pair == null) {
            throw DataFetchException.malformed(ctx.exchangeId(), TRADES, id, "pair",
                    "pair '" + t.getAssetPair() + "' is not among Kraken's AssetPairs", null);
        }
        if (t.getType() == null || t.getVolume() == null || t.getPrice() == null) {
            throw DataFetchException.malformed(ctx.exchangeId(), TRADES, id, "type/vol/price", "missing", null);
        }
        // XChange exposes Kraken's time as a double; its shortest decimal form is the text Kraken sent.
        Instant date = Times.fromEpochSeconds(new BigDecimal(Double.toString(t.getUnixTimestamp())));
        Transaction.Builder b = Transaction.builder()
                .date(date)
                .symbol(pair.base())
                .type(t.getType() == KrakenType.BUY ? TransactionType.BUY : TransactionType.SELL)
                .quantity(t.getVolume())
                .price(t.getPrice())
                .amount(t.getCost() != null ? t.getCost() : t.getVolume().multiply(t.getPrice()))
                .currency(pair.quote())
                .fees(t.getFee() == null ? BigDecimal.ZERO : t.getFee().abs())
                .feeCurrency(pair.quote())
                .sourceId(id)
                .accountId(accountId)
                .source(ctx.exchangeId())
                .rawType(t.getType().name().toLowerCase(java.util.Locale.ROOT))
                .attribute("pair", t.getAssetPair())
                // The ledger's two "trade" legs of this trade carry this id as their refid.
                .attribute("ledger_refid", id);
        if (t.getOrderTxId() != null) {
            b.attribute("order_id", t.getOrderTxId());
        }
        return b.build();
    }

    /** What one ledger read carries from page to page: unpaired spend/receive legs, funding network tx ids. */
    static final class LedgerState {
        final Map<String, Map.Entry<String, Map<String, Object>>> openLegs = new java.util.LinkedHashMap<>();
        Map<String, String> depositTxIds;
        Map<String, String> withdrawalTxIds;
    }

    private Page<Transaction> ledgerPage(TransactionQuery query, Optional<String> start, String end,
                                         Optional<String> cursor, String accountId, LedgerState state) {
        long offset = cursor.map(Long::parseLong).orElse(0L);
        Map<String, String> form = new java.util.LinkedHashMap<>();
        start.ifPresent(s -> form.put("start", s));
        form.put("end", end);
        form.put("ofs", Long.toString(offset));
        Map<String, Object> result = privateCall("/0/private/Ledgers", LEDGERS, form);
        Trees t = new Trees(ctx.exchangeId(), LEDGERS);
        Map<String, Object> ledger = result.get("ledger") == null ? Map.of()
                : t.object(result.get("ledger"), null, "ledger");
        long count = t.optDecimal(result, null, "count").map(BigDecimal::longValue).orElse(0L);
        List<Transaction> out = new ArrayList<>();
        int linked = 0;
        for (Map.Entry<String, Object> e : ledger.entrySet()) {
            Map<String, Object> row = t.object(e.getValue(), e.getKey(), null);
            String type = t.text(row, e.getKey(), "type").toLowerCase(java.util.Locale.ROOT);
            Optional<String> refid = t.optText(row, "refid");
            if ((type.equals("spend") || type.equals("receive")) && refid.isPresent()) {
                // An instant buy or sell: a spend and a receive leg sharing a refid, perhaps on another page.
                Map.Entry<String, Map<String, Object>> other = state.openLegs.remove(refid.get());
                if (other == null) {
                    state.openLegs.put(refid.get(), Map.entry(e.getKey(), row));
                } else {
                    Transaction tx = KrakenLedger.conversion(t, refid.get(), other.getKey(), other.getValue(),
                            e.getKey(), row, accountId, ctx.exchangeId());
                    if (query.contains(tx.date())) {
                        out.add(tx);
                    }
                }
                continue;
            }
            Optional<Transaction> tx = KrakenLedger.map(t, e.getKey(), row, accountId, ctx.exchangeId());
            if (tx.isEmpty()) {
                linked++;
            } else if (query.contains(tx.get().date())) {
                out.add(withNetworkTxId(tx.get(), start, end, state));
            }
        }
        if (linked > 0) {
            LOG.debug("{}: {} ledger trade legs linked to TradesHistory trades by refid", ctx.exchangeId(), linked);
        }
        long next = offset + ledger.size();
        boolean more = !ledger.isEmpty() && next < count;
        ledgerLeft = more ? count - next : 0;
        if (more) {
            return Page.of(out, Long.toString(next));
        }
        // A leg whose partner never came (outside the range): kept on its own, as OTHER with its raw type.
        for (Map.Entry<String, Map<String, Object>> leg : state.openLegs.values()) {
            KrakenLedger.map(t, leg.getKey(), leg.getValue(), accountId, ctx.exchangeId())
                    .filter(tx -> query.contains(tx.date())).ifPresent(out::add);
        }
        state.openLegs.clear();
        return Page.last(out);
    }

    /**
     * Adds the blockchain transaction id of a deposit or withdrawal, from DepositStatus / WithdrawStatus (matched
     * by refid), so that a transfer between two of the user's accounts shows the same {@code network_tx_id} on
     * both sides. Read once per sync and only when the ledger holds a deposit or withdrawal; when Kraken refuses
     * (a key without "Query Funds" or an old record no longer listed) the record is kept without it.
     */
    private Transaction withNetworkTxId(Transaction tx, Optional<String> start, String end, LedgerState state) {
        boolean deposit = tx.type() == io.foliosync.connectors.api.TransactionType.DEPOSIT;
        if (!deposit && tx.type() != io.foliosync.connectors.api.TransactionType.WITHDRAWAL) {
            return tx;
        }
        String refid = tx.attributes().get("refid");
        if (refid == null) {
            return tx;
        }
        if (deposit && state.depositTxIds == null) {
            state.depositTxIds = statusTxIds("/0/private/DepositStatus", DEPOSIT_STATUS, start, end);
        } else if (!deposit && state.withdrawalTxIds == null) {
            state.withdrawalTxIds = statusTxIds("/0/private/WithdrawStatus", WITHDRAW_STATUS, start, end);
        }
        String txid = (deposit ? state.depositTxIds : state.withdrawalTxIds).get(refid);
        return txid == null ? tx : tx.toBuilder().attribute("network_tx_id", txid).build();
    }

    /** @return refid → txid of the funding status list; empty when Kraken refuses */
    private Map<String, String> statusTxIds(String path, String endpoint, Optional<String> start, String end) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        start.ifPresent(s -> form.put("start", s));
        form.put("end", end);
        Object result;
        try {
            result = privateCallAny(path, endpoint, form);
        } catch (io.foliosync.connectors.api.AuthenticationException e) {
            // a key without the "Query Funds" permission is refused here: the records stay whole, without the
            // chain's tx id; anything else (the network, a malformed answer) fails the job like any page
            LOG.warn("{}: {} refused, deposits and withdrawals are kept without network tx ids: {}",
                    ctx.exchangeId(), endpoint, e.getMessage());
            return Map.of();
        }
        Trees t = new Trees(ctx.exchangeId(), endpoint);
        List<Object> rows;
        if (result instanceof List<?>) {
            rows = t.list(result, null, "result");
        } else {
            // With a cursor Kraken wraps the list: {"deposit"|"withdrawals": [...], "next_cursor": ...}
            rows = t.object(result, null, "result").values().stream().filter(v -> v instanceof List<?>)
                    .findFirst().map(v -> t.list(v, null, "result")).orElse(List.of());
        }
        Map<String, String> out = new HashMap<>();
        for (Object o : rows) {
            Map<String, Object> row = t.object(o, null, "result");
            Optional<String> refid = t.optText(row, "refid");
            Optional<String> txid = t.optText(row, "txid");
            if (refid.isPresent() && txid.isPresent()) {
                out.put(refid.get(), txid.get());
            }
        }
        return out;
    }

    /** A signed POST to a private endpoint; returns {@code result} or the typed error Kraken reported. */
    Map<String, Object> privateCall(String path, String endpoint, Map<String, String> params) {
        return new Trees(ctx.exchangeId(), endpoint).object(privateCallAny(path, endpoint, params), null, "result");
    }

    /** A signed POST; returns {@code result}, whatever its JSON type. */
    Object privateCallAny(String path, String endpoint, Map<String, String> params) {
        return ctx.calls().http(endpoint, () -> {
            String nonce = Long.toString(exchange.getNonceFactory().createValue());
            FormBody.Builder form = new FormBody.Builder().add("nonce", nonce);
            params.forEach(form::add);
            FormBody body = form.build();
            StringBuilder post = new StringBuilder("nonce=").append(nonce);
            for (int i = 1; i < body.size(); i++) {
                post.append('&').append(body.encodedName(i)).append('=').append(body.encodedValue(i));
            }
            HttpUrl url = ctx.baseUrl().newBuilder().addPathSegments(path.substring(1)).build();
            Request request = RequestSafety.SAFE_READ.tag(new Request.Builder().url(url)
                    .header("API-Key", ctx.apiKey().reveal())
                    .header("API-Sign", Signing.kraken(url.encodedPath(), nonce, post.toString(), decodedSecret))
                    .post(body).build());
            Object tree = api.executeTree(request);
            Trees t = new Trees(ctx.exchangeId(), endpoint);
            Map<String, Object> envelope = t.object(tree, null, null);
            Object errors = envelope.get("error");
            if (errors instanceof List<?> list && !list.isEmpty()) {
                throw ctx.calls().exchangeError(endpoint, KrakenErrors.of(list).orElseThrow());
            }
            if (envelope.get("result") == null) {
                throw t.bad(null, "result", "missing");
            }
            return envelope.get("result");
        });
    }
}
