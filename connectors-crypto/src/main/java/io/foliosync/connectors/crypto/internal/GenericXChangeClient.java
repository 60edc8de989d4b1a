package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.DataWarning;
import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.knowm.xchange.Exchange;
import org.knowm.xchange.currency.Currency;
import org.knowm.xchange.currency.CurrencyPair;
import org.knowm.xchange.dto.Order;
import org.knowm.xchange.dto.account.AccountInfo;
import org.knowm.xchange.dto.account.Balance;
import org.knowm.xchange.dto.account.FundingRecord;
import org.knowm.xchange.dto.account.Wallet;
import org.knowm.xchange.dto.marketdata.Ticker;
import org.knowm.xchange.dto.trade.UserTrade;
import org.knowm.xchange.dto.trade.UserTrades;
import org.knowm.xchange.exceptions.ExchangeException;
import org.knowm.xchange.instrument.Instrument;
import org.knowm.xchange.service.trade.params.TradeHistoryParamCurrencyPair;
import org.knowm.xchange.service.trade.params.TradeHistoryParamInstrument;
import org.knowm.xchange.service.trade.params.TradeHistoryParamLimit;
import org.knowm.xchange.service.trade.params.TradeHistoryParamNextPageCursor;
import org.knowm.xchange.service.trade.params.TradeHistoryParams;
import org.knowm.xchange.service.trade.params.TradeHistoryParamsAll;
import org.knowm.xchange.service.trade.params.TradeHistoryParamsIdSpan;
import org.knowm.xchange.service.trade.params.TradeHistoryParamsSorted;
import org.knowm.xchange.service.trade.params.TradeHistoryParamsTimeSpan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apiguardian.api.API;

/**
 * A generic account: an exchange read through XChange's common services only, as its module implements them.
 *
 * <ul>
 *   <li>Balances: every wallet of {@code AccountService.getAccountInfo()}, total per currency.</li>
 *   <li>Trades: {@code TradeService.getTradeHistory} with the exchange's own parameter object (or XChange's
 *       {@link TradeHistoryParamsAll} when the module makes none), sorted oldest first and as large a page as it
 *       takes where it says so. All pairs in one history where the module accepts no pair; otherwise one history
 *       per pair of the account's assets (balances, funding records, configured markets) crossed with each other
 *       and with the major quotes, kept to the pairs the exchange lists when XChange loaded its symbols. Paged by
 *       the module's cursor, else by time from the newest trade read, else by id, while pages bring new trades.
 *       An exchange that answers a bounded span per call ({@link #WINDOWS}: KuCoin, 7 days) is walked window by
 *       window from the start to now, each window paged to its end; its funding history likewise.</li>
 *   <li>Deposits and withdrawals: {@code AccountService.getFundingHistory}, paged by time the same way; only
 *       completed records (pending ones come with a later sync, as for the first-class exchanges).</li>
 * </ul>
 * A capability the module lacks ({@code NotYetImplementedForExchangeException},
 * {@code NotAvailableFromExchangeException}) is a {@link DataWarning} "not available for this exchange", never a
 * failure; any other error fails the sync as for a first-class exchange. Every call goes through {@link Calls},
 * the module's one retry layer, with {@link XChangeFailures} deciding what was thrown by type.
 */
@API(status = INTERNAL, since = "0.1")
public final class GenericXChangeClient implements ExchangeClient {
    private static final Logger LOG = LoggerFactory.getLogger(GenericXChangeClient.class);
    /** Asked for where the module takes a limit; modules cap it to what their exchange allows. */
    static final int PAGE = 500;
    /** A history that keeps bringing new records past this many pages is a module that ignores its paging. */
    static final int MAX_PAGES = 10_000;
    static final List<String> MAJOR_QUOTES = List.of("USD", "USDT", "USDC", "EUR", "BTC", "ETH", "GBP");

    /**
     * Exchanges whose module passes a time span to an endpoint that accepts a bounded one, clipping a longer span
     * without a word: their histories are walked window by window from the start to now.
     */
    private static final Map<String, HistoryWindow> WINDOWS = Map.of(
            // KuCoin documents 7 days per fills call (XChange 5.2.1 clips a longer span to just under 8); before
            // 2019-02-18 (UTC+8) the module reads KuCoin's older order history, which takes any span.
            "org.knowm.xchange.kucoin.KucoinExchange",
            new HistoryWindow(java.time.Duration.ofDays(7), Instant.parse("2019-02-17T16:00:00Z"), 50));

