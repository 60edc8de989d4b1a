package io.foliosync.imports.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.ContractTerms;
import io.foliosync.connectors.api.CurrencyCodes;
import io.foliosync.connectors.api.Holding;
import io.foliosync.imports.store.JdbcPortfolioStore;
import io.foliosync.imports.store.StoreException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apiguardian.api.API;

/**
 * The portfolio's value per day, per account and in total: what each account held each day (from its imported
 * transactions, stored in {@code value_history_quantities} and extended incrementally after each sync), priced at
 * that day's close (stored in {@code daily_closes}, from the application's {@link DailyPrices} and the trades' own
 * prices) and converted at that day's FX rate.
 *
 * <p>Quantities are anchored on today's holdings: an account's quantity on a day is what it holds today less what
 * its history says changed since. Where the history does not explain a holding (a position bought before the
 * history starts, cash a broker does not itemise), the unexplained part is taken as held since the history starts.
 * Today's point is the valuation's ({@link Today}), so the last point is the net worth the dashboard and
 * {@code foliosync value} show. A day on which an asset held has no close within {@value #CARRY_DAYS} days (a
 * weekend or holiday carries the last close) has no value: the series says which assets it lacks instead of
 * drawing a false dip. An asset never priced on any day is left out of every day, and said once.
 *
 * <p>Thread-safe; {@link #update()} is serialised.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ValueHistory {
    /** How many days a close stands for after its day: a long weekend; a longer gap is a day without a price. */
    public static final int CARRY_DAYS = 4;
    private static final BigDecimal ZERO = BigDecimal.ZERO;

    private final DataSource dataSource;
    private final String portfolio;
    private final Clock clock;
    private final JdbcPortfolioStore store;
    private volatile Boolean sqlite;
    // the last day each symbol was asked of a DailyPrices in this process: a page view asks only for days after it
    private final Map<String, LocalDate> askedThrough = new java.util.concurrent.ConcurrentHashMap<>();

    private ValueHistory(JdbcPortfolioStore store, Clock clock) {
        this.store = store;
        this.dataSource = store.dataSource();
        this.portfolio = store.portfolio();
        this.clock = clock;
    }

    /** @return the value history of the store's portfolio */
    public static ValueHistory of(JdbcPortfolioStore store, Clock clock) {
        return new ValueHistory(Objects.requireNonNull(store, "store"), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * What one {@link #update()} did.
     *
     * @param jobs     the finished jobs it took in
     * @param accounts the accounts whose days it recomputed
     * @param rows     the day rows it wrote
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Update(int jobs, int accounts, int rows, Duration took) {
    }

    /** An account as the store names it: its source name (namespace) and account id. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Account(String sourceName, String accountId) {
        public Account {
            Objects.requireNonNull(sourceName, "Account.sourceName");
            Objects.requireNonNull(accountId, "Account.accountId");
        }
    }

    /**
     * Today's valuation, which the series ends on.
     *
     * @param holdings   the latest holdings of every account (their quantities anchor the history)
     * @param baseValues each holding's value in the base currency today, in {@code holdings}' order; empty where
     *                   the valuation left it out
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Today(LocalDate day, List<Holding> holdings, List<Optional<BigDecimal>> baseValues) {
        public Today {
            holdings = List.copyOf(holdings);
            baseValues = List.copyOf(baseValues);
            if (holdings.size() != baseValues.size()) {
                throw new IllegalArgumentException("Today: " + holdings.size() + " holdings but " + baseValues.size()
                        + " values");
            }
        }
    }

    /**
     * One day.
     *
     * @param value    the total in the base currency; empty when an asset held that day has no price (see
     *                 {@code unpriced})
     * @param accounts each account's value that day; empty for an account lacking a price
     * @param flow     deposits less withdrawals that day in the base currency, at that day's prices (what came in
     *                 from outside, not a gain); zero when none
     * @param unpriced the assets held that day without a close (symbol and currency), when any
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Point(LocalDate day, Optional<BigDecimal> value, Map<Account, Optional<BigDecimal>> accounts,
                        BigDecimal flow, List<String> unpriced) {
        /** @return whether every asset held that day was priced */
        public boolean complete() {
            return unpriced.isEmpty();
        }
    }

    /**
     * @param points   one per day from the first to the last asked, in order
     * @param leftOut  assets held at some point that have no price on any day (left out of every day's value)
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Series(String baseCurrency, List<Point> points, List<String> leftOut) {
    }

    // ------------------------------------------------------------------------------------------------- update

    /**
     * Takes in the jobs finished since the last update: recomputes, for each account they wrote transactions to, the
     * days from the earliest trade date they wrote on (reading that account's transactions from that date only).
     * A job still running is left for the next update, and so is every job after it.
     */
    public synchronized Update update() {
        Instant start = clock.instant();
        return write(c -> {
            long last = lastJob(c);
            long upTo = finishedUpTo(c);
            if (upTo <= last) {
                return new Update(0, 0, 0, Duration.between(start, clock.instant()));
            }
            Map<Account, LocalDate> from = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT source_name, account_id, MIN(trade_date) "
                    + "FROM transactions WHERE portfolio_id = ? AND job_id > ? AND job_id <= ? "
                    + "GROUP BY source_name, account_id")) {
                ps.setString(1, portfolio);
                ps.setLong(2, last);
                ps.setLong(3, upTo);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        from.put(new Account(rs.getString(1), rs.getString(2)), day(rs.getString(3)));
                    }
                }
            }
            int rows = 0;
            for (Map.Entry<Account, LocalDate> e : from.entrySet()) {
                rows += recompute(c, e.getKey(), e.getValue());
            }
            int jobs = countJobs(c, last, upTo);
            saveLastJob(c, upTo);
            return new Update(jobs, from.size(), rows, Duration.between(start, clock.instant()));
        });
    }

    /** Rebuilds every account's days from its first transaction: after a record was moved to a later date. */
    public synchronized Update rebuild() {
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM value_history_state WHERE portfolio_id = ?");
                 PreparedStatement q = c.prepareStatement(
                         "DELETE FROM value_history_quantities WHERE portfolio_id = ?")) {
                ps.setString(1, portfolio);
                ps.executeUpdate();
                q.setString(1, portfolio);
                q.executeUpdate();
            }
            return null;
        });
        return update();
    }

    private long lastJob(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT last_job_id FROM value_history_state WHERE portfolio_id = ?")) {
            ps.setString(1, portfolio);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    /** @return the highest job id below which no job is still running */
    private long finishedUpTo(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(id) FROM import_jobs WHERE portfolio_id = ? "
                + "AND status = 'running'");
             PreparedStatement max = c.prepareStatement("SELECT MAX(id) FROM import_jobs WHERE portfolio_id = ?")) {
            ps.setString(1, portfolio);
            try (ResultSet rs = ps.executeQuery()) {
                long running = rs.next() ? rs.getLong(1) : 0L;
                if (running > 0) {
                    return running - 1;
                }
            }
            max.setString(1, portfolio);
            try (ResultSet rs = max.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    private int countJobs(Connection c, long after, long upTo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM import_jobs WHERE portfolio_id = ? "
                + "AND id > ? AND id <= ?")) {
            ps.setString(1, portfolio);
            ps.setLong(2, after);
            ps.setLong(3, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    private void saveLastJob(Connection c, long job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE value_history_state SET last_job_id = ?, updated_at = ? "
                + "WHERE portfolio_id = ?")) {
            ps.setLong(1, job);
            bindInstant(ps, 2, clock.instant());
            ps.setString(3, portfolio);
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO value_history_state (portfolio_id, last_job_id, "
                + "updated_at) VALUES (?, ?, ?)")) {
            ps.setString(1, portfolio);
            ps.setLong(2, job);
            bindInstant(ps, 3, clock.instant());
            ps.executeUpdate();
        }
    }

    /** Recomputes one account's day rows from {@code from}: the quantities before it are the stored ones. */
    private int recompute(Connection c, Account a, LocalDate from) throws SQLException {
        Map<String, BigDecimal> held = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT q.asset, q.quantity FROM value_history_quantities q "
                + "WHERE q.portfolio_id = ? AND q.source_name = ? AND q.account_id = ? AND q.day = (SELECT MAX(p.day) "
                + "FROM value_history_quantities p WHERE p.portfolio_id = q.portfolio_id AND p.source_name = "
                + "q.source_name AND p.account_id = q.account_id AND p.asset = q.asset AND p.day < ?)")) {
            ps.setString(1, portfolio);
            ps.setString(2, a.sourceName());
            ps.setString(3, a.accountId());
            bindDay(ps, 4, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.put(rs.getString(1), decimal(rs.getString(2)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM value_history_quantities WHERE portfolio_id = ? "
                + "AND source_name = ? AND account_id = ? AND day >= ?")) {
            ps.setString(1, portfolio);
            ps.setString(2, a.sourceName());
            ps.setString(3, a.accountId());
            bindDay(ps, 4, from);
            ps.executeUpdate();
        }
        int rows = 0;
        try (PreparedStatement read = c.prepareStatement("SELECT trade_date, transaction_type, symbol, quantity, "
                + "price, amount, currency, fees, fee_currency, attributes FROM transactions WHERE portfolio_id = ? "
                + "AND source_name = ? AND account_id = ? AND trade_date >= ? ORDER BY trade_date, date, id");
             PreparedStatement insert = c.prepareStatement("INSERT INTO value_history_quantities (portfolio_id, "
                     + "source_name, account_id, asset, day, quantity, flow) VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement trade = c.prepareStatement("INSERT INTO daily_closes (symbol, currency, day, price, "
                     + "source) VALUES (?, ?, ?, ?, 'trade') ON CONFLICT (symbol, currency, day) DO NOTHING")) {
            read.setString(1, portfolio);
            read.setString(2, a.sourceName());
            read.setString(3, a.accountId());
            bindDay(read, 4, from);
            read.setFetchSize(1000);
            LocalDate day = null;
            Map<String, BigDecimal> flows = new LinkedHashMap<>();
            Set<String> changed = new java.util.LinkedHashSet<>();
            int pending = 0;
            try (ResultSet rs = read.executeQuery()) {
                while (true) {
                    boolean more = rs.next();
                    LocalDate d = more ? day(rs.getString(1)) : null;
                    if (day != null && (!more || !d.equals(day))) {
                        for (String asset : changed) {
                            insert.setString(1, portfolio);
                            insert.setString(2, a.sourceName());
                            insert.setString(3, a.accountId());
                            insert.setString(4, asset);
                            bindDay(insert, 5, day);
                            bindDecimal(insert, 6, held.getOrDefault(asset, ZERO));
                            bindDecimal(insert, 7, flows.getOrDefault(asset, ZERO));
                            insert.addBatch();
                            rows++;
                            if (++pending % 1000 == 0) {
                                insert.executeBatch();
                                trade.executeBatch();
                            }
                        }
                        changed.clear();
                        flows.clear();
                    }
                    if (!more) {
                        break;
                    }
                    day = d;
                    Record r = new Record(rs.getString(2), Optional.ofNullable(rs.getString(3)),
                            decimal(rs.getString(4)), Optional.ofNullable(rs.getString(5)).map(ValueHistory::decimal),
                            decimal(rs.getString(6)), rs.getString(7), decimal(rs.getString(8)),
                            Optional.ofNullable(rs.getString(9)), Optional.ofNullable(rs.getString(10)).orElse(""));
                    for (Effect e : r.effects()) {
                        held.merge(e.asset(), e.delta(), BigDecimal::add);
                        changed.add(e.asset());
                        if (e.flow()) {
                            flows.merge(e.asset(), e.delta(), BigDecimal::add);
                        }
                    }
                    if (r.tradePrice().isPresent()) {
                        trade.setString(1, r.symbol().orElseThrow());
                        trade.setString(2, r.currency());
                        bindDay(trade, 3, d);
                        bindDecimal(trade, 4, r.tradePrice().get());
                        trade.addBatch();
                    }
                }
            }
            insert.executeBatch();
            trade.executeBatch();
        }
        return rows;
    }

    /** A change of one asset's quantity; {@code flow} when it came from or went outside (a deposit, a withdrawal). */
    record Effect(String asset, BigDecimal delta, boolean flow) {
    }

    /** The columns of a transaction the quantities need. */
    record Record(String type, Optional<String> symbol, BigDecimal quantity, Optional<BigDecimal> price,
                  BigDecimal amount, String currency, BigDecimal fees, Optional<String> feeCurrency,
                  String attributes) {
        /** @return a buy's or sell's price per unit, a close that day when the market data has none */
        Optional<BigDecimal> tradePrice() {
            return (type.equals("BUY") || type.equals("SELL")) && symbol.isPresent() && !fxTrade()
                    && !symbol.get().equals(currency) ? price.filter(p -> p.signum() > 0) : Optional.empty();
        }

        // a broker's currency conversion (IBKR's EUR.USD, asset category CASH): units of the first currency
        private boolean fxTrade() {
            return symbol.isPresent() && symbol.get().matches("[A-Z]{3}\\.[A-Z]{3}")
                    && attributes.contains("\"CASH\"");
        }

        /** @return what the record does to the account's quantities (the rule {@code Reconciler} reconciles by) */
        List<Effect> effects() {
            List<Effect> out = new ArrayList<>(3);
            String sym = symbol.orElse(null);
            if (sym != null && fxTrade()) {
                sym = sym.substring(0, 3);
            }
            switch (type) {
                case "BUY" -> {
                    if (sym != null) {
                        out.add(new Effect(sym, quantity, false));
                        if (!currency.equals(sym)) {
                            out.add(new Effect(currency, amount.negate(), false));
                        }
                    }
                }
                case "SELL" -> {
                    if (sym != null) {
                        out.add(new Effect(sym, quantity.negate(), false));
                        if (!currency.equals(sym)) {
                            out.add(new Effect(currency, amount, false));
                        }
                    }
                }
                case "DEPOSIT", "TRANSFER_IN" -> out.add(sym != null ? new Effect(sym, quantity, true)
                        : new Effect(currency, amount, true));
                case "WITHDRAWAL", "TRANSFER_OUT" -> out.add(sym != null ? new Effect(sym, quantity.negate(), true)
                        : new Effect(currency, amount.negate(), true));
                case "REWARD" -> out.add(sym != null ? new Effect(sym, quantity, false)
                        : new Effect(currency, amount, false));
                case "INTEREST" -> out.add(sym != null && !CurrencyCodes.isIso4217(sym)
                        ? new Effect(sym, quantity, false) : new Effect(currency, amount, false));
                case "DIVIDEND" -> out.add(new Effect(currency, amount, false));
                case "TAX", "FEE" -> out.add(new Effect(currency, amount.negate(), false));
                case "SPLIT" -> {
                    if (sym != null) {
                        boolean reverse = attributes.contains("\"original_sign\":\"negative\"");
                        out.add(new Effect(sym, reverse ? quantity.negate() : quantity, false));
                    }
                }
                default -> {
                    // OTHER: its effect is unknown and not guessed; today's holdings anchor what it changed
                }
            }
            if (fees.signum() > 0) {
                out.add(new Effect(feeCurrency.orElse(currency), fees.negate(), false));
            }
            out.removeIf(e -> e.delta().signum() == 0 && !e.flow());
            return out;
        }
    }

    // ------------------------------------------------------------------------------------------------- series

    /**
     * The series from {@code from} to today's day, after taking in the jobs finished since the last update.
     *
     * @param from   the first day; empty for the first day of the history
     * @param to     the last day; at most {@code today.day()}
     * @param prices where to get the closes not stored yet
     * @param today  the valuation the series ends on
     */
    public Series series(Optional<LocalDate> from, LocalDate to, String baseCurrency, DailyPrices prices, Today today) {
        Objects.requireNonNull(prices, "prices");
        Objects.requireNonNull(today, "today");
        if (to.isAfter(today.day())) {
            to = today.day();
        }
        update();
        // the step function per account and asset: day -> quantity the history explains, and the day's flow
        Map<Account, Map<String, TreeMap<LocalDate, BigDecimal[]>>> steps = read(c -> {
            Map<Account, Map<String, TreeMap<LocalDate, BigDecimal[]>>> m = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT source_name, account_id, asset, day, quantity, flow "
                    + "FROM value_history_quantities WHERE portfolio_id = ? ORDER BY source_name, account_id, asset, "
                    + "day")) {
                ps.setString(1, portfolio);
                ps.setFetchSize(5000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        m.computeIfAbsent(new Account(rs.getString(1), rs.getString(2)), k -> new HashMap<>())
                                .computeIfAbsent(rs.getString(3), k -> new TreeMap<>())
                                .put(day(rs.getString(4)), new BigDecimal[] {decimal(rs.getString(5)),
                                    decimal(rs.getString(6))});
                    }
                }
            }
            return m;
        });
        // today's holdings per account and asset: the anchor, their terms and currencies, and today's values
        Map<Account, Map<String, Held>> now = new LinkedHashMap<>();
        Map<Account, BigDecimal> todayValue = new LinkedHashMap<>();
        for (int i = 0; i < today.holdings().size(); i++) {
            Holding h = today.holdings().get(i);
            Account a = new Account(h.source(), h.accountId());
            Held held = now.computeIfAbsent(a, k -> new LinkedHashMap<>()).computeIfAbsent(h.symbol(),
                    k -> new Held(h.currency(), h.assetClass(), h.terms()));
            held.quantity = held.quantity.add(h.quantity());
            BigDecimal v = today.baseValues().get(i).orElse(null);
            todayValue.merge(a, v == null ? ZERO : v, BigDecimal::add);
        }
        LocalDate first = steps.values().stream().flatMap(m -> m.values().stream()).map(TreeMap::firstKey)
                .min(LocalDate::compareTo).orElse(today.day());
        LocalDate start = from.filter(f -> f.isAfter(first)).orElse(first);
        if (start.isAfter(to)) {
            return new Series(baseCurrency, List.of(), List.of());
        }
        // every account and asset held: its anchor offset, price currency and terms
        List<Line> lines = new ArrayList<>();
        Set<Account> accounts = new java.util.LinkedHashSet<>(steps.keySet());
        accounts.addAll(now.keySet());
        for (Account a : accounts) {
            Map<String, TreeMap<LocalDate, BigDecimal[]>> assets = steps.getOrDefault(a, Map.of());
            Map<String, Held> held = now.getOrDefault(a, Map.of());
            Set<String> all = new java.util.LinkedHashSet<>(assets.keySet());
            all.addAll(held.keySet());
            for (String asset : all) {
                TreeMap<LocalDate, BigDecimal[]> s = assets.getOrDefault(asset, new TreeMap<>());
                Held h = held.get(asset);
                BigDecimal explained = s.isEmpty() ? ZERO : s.lastEntry().getValue()[0];
                BigDecimal offset = h == null ? ZERO : h.quantity.subtract(explained);
                String currency = h != null ? (h.assetClass == AssetClass.CASH ? asset : h.currency)
                        : CurrencyCodes.isIso4217(asset) ? asset : null;
                lines.add(new Line(a, asset, s, offset, Optional.ofNullable(currency),
                        h == null ? Optional.empty() : Optional.of(h.assetClass),
                        h == null ? ContractTerms.PER_UNIT : h.terms));
            }
        }
        LocalDate lastPriced = to.isBefore(today.day()) ? to : to.minusDays(1);
        Map<String, TreeMap<LocalDate, BigDecimal>> closes = closes(lines, start, lastPriced, baseCurrency, prices);
        List<String> leftOut = new ArrayList<>();
        for (Line l : lines) {
            String k = l.priceKey();
            boolean cash = l.currency().isPresent() && l.currency().get().equals(l.asset());
            if (!cash && (l.currency().isEmpty() || closes.getOrDefault(k, new TreeMap<>()).isEmpty())
                    && l.everHeld(start, to)) {
                leftOut.add(l.asset() + (l.currency().map(c -> " (" + c + ")").orElse("")));
            }
        }
        // each line walks its steps and closes day by day with a cursor: no lookup per line and day
        List<Account> accountList = new ArrayList<>(new java.util.LinkedHashSet<>(lines.stream()
                .map(Line::account).toList()));
        Map<Account, Integer> accountIndex = new HashMap<>();
        for (int i = 0; i < accountList.size(); i++) {
            accountIndex.put(accountList.get(i), i);
        }
        List<Walker> walkers = new ArrayList<>();
        for (Line l : lines) {
            String label = l.asset() + (l.currency().map(c -> " (" + c + ")").orElse(""));
            if (leftOut.contains(label) || l.currency().isEmpty()) {
                continue;
            }
            String c = l.currency().get();
            walkers.add(new Walker(l, accountIndex.get(l.account()), c.equals(l.asset()) ? null
                    : closes.getOrDefault(l.priceKey(), new TreeMap<>()), c.equals(baseCurrency) ? null
                    : closes.getOrDefault(fxKey(c, baseCurrency), new TreeMap<>()),
                    l.asset() + " (" + c + ")", l.asset() + " (" + c + " to " + baseCurrency + ")"));
        }
        List<Point> points = new ArrayList<>();
        int n = accountList.size();
        for (LocalDate d = start; !d.isAfter(to); d = d.plusDays(1)) {
            if (d.equals(today.day())) {
                points.add(todayPoint(d, lines, todayValue, closes, baseCurrency));
                continue;
            }
            BigDecimal[] perAccount = new BigDecimal[n];
            java.util.Arrays.fill(perAccount, ZERO);
            boolean[] incomplete = new boolean[n];
            boolean anyIncomplete = false;
            List<String> unpriced = List.of();
            BigDecimal flow = ZERO;
            for (Walker w : walkers) {
                w.advance(d);
                BigDecimal q = w.quantity();
                BigDecimal f = w.flow(d);
                if (q.signum() == 0 && f.signum() == 0) {
                    continue;
                }
                BigDecimal price = w.price(d);
                BigDecimal fx = price == null ? null : w.fx(d);
                if (price == null || fx == null) {
                    if (q.signum() != 0) {
                        incomplete[w.account] = true;
                        anyIncomplete = true;
                        if (unpriced.isEmpty()) {
                            unpriced = new ArrayList<>();
                        }
                        String what = price == null ? w.noPrice : w.noFx;
                        if (!unpriced.contains(what)) {
                            unpriced.add(what);
                        }
                    }
                    continue;
                }
                if (q.signum() != 0) {
                    BigDecimal v = w.line.terms().value(q, price);
                    perAccount[w.account] = perAccount[w.account].add(fx == BigDecimal.ONE ? v : v.multiply(fx));
                }
                if (f.signum() != 0) {
                    BigDecimal v = w.line.terms().value(f, price);
                    flow = flow.add(fx == BigDecimal.ONE ? v : v.multiply(fx));
                }
            }
            Map<Account, Optional<BigDecimal>> values = new LinkedHashMap<>();
            BigDecimal total = ZERO;
            for (int i = 0; i < n; i++) {
                values.put(accountList.get(i), incomplete[i] ? Optional.empty() : Optional.of(perAccount[i]));
                total = total.add(perAccount[i]);
            }
            points.add(new Point(d, anyIncomplete ? Optional.empty() : Optional.of(total), values, flow,
                    List.copyOf(unpriced)));
        }
        return new Series(baseCurrency, points, leftOut);
    }

    /** Today: the valuation's values, so the series ends on the net worth; flows at today's closes where known. */
    private Point todayPoint(LocalDate d, List<Line> lines, Map<Account, BigDecimal> todayValue,
                             Map<String, TreeMap<LocalDate, BigDecimal>> closes, String base) {
        Map<Account, Optional<BigDecimal>> values = new LinkedHashMap<>();
        BigDecimal flow = ZERO;
        for (Line l : lines) {
            values.putIfAbsent(l.account(), Optional.of(todayValue.getOrDefault(l.account(), ZERO)));
            BigDecimal f = l.flowOn(d);
            if (f.signum() != 0 && l.currency().isPresent()) {
                Optional<BigDecimal> price = l.currency().get().equals(l.asset()) ? Optional.of(BigDecimal.ONE)
                        : on(closes.get(l.priceKey()), d);
                Optional<BigDecimal> fx = l.currency().get().equals(base) ? Optional.of(BigDecimal.ONE)
                        : on(closes.get(fxKey(l.currency().get(), base)), d);
                if (price.isPresent() && fx.isPresent()) {
                    flow = flow.add(l.terms().value(f, price.get()).multiply(fx.get()));
                }
            }
        }
        return new Point(d, Optional.of(todayValue.values().stream().reduce(ZERO, BigDecimal::add)), values, flow,
                List.of());
    }

    private static Optional<BigDecimal> on(TreeMap<LocalDate, BigDecimal> closes, LocalDate d) {
        if (closes == null) {
            return Optional.empty();
        }
        Map.Entry<LocalDate, BigDecimal> e = closes.floorEntry(d);
        return e == null || e.getKey().plusDays(CARRY_DAYS).isBefore(d) ? Optional.empty() : Optional.of(e.getValue());
    }

    private static String fxKey(String from, String to) {
        return from + "\u001f" + to;
    }

    /** A line walked day by day: the step, close and rate in force, found by moving forward only. */
    private static final class Walker {
        final Line line;
        final int account;
        final String noPrice;
        final String noFx;
        private final LocalDate[] stepDays;
        private final BigDecimal[][] steps;
        private final LocalDate[] priceDays;
        private final BigDecimal[] prices;
        private final LocalDate[] fxDays;
        private final BigDecimal[] rates;
        private int step = -1;
        private int priceAt = -1;
        private int fxAt = -1;

        /** @param closes the asset's closes, null for cash; @param fx the rates to the base, null in the base */
        Walker(Line line, int account, TreeMap<LocalDate, BigDecimal> closes, TreeMap<LocalDate, BigDecimal> fx,
               String noPrice, String noFx) {
            this.line = line;
            this.account = account;
            this.noPrice = noPrice;
            this.noFx = noFx;
            this.stepDays = line.steps().keySet().toArray(LocalDate[]::new);
            this.steps = line.steps().values().toArray(BigDecimal[][]::new);
            this.priceDays = closes == null ? null : closes.keySet().toArray(LocalDate[]::new);
            this.prices = closes == null ? null : closes.values().toArray(BigDecimal[]::new);
            this.fxDays = fx == null ? null : fx.keySet().toArray(LocalDate[]::new);
            this.rates = fx == null ? null : fx.values().toArray(BigDecimal[]::new);
        }

        void advance(LocalDate d) {
            while (step + 1 < stepDays.length && !stepDays[step + 1].isAfter(d)) {
                step++;
            }
            if (priceDays != null) {
                while (priceAt + 1 < priceDays.length && !priceDays[priceAt + 1].isAfter(d)) {
                    priceAt++;
                }
            }
            if (fxDays != null) {
                while (fxAt + 1 < fxDays.length && !fxDays[fxAt + 1].isAfter(d)) {
                    fxAt++;
                }
            }
        }

        BigDecimal quantity() {
            return (step < 0 ? ZERO : steps[step][0]).add(line.offset());
        }

        BigDecimal flow(LocalDate d) {
            return step >= 0 && stepDays[step].equals(d) ? steps[step][1] : ZERO;
        }

        /** @return the close in force on {@code d} (at most {@value #CARRY_DAYS} days old), 1 for cash, else null */
        BigDecimal price(LocalDate d) {
            if (priceDays == null) {
                return BigDecimal.ONE;
            }
            return priceAt < 0 || priceDays[priceAt].plusDays(CARRY_DAYS).isBefore(d) ? null : prices[priceAt];
        }

        BigDecimal fx(LocalDate d) {
            if (fxDays == null) {
                return BigDecimal.ONE;
            }
            return fxAt < 0 || fxDays[fxAt].plusDays(CARRY_DAYS).isBefore(d) ? null : rates[fxAt];
        }
    }

    private static final class Held {
        final String currency;
        final AssetClass assetClass;
        final ContractTerms terms;
        BigDecimal quantity = ZERO;

        Held(String currency, AssetClass assetClass, ContractTerms terms) {
            this.currency = currency;
            this.assetClass = assetClass;
            this.terms = terms;
        }
    }

    /** One account's holding of one asset over time. */
    private record Line(Account account, String asset, TreeMap<LocalDate, BigDecimal[]> steps, BigDecimal offset,
                        Optional<String> currency, Optional<AssetClass> assetClass, ContractTerms terms) {
        BigDecimal quantityOn(LocalDate d) {
            Map.Entry<LocalDate, BigDecimal[]> e = steps.floorEntry(d);
            return (e == null ? ZERO : e.getValue()[0]).add(offset);
        }

        BigDecimal flowOn(LocalDate d) {
            BigDecimal[] v = steps.get(d);
            return v == null ? ZERO : v[1];
        }

        boolean everHeld(LocalDate from, LocalDate to) {
            return offset.signum() != 0 || steps.values().stream().anyMatch(v -> v[0].signum() != 0);
        }

        String priceKey() {
            return asset + "\u001f" + currency.orElse("");
        }
    }

    /** @return the closes of every line's asset and currency, and the FX rates to the base, from stored and asked */
    private Map<String, TreeMap<LocalDate, BigDecimal>> closes(List<Line> lines, LocalDate from, LocalDate to,
                                                                String base, DailyPrices prices) {
        Map<String, TreeMap<LocalDate, BigDecimal>> out = new HashMap<>();
        Map<String, Optional<AssetClass>> symbols = new LinkedHashMap<>();
        Set<String> currencies = new java.util.LinkedHashSet<>();
        for (Line l : lines) {
            if (l.currency().isEmpty()) {
                continue;
            }
            if (!l.currency().get().equals(l.asset())) {
                symbols.putIfAbsent(l.priceKey(), l.assetClass());
            }
            if (!l.currency().get().equals(base)) {
                currencies.add(l.currency().get());
            }
        }
        LocalDate readFrom = from.minusDays(CARRY_DAYS);
        symbols.forEach((key, cls) -> {
            String[] sc = key.split("\u001f");
            out.put(key, closesOf(sc[0], sc[1], readFrom, to, id -> prices.closes(sc[0], sc[1], cls,
                    id.from(), id.to())));
        });
        for (String c : currencies) {
            out.put(fxKey(c, base), closesOf(c, base, readFrom, to, id -> prices.fxRates(c, base, id.from(),
                    id.to())));
        }
        return out;
    }

    private record Range(LocalDate from, LocalDate to) {
    }

    /** @return the stored closes, after asking {@code ask} for the days after the last market close stored */
    private TreeMap<LocalDate, BigDecimal> closesOf(String symbol, String currency, LocalDate from, LocalDate to,
                                                    java.util.function.Function<Range, Map<LocalDate, BigDecimal>> ask) {
        Optional<LocalDate> lastMarket = read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(day) FROM daily_closes WHERE symbol = ? AND "
                    + "currency = ? AND source <> 'trade'")) {
                ps.setString(1, symbol);
                ps.setString(2, currency);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getString(1) != null ? Optional.of(day(rs.getString(1)))
                            : Optional.<LocalDate>empty();
                }
            }
        });
        String key = symbol + "\u001f" + currency;
        LocalDate askFrom = from;
        for (Optional<LocalDate> after : List.of(lastMarket, Optional.ofNullable(askedThrough.get(key)))) {
            if (after.isPresent() && !after.get().isBefore(askFrom)) {
                askFrom = after.get().plusDays(1);
            }
        }
        if (!askFrom.isAfter(to)) {
            Map<LocalDate, BigDecimal> got = ask.apply(new Range(askFrom, to));
            askedThrough.merge(key, to, (a, b) -> a.isAfter(b) ? a : b);
            if (!got.isEmpty()) {
                write(c -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO daily_closes (symbol, currency, day, "
                            + "price, source) VALUES (?, ?, ?, ?, 'market') ON CONFLICT (symbol, currency, day) DO "
                            + "UPDATE SET price = excluded.price, source = excluded.source")) {
                        for (Map.Entry<LocalDate, BigDecimal> e : new TreeMap<>(got).entrySet()) {
                            ps.setString(1, symbol);
                            ps.setString(2, currency);
                            bindDay(ps, 3, e.getKey());
                            bindDecimal(ps, 4, e.getValue());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    return null;
                });
            }
        }
        return read(c -> {
            TreeMap<LocalDate, BigDecimal> m = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT day, price FROM daily_closes WHERE symbol = ? AND "
                    + "currency = ? AND day >= ? AND day <= ?")) {
                ps.setString(1, symbol);
                ps.setString(2, currency);
                bindDay(ps, 3, from);
                bindDay(ps, 4, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        m.put(day(rs.getString(1)), decimal(rs.getString(2)));
                    }
                }
            }
            return m;
        });
    }

    // ------------------------------------------------------------------------------------------------- jdbc

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("value history: cannot read " + store.location() + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one transaction: a failed update leaves the stored days as they were. */
    private <T> T write(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T t = work.run(c);
                c.commit();
                return t;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StoreException("value history: cannot write " + store.location() + ": " + e.getMessage(), e);
        }
    }

    private boolean sqlite(PreparedStatement ps) throws SQLException {
        Boolean s = sqlite;
        if (s == null) {
            s = ps.getConnection().getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
                    .contains("sqlite");
            sqlite = s;
        }
        return s;
    }

    private void bindDay(PreparedStatement ps, int i, LocalDate d) throws SQLException {
        if (sqlite(ps)) {
            ps.setString(i, d.toString());
        } else {
            ps.setObject(i, d);
        }
    }

    private void bindDecimal(PreparedStatement ps, int i, BigDecimal v) throws SQLException {
        if (sqlite(ps)) {
            ps.setString(i, v.toPlainString());
        } else {
            ps.setBigDecimal(i, v);
        }
    }

    private void bindInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (sqlite(ps)) {
            ps.setString(i, java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
                    .withZone(ZoneOffset.UTC).format(t));
        } else {
            ps.setObject(i, java.time.OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
        }
    }

    private static LocalDate day(String s) {
        return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
    }

    private static BigDecimal decimal(String s) {
        return s == null ? ZERO : new BigDecimal(s);
    }
}