    /**
     * A bounded span per history call.
     *
     * @param max    the longest span one call may ask for
     * @param bounded from when the bound applies; one call reads everything before it
     * @param fundingPage the exchange's default page of deposits or withdrawals, which the module asks for (KuCoin's
     *                    API docs: 50)
     */
    record HistoryWindow(java.time.Duration max, Instant bounded, int fundingPage) {
        /** @return the end of the window that starts at {@code from}, never past {@code limit} */
        Instant end(Instant from, Instant limit) {
            Instant end = from.isBefore(bounded) ? bounded.minusMillis(1) : from.plus(max);
            return end.isAfter(limit) ? limit : end;
        }

        /**
         * @return where the window after the one ending at {@code end} starts: at that end (a record at that very
         *         millisecond is read twice and skipped by id), or at the bound after the unbounded span before it
         */
        Instant next(Instant end) {
            return end.isBefore(bounded) ? bounded : end;
        }
    }

    private final ClientContext ctx;
    private final Exchange exchange;
    private final Optional<HistoryWindow> window;
    private final String exchangeId;
    private final boolean remoteMetadata;
    private final List<DataWarning> warnings = new CopyOnWriteArrayList<>();
    private final Set<String> fundingAssets = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean initialised;

    /**
     * @param exchange       built from the account's specification, remote metadata not yet loaded
     * @param exchangeId     the exchange's id ({@code bitstamp}), for messages
     * @param remoteMetadata whether the exchange's symbols and currencies may be loaded (paced calls) when needed
     */
    public GenericXChangeClient(ClientContext ctx, Exchange exchange, String exchangeId, boolean remoteMetadata) {
        this.ctx = ctx;
        this.exchange = exchange;
        this.exchangeId = exchangeId;
        this.remoteMetadata = remoteMetadata;
        this.window = Optional.ofNullable(WINDOWS.get(exchange.getClass().getName()));
    }

    @Override
    public ClientContext context() {
        return ctx;
    }

    /** @return what this account could not read since the last call, which clears them */
    public List<DataWarning> takeWarnings() {
        List<DataWarning> out = List.copyOf(warnings);
        warnings.removeAll(out);
        return out;
    }

    private void unavailable(String what, String call) {
        DataWarning w = DataWarning.of(ctx.exchangeId(), call, what + ": not available for " + exchangeId
                + " in XChange " + io.foliosync.connectors.crypto.GenericExchange.XCHANGE_VERSION
                + " (the module does not implement " + call + "); not read");
        if (warnings.stream().noneMatch(x -> x.reference().equals(call))) {
            warnings.add(w);
        }
        LOG.warn("{}: {}", ctx.exchangeId(), w.message());
    }

    /**
     * Runs an XChange call in the one retry layer.
     *
     * @return empty when the module does not implement the call for this exchange
     */
    private <T> Optional<T> call(String endpoint, Calls.IoCall<T> call) {
        return ctx.calls().http(endpoint, () -> attempt(endpoint, call));
    }

    private <T> Optional<T> attempt(String endpoint, Calls.IoCall<T> call) {
        try {
            return Optional.ofNullable(call.call());
        } catch (Exception e) {
            if (XChangeFailures.unsupported(e)) {
                return Optional.empty();
            }
            throw XChangeFailures.classify(ctx.exchangeId(), endpoint, ctx.baseUrl(), e);
        }
    }

    /**
     * Loads the exchange's symbols and currencies ({@code remoteInit}) the first time they are needed: to derive
     * pairs for a module that wants one per trade history, or to price holdings without an all-tickers call. Other
     * accounts never make these calls.
     */
    private void init() {
        if (initialised || !remoteMetadata) {
            return;
        }
        synchronized (this) {
            if (!initialised) {
                // remoteInit is XChange's symbol and currency load: one or more public calls, paced like the rest.
                ctx.calls().http("remoteInit", () -> attempt("remoteInit", () -> {
                    exchange.remoteInit();
                    return Boolean.TRUE;
                }));
                initialised = true;
            }
        }
    }

    @Override
    public List<RawBalance> balances() {
        AccountInfo info = call("getAccountInfo", () -> exchange.getAccountService().getAccountInfo())
                .orElseThrow(() -> new DataFetchException(ctx.exchangeId(), "getAccountInfo", "XChange "
                        + "does not implement balances for " + exchangeId + ": this exchange cannot be read", null));
        List<RawBalance> out = new ArrayList<>();
        for (Map.Entry<String, Wallet> e : info.getWallets().entrySet()) {
            Wallet w = e.getValue();
            String wallet = w.getId() != null ? w.getId() : w.getName() != null ? w.getName() : "spot";
            for (Map.Entry<Currency, Balance> b : w.getBalances().entrySet()) {
                Balance balance = b.getValue();
                BigDecimal total = balance.getTotal();
                if (total == null) {
                    throw DataFetchException.malformed(ctx.exchangeId(), "getAccountInfo", wallet + "/"
                            + b.getKey().getCurrencyCode(), "total", "no total balance", null);
                }
                out.add(new RawBalance(b.getKey().getCurrencyCode(), total, wallet));
            }
        }
        return out;
    }

    @Override
    public PriceBook prices() {
        PriceBook book = new PriceBook();
        Optional<List<Ticker>> all = call("getTickers", () -> exchange.getMarketDataService().getTickers(null));
        if (all.isPresent()) {
            all.get().forEach(t -> put(book, t));
            return book;
        }
        // No all-tickers call in the module: one ticker per held asset against the major quotes the exchange lists.
        Set<CurrencyPair> listed = listedPairs();
        for (String asset : heldAssets()) {
            for (String quote : MAJOR_QUOTES) {
                CurrencyPair pair = new CurrencyPair(asset, quote);
                if (!asset.equals(quote) && listed.contains(pair)) {
                    try {
                        call("getTicker " + pair, () -> exchange.getMarketDataService().getTicker((Instrument) pair))
                                .ifPresent(t -> put(book, t));
                    } catch (DataFetchException e) {
                        // XChange's pair lists include pairs the exchange no longer answers for: that pair goes
                        // unpriced (valuation "no market"), said once. Refusals, rate limits and network failures
                        // are not DataFetchExceptions of this kind and still fail the read.
                        if (e instanceof io.foliosync.connectors.api.NetworkException
                                || e instanceof io.foliosync.connectors.api.HttpStatusException h
                                && io.foliosync.connectors.api.HttpStatusException.isTransientStatus(h.status())) {
                            throw e;
                        }
                        if (warnings.stream().noneMatch(w -> w.reference().equals("getTicker " + pair))) {
                            warnings.add(DataWarning.of(ctx.exchangeId(), "getTicker " + pair, "no price for "
                                    + pair + " (" + e.getMessage() + "): holdings valued without it"));
                        }
                    }
                }
            }
        }
        return book;
    }

    private static void put(PriceBook book, Ticker t) {
        if (t.getInstrument() instanceof CurrencyPair p && t.getLast() != null && t.getLast().signum() > 0) {
            book.put(AssetCodes.normalize(p.base.getCurrencyCode()), AssetCodes.normalize(p.counter.getCurrencyCode()),
                    t.getLast());
        }
    }

    /** XChange's common services have no server clock: the health check says so rather than guess one. */
    @Override
    public Instant serverTime() {
        throw new DataFetchException(ctx.exchangeId(), "server time", "not available for " + exchangeId
                + " through XChange's common services (a generic account): the health check cannot measure clock skew",
                null);
    }

    @Override
    public PagedResult<Transaction> transactions(TransactionQuery query, String accountId) {
        TransactionQuery funding = ctx.fundingQuery(query);
        // Funding first: its assets are among those trade pairs are derived from when the module needs a pair.
        return PagedResult.concat(List.of(fundingHistory(funding, accountId), tradeHistory(query, accountId)));
    }

    // ---- funding ----

    private PagedResult<Transaction> fundingHistory(TransactionQuery query, String accountId) {
        Set<String> seen = new HashSet<>();
        return PagedResult.of(cursor -> {
            Instant start = cursor.map(c -> Instant.ofEpochMilli(Long.parseLong(c)))
                    .orElse(query.since().orElse(Instant.EPOCH));
            Instant limit = query.until().orElse(Instant.now(ctx.clock()));
            Optional<Instant> windowEnd = window.map(w -> w.end(start, limit));
            TradeHistoryParams params = fundingParams(start, windowEnd.isPresent() ? windowEnd : query.until());
            Optional<List<FundingRecord>> page = call("getFundingHistory",
                    () -> exchange.getAccountService().getFundingHistory(params));
            if (page.isEmpty()) {
                unavailable("deposits and withdrawals", "getFundingHistory");
                return Page.last(List.of());
            }
            List<Transaction> out = new ArrayList<>();
            Instant newest = start;
            boolean fresh = false;
            for (FundingRecord r : page.get()) {
                String id = fundingId(r);
                Instant date = r.getDate() == null ? null : r.getDate().toInstant();
                if (date == null) {
                    throw DataFetchException.malformed(ctx.exchangeId(), "getFundingHistory", id, "date", "missing",
                            null);
                }
                if (date.isAfter(newest)) {
                    newest = date;
                }
                if (!seen.add(id)) {
                    continue;
                }
                fresh = true;
                if (r.getCurrency() != null) {
                    fundingAssets.add(AssetCodes.normalize(r.getCurrency().getCurrencyCode()));
                }
                funding(r, id).filter(b -> query.contains(date))
                        .map(b -> b.accountId(accountId).source(ctx.exchangeId()).build()).ifPresent(out::add);
            }
            List<FundingRecord> records = page.get();
            if (params instanceof TradeHistoryParamLimit && records.size() >= PAGE
                    && records.get(0).getDate() != null && records.get(records.size() - 1).getDate() != null
                    && records.get(0).getDate().after(records.get(records.size() - 1).getDate())) {
                // Newest first and full: the module gives no way to the records before this page's oldest.
                warnings.add(DataWarning.of(ctx.exchangeId(), "getFundingHistory", "the exchange returned a full "
                        + "page of " + records.size() + " deposits and withdrawals newest first: those before "
                        + records.get(records.size() - 1).getDate().toInstant() + " may be missing; reconcile shows "
                        + "whether the history explains the balances"));
            }
            if (windowEnd.isPresent() && params instanceof TradeHistoryParamsTimeSpan) {
                fullWindow(records, windowEnd.get(), start, window.get().fundingPage());
                // A window is read in one call (the module asks for no page): the next starts where it ended.
                return windowEnd.get().isBefore(limit)
                        ? Page.of(out, Long.toString(window.get().next(windowEnd.get()).toEpochMilli()))
                        : Page.last(out);
            }
            boolean timePaged = params instanceof TradeHistoryParamsTimeSpan;
            if (fresh && timePaged && page.get().size() > 0 && seen.size() < MAX_PAGES * PAGE) {
                return Page.of(out, Long.toString(newest.toEpochMilli()));
            }
            return Page.last(out);
        });
    }

    /**
     * The module reads one page of deposits and one of withdrawals per window and asks no page size: a window with
     * as many of one kind as the exchange's default page may hold more than were read. Said, not guessed past.
     */
    private void fullWindow(List<FundingRecord> records, Instant end, Instant start, int fundingPage) {
        for (FundingRecord.Type kind : List.of(FundingRecord.Type.DEPOSIT, FundingRecord.Type.WITHDRAWAL)) {
            long n = records.stream().filter(r -> r.getType() == kind).count();
            if (n >= fundingPage) {
                warnings.add(DataWarning.of(ctx.exchangeId(), "getFundingHistory " + start, n + " "
                        + kind.name().toLowerCase(java.util.Locale.ROOT) + "s between " + start + " and " + end
                        + " (a full page of the exchange's default size): more in that span may not have been read; "
                        + "reconcile shows whether the history explains the balances"));
            }
        }
    }

    private TradeHistoryParams fundingParams(Instant start, Optional<Instant> end) {
        TradeHistoryParams p;
        try {
            p = exchange.getAccountService().createFundingHistoryParams();
        } catch (RuntimeException e) {
            if (!XChangeFailures.unsupported(e)) {
                throw XChangeFailures.classify(ctx.exchangeId(), "createFundingHistoryParams", ctx.baseUrl(), e);
            }
            p = null;
        }
        if (p == null) {
            p = new TradeHistoryParamsAll();
        }
        shape(p, start, end);
        return p;
    }

    private Optional<Transaction.Builder> funding(FundingRecord r, String id) {
        if (r.getStatus() != null && r.getStatus() != FundingRecord.Status.COMPLETE) {
            if (r.getStatus() == FundingRecord.Status.PROCESSING) {
                LOG.info("{}: funding record {} is {}: skipped until final", ctx.exchangeId(), id, r.getStatus());
            }
            return Optional.empty();
        }
        if (r.getCurrency() == null || r.getAmount() == null || r.getType() == null) {
            throw DataFetchException.malformed(ctx.exchangeId(), "getFundingHistory", id,
                    r.getCurrency() == null ? "currency" : r.getAmount() == null ? "amount" : "type", "missing", null);
        }
        String currency = AssetCodes.normalize(r.getCurrency().getCurrencyCode());
        BigDecimal amount = r.getAmount().abs();
        TransactionType type = switch (r.getType()) {
            case DEPOSIT -> TransactionType.DEPOSIT;
            case WITHDRAWAL -> TransactionType.WITHDRAWAL;
            case INTERNAL_DEPOSIT -> TransactionType.TRANSFER_IN;
            case INTERNAL_WITHDRAWAL -> TransactionType.TRANSFER_OUT;
            case AIRDROP -> TransactionType.REWARD;
            default -> TransactionType.OTHER;
        };
        Transaction.Builder b = Transaction.builder()
                .date(r.getDate().toInstant())
                .symbol(currency)
                .type(type)
                .quantity(amount)
                .amount(amount)
                .currency(currency)
                .fees(r.getFee() == null ? BigDecimal.ZERO : r.getFee().abs())
                .feeCurrency(currency)
                .sourceId(id)
                .rawType(r.getType().name());
        Optional.ofNullable(r.getBlockchainTransactionHash()).filter(h -> !h.isBlank())
                .ifPresent(h -> b.attribute("network_tx_id", h));
        Optional.ofNullable(r.getAddress()).filter(a -> !a.isBlank()).ifPresent(a -> b.attribute("address", a));
        Optional.ofNullable(r.getDescription()).filter(d -> !d.isBlank()).ifPresent(b::description);
        if (type == TransactionType.OTHER) {
            b.attribute("direction", r.getAmount().signum() < 0 || !r.getType().isInflowing() ? "out" : "in");
        }
        return Optional.of(b);
    }

    /**
     * @return the record's identity: the exchange's id, else the chain transaction, else what the record is made
     *         of (so that reading it again gives the same id)
     */
    private static String fundingId(FundingRecord r) {
        String kind = r.getType() == null ? "funding" : r.getType().name().toLowerCase(java.util.Locale.ROOT);
        if (r.getInternalId() != null && !r.getInternalId().isBlank()) {
            return kind + "/" + r.getInternalId();
        }
        if (r.getBlockchainTransactionHash() != null && !r.getBlockchainTransactionHash().isBlank()) {
            return kind + "/" + r.getBlockchainTransactionHash();
        }
        return kind + "/" + (r.getDate() == null ? "" : r.getDate().getTime()) + "/"
                + (r.getCurrency() == null ? "" : r.getCurrency().getCurrencyCode()) + "/"
                + (r.getAmount() == null ? "" : r.getAmount().stripTrailingZeros().toPlainString());
    }

    // ---- trades ----

    private PagedResult<Transaction> tradeHistory(TransactionQuery query, String accountId) {
        Set<String> seen = new HashSet<>();
        // Cursor: "<pair index>|<position>", pair index -1 for the all-pairs history.
        List<CurrencyPair> pairs = new ArrayList<>();
        return PagedResult.of(cursor -> {
            int index;
            String position;
            if (cursor.isEmpty()) {
                Optional<Boolean> allPairs = allPairsAccepted();
                if (allPairs.isEmpty()) {
                    unavailable("trades", "getTradeHistory");
                    return Page.last(List.of());
                }
                if (!allPairs.get()) {
                    pairs.addAll(derivedPairs());
                    LOG.info("{}: {} needs a pair per trade history: reading {} pairs", ctx.exchangeId(), exchangeId,
                            pairs.size());
                    if (pairs.isEmpty()) {
                        return Page.last(List.of());
                    }
                }
                index = allPairs.get() ? -1 : 0;
                position = "";
            } else {
                String[] parts = cursor.get().split("\\|", 2);
                index = Integer.parseInt(parts[0]);
                position = parts[1];
            }
            CurrencyPair pair = index < 0 ? null : pairs.get(index);
            TradeResult r = tradePage(pair, position, query, seen, accountId);
            if (r.next().isPresent()) {
                return Page.of(r.records(), index + "|" + r.next().get());
            }
            if (index >= 0 && index + 1 < pairs.size()) {
                return Page.of(r.records(), (index + 1) + "|");
            }
            return Page.last(r.records());
        });
    }

    private record TradeResult(List<Transaction> records, Optional<String> next) {
    }

    private TradeResult tradePage(CurrencyPair pair, String position, TransactionQuery query, Set<String> seen,
                                  String accountId) {
        Instant start = query.since().orElse(Instant.EPOCH);
        Instant limit = query.until().orElse(Instant.now(ctx.clock()));
        Optional<Instant> windowEnd = Optional.empty();
        if (window.isPresent()) {
            // Position "<window start millis>~<page cursor in that window>".
            if (!position.isEmpty()) {
                String[] parts = position.split("~", 2);
                start = Instant.ofEpochMilli(Long.parseLong(parts[0]));
                position = parts[1];
            }
            windowEnd = Optional.of(window.get().end(start, limit));
        }
        TradeHistoryParams params = tradeParams(pair, start, windowEnd.isPresent() ? windowEnd : query.until());
        String endpoint = "getTradeHistory" + (pair == null ? "" : " " + pair);
        if (windowEnd.isPresent() && !(params instanceof TradeHistoryParamsTimeSpan)) {
            throw new IllegalStateException(exchangeId + " is read window by window but its trade history "
                    + "parameters take no time span");
        }
        if (windowEnd.isPresent() && params instanceof TradeHistoryParamNextPageCursor c) {
            c.setNextPageCursor(position.isEmpty() ? null : position);
        } else if (!position.isEmpty()) {
            if (params instanceof TradeHistoryParamNextPageCursor c) {
                c.setNextPageCursor(position);
            } else if (params instanceof TradeHistoryParamsTimeSpan t) {
                t.setStartTime(new Date(Long.parseLong(position)));
            } else if (params instanceof TradeHistoryParamsIdSpan i) {
                i.setStartId(position);
            }
        }
        UserTrades trades = call(endpoint, () -> exchange.getTradeService().getTradeHistory(params))
                .orElseThrow(() -> new DataFetchException(ctx.exchangeId(), endpoint, "the module stopped "
                        + "answering trade history mid-way", null));
        List<Transaction> out = new ArrayList<>();
        Instant newest = null;
        String lastId = null;
        boolean fresh = false;
        for (UserTrade t : trades.getUserTrades()) {
            Transaction tx = trade(t, endpoint).accountId(accountId).source(ctx.exchangeId()).build();
            if (newest == null || tx.date().isAfter(newest)) {
                newest = tx.date();
                lastId = t.getId();
            }
            if (seen.add(tx.sourceId().orElseThrow())) {
                fresh = true;
                if (query.contains(tx.date())) {
                    out.add(tx);
                }
            }
        }
        List<UserTrade> page = trades.getUserTrades();
        if (params instanceof TradeHistoryParamLimit && page.size() >= PAGE && page.get(0).getTimestamp() != null
                && page.get(page.size() - 1).getTimestamp() != null
                && page.get(0).getTimestamp().after(page.get(page.size() - 1).getTimestamp())) {
            // Newest first and full: the module gives no way to the trades before this page's oldest.
            warnings.add(DataWarning.of(ctx.exchangeId(), endpoint, "the exchange returned a full page of "
                    + page.size() + " trades newest first: trades before "
                    + page.get(page.size() - 1).getTimestamp().toInstant() + " may be missing; reconcile shows "
                    + "whether the history explains the balances"));
        }
        if (windowEnd.isPresent()) {
            String from = Long.toString(start.toEpochMilli());
            Optional<String> next = params instanceof TradeHistoryParamNextPageCursor
                    ? Optional.ofNullable(trades.getNextPageCursor()).filter(c -> !c.isBlank()) : Optional.empty();
            if (next.isPresent() && fresh && seen.size() <= MAX_PAGES * PAGE) {
                return new TradeResult(out, Optional.of(from + "~" + next.get()));
            }
            // An empty window is not the end of the history: the walk goes on to now.
            return new TradeResult(out, windowEnd.get().isBefore(limit)
                    ? Optional.of(window.get().next(windowEnd.get()).toEpochMilli() + "~") : Optional.empty());
        }
        if (!fresh || seen.size() > MAX_PAGES * PAGE) {
            return new TradeResult(out, Optional.empty());
        }
        if (params instanceof TradeHistoryParamNextPageCursor) {
            return new TradeResult(out, Optional.ofNullable(trades.getNextPageCursor()).filter(c -> !c.isBlank()));
        }
        if (params instanceof TradeHistoryParamsTimeSpan && newest != null) {
            // From the newest trade's own time: trades sharing that millisecond are read again and skipped by id.
            return new TradeResult(out, Optional.of(Long.toString(newest.toEpochMilli())));
        }
        if (params instanceof TradeHistoryParamsIdSpan && lastId != null) {
            return new TradeResult(out, Optional.of(lastId));
        }
        return new TradeResult(out, Optional.empty());
    }

    private TradeHistoryParams tradeParams(CurrencyPair pair, Instant start, Optional<Instant> end) {
        TradeHistoryParams p;
        try {
            p = exchange.getTradeService().createTradeHistoryParams();
        } catch (RuntimeException e) {
            if (!XChangeFailures.unsupported(e)) {
                throw XChangeFailures.classify(ctx.exchangeId(), "createTradeHistoryParams", ctx.baseUrl(), e);
            }
            p = null;
        }
        if (p == null) {
            p = new TradeHistoryParamsAll();
        }
        if (p instanceof TradeHistoryParamCurrencyPair cp) {
            cp.setCurrencyPair(pair);
        } else if (p instanceof TradeHistoryParamInstrument ip) {
            ip.setInstrument(pair);
        }
        shape(p, start, end);
        return p;
    }

    /** Oldest first, the largest page, from {@code start}: what lets a history be paged forward by time. */
    private static void shape(TradeHistoryParams p, Instant start, Optional<Instant> end) {
        if (p instanceof TradeHistoryParamsSorted s) {
            s.setOrder(TradeHistoryParamsSorted.Order.asc);
        }
        if (p instanceof TradeHistoryParamLimit l) {
            l.setLimit(PAGE);
        }
        if (p instanceof TradeHistoryParamsTimeSpan t) {
            t.setStartTime(Date.from(start));
            end.ifPresent(e -> t.setEndTime(Date.from(e)));
        }
    }

    /**
     * Asks the module for the history of every pair at once: one call, paged as any other.
     *
     * @return true when it answers without a pair, false when it needs one, empty when it has no trade history
     */
    private Optional<Boolean> allPairsAccepted() {
        Instant now = Instant.now(ctx.clock());
        // A bounded-span exchange gets a span it accepts: left open, a module may fill in one the exchange refuses.
        TradeHistoryParams params = tradeParams(null, now, window.map(w -> now));
        if (params instanceof TradeHistoryParamLimit l) {
            l.setLimit(1);
        }
        return call("getTradeHistory (all pairs)", () -> {
            try {
                exchange.getTradeService().getTradeHistory(params);
                return Boolean.TRUE;
            } catch (NullPointerException | IllegalArgumentException | ClassCastException e) {
                return Boolean.FALSE;
            } catch (ExchangeException e) {
                // A plain ExchangeException (no finer XChange type) before or instead of an answer: the module
                // refuses a history without a pair. Typed ones (rate limit, key refused...) go on as failures.
                if (e.getClass() == ExchangeException.class) {
                    return Boolean.FALSE;
                }
                throw e;
            }
        });
    }

    private Set<CurrencyPair> listedPairs() {
        init();
        Map<Instrument, ?> instruments = exchange.getExchangeMetaData() == null ? Map.of()
                : exchange.getExchangeMetaData().getInstruments();
        Set<CurrencyPair> out = new LinkedHashSet<>();
        if (instruments != null) {
            instruments.keySet().stream().filter(i -> i instanceof CurrencyPair).map(i -> (CurrencyPair) i)
                    .forEach(out::add);
        }
        exchange.getExchangeInstruments().stream().filter(i -> i instanceof CurrencyPair)
                .map(i -> (CurrencyPair) i).forEach(out::add);
        return out;
    }

    private Set<String> heldAssets() {
        Set<String> out = new TreeSet<>();
        balances().stream().filter(b -> b.amount().signum() != 0).map(b -> b.rawAsset().toUpperCase())
                .forEach(out::add);
        return out;
    }

    /**
     * @return the pairs to read one by one when the module needs a pair: every asset of the account (balances,
     *         funding records read in this sync, configured markets) against each other and the major quotes,
     *         limited to the exchange's listed pairs when XChange knows them
     */
    private List<CurrencyPair> derivedPairs() {
        Set<String> assets = new TreeSet<>(heldAssets());
        fundingAssets.forEach(a -> assets.add(a.toUpperCase()));
        Set<CurrencyPair> configured = new LinkedHashSet<>();
        for (String m : ctx.markets()) {
            String[] parts = m.split("[/_-]");
            if (parts.length == 2) {
                configured.add(new CurrencyPair(parts[0], parts[1]));
                assets.add(parts[0]);
            }
        }
        Set<String> quotes = new LinkedHashSet<>(assets);
        quotes.addAll(MAJOR_QUOTES);
        Set<CurrencyPair> listed = listedPairs();
        Set<CurrencyPair> out = new LinkedHashSet<>(configured);
        for (String base : assets) {
            for (String quote : quotes) {
                CurrencyPair p = new CurrencyPair(base, quote);
                if (!base.equals(quote) && (listed.isEmpty() || listed.contains(p))) {
                    out.add(p);
                }
            }
        }
        if (listed.isEmpty() && !out.isEmpty()) {
            warnings.add(DataWarning.of(ctx.exchangeId(), "getTradeHistory", "the exchange's symbols are not "
                    + "loaded (load_remote_metadata: false or not offered by the module): trades read for every "
                    + "pair of held and funded assets with the major quotes, " + out.size() + " pairs; a pair not "
                    + "among those is not read: list it under markets"));
        }
        return new ArrayList<>(out);
    }

    private Transaction.Builder trade(UserTrade t, String endpoint) {
        String id = t.getId();
        if (id == null || id.isBlank()) {
            throw DataFetchException.malformed(ctx.exchangeId(), endpoint, null, "id", "a trade without an id", null);
        }
        if (!(t.getInstrument() instanceof CurrencyPair pair)) {
            throw DataFetchException.malformed(ctx.exchangeId(), endpoint, id, "instrument",
                    "not a currency pair: " + t.getInstrument(), null);
        }
        String base = AssetCodes.normalize(pair.base.getCurrencyCode());
        String quote = AssetCodes.normalize(pair.counter.getCurrencyCode());
        String record = base + "-" + quote + "/" + id;
        Function<String, RuntimeException> missing = f -> DataFetchException.malformed(ctx.exchangeId(), endpoint,
                record, f, "missing", null);
        if (t.getType() != Order.OrderType.BID && t.getType() != Order.OrderType.ASK) {
            throw DataFetchException.malformed(ctx.exchangeId(), endpoint, record, "type",
                    "expected BID or ASK but was " + t.getType(), null);
        }
        BigDecimal qty = Optional.ofNullable(t.getOriginalAmount()).orElseThrow(() -> missing.apply("amount")).abs();
        BigDecimal price = Optional.ofNullable(t.getPrice()).orElseThrow(() -> missing.apply("price"));
        Date when = Optional.ofNullable(t.getTimestamp()).orElseThrow(() -> missing.apply("timestamp"));
        Transaction.Builder b = Transaction.builder()
                .date(when.toInstant())
                .symbol(base)
                .type(t.getType() == Order.OrderType.BID ? TransactionType.BUY : TransactionType.SELL)
                .quantity(qty)
                .price(price)
                .amount(qty.multiply(price))
                .currency(quote)
                .sourceId(record)
                .attribute("market", base + "/" + quote)
                .attribute("trade_id", id);
        if (t.getFeeAmount() != null) {
            b.fees(t.getFeeAmount().abs());
            if (t.getFeeCurrency() != null) {
                b.feeCurrency(AssetCodes.normalize(t.getFeeCurrency().getCurrencyCode()));
            }
        }
        Optional.ofNullable(t.getOrderId()).filter(o -> !o.isBlank()).ifPresent(o -> b.attribute("order_id", o));
        return b;
    }
}
