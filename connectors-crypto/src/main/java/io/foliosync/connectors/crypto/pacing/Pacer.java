package io.foliosync.connectors.crypto.pacing;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.http.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces one exchange account's calls by its exchange's documented limits ({@link PacingModel}): before each
 * attempt {@link #acquire(String)} charges the endpoint's cost to its budgets and waits until the exchange would
 * accept it, and the returned {@link Permit} moves the charge to when the call was answered; {@link #refused} and
 * {@link #observed} feed back what the exchange said. Budgets are shared through
 * the {@link RateLimiterRegistry} by what the exchange counts them for: per key ({@link BudgetSpec.Scope#KEY},
 * {@code UID}) or per IP address, so two accounts with different keys never wait for each other unless their
 * exchange counts them together.
 *
 * <p>{@link #estimate(int, int)} tells a progress display how long N more calls will take at the pace the limits
 * allow, from the budget's current state.
 */
@API(status = INTERNAL, since = "0.1")
public final class Pacer {
    private static final Logger LOG = LoggerFactory.getLogger(Pacer.class);
    private final String source;
    private final PacingModel model;
    private final Map<String, Budget> budgets;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration maxWait;

    private Pacer(String source, PacingModel model, Map<String, Budget> budgets, Clock clock, Sleeper sleeper,
                  Duration maxWait) {
        this.source = source;
        this.model = model;
        this.budgets = budgets;
        this.clock = clock;
        this.sleeper = sleeper;
        this.maxWait = maxWait;
    }

    /**
     * @param source   the account, for messages
     * @param model    the exchange's limits
     * @param registry where budgets are shared
     * @param apiKey   the key per-key budgets are shared by
     * @param host     the host per-IP budgets are shared by (one machine, one address)
     * @param maxWait  the longest one call may wait before it fails with a {@link RateLimitException}
     */
    public static Pacer create(String source, PacingModel model, RateLimiterRegistry registry, String apiKey,
                               String host, Clock clock, Sleeper sleeper, Duration maxWait) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(registry, "registry");
        Map<String, Budget> budgets = new LinkedHashMap<>();
        model.budgets().forEach((name, spec) -> {
            String provider = "pacing:" + model.exchange() + ":" + name + ":" + spec;
            String key = spec.scope() == BudgetSpec.Scope.IP ? "ip:" + host : "key:" + apiKey;
            // a per-IP limit is spent by every process behind the address: in a distributed registry it lives in
            // the shared store; per-key (and per-UID) budgets stay in this process, which syncs that account alone
            budgets.put(name, registry.shared(provider, key, Budget.class, () -> spec.scope() == BudgetSpec.Scope.IP
                    ? registry.sharedBucket(provider, key, SharedBudget.limits(spec, model.maxCost(name)))
                            .<Budget>map(bucket -> SharedBudget.on(spec, bucket))
                            .orElseGet(() -> Budget.of(spec))
                    : Budget.of(spec)));
        });
        return new Pacer(source, model, Map.copyOf(budgets), clock, sleeper, maxWait);
    }

    /** @return a pacer whose budgets are its own (tests) */
    public static Pacer isolated(String source, PacingModel model, Clock clock, Sleeper sleeper) {
        return create(source, model, RateLimiterRegistry.isolated(), "", "", clock, sleeper, Duration.ofHours(1));
    }

    public PacingModel model() {
        return model;
    }

    private long now() {
        Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /**
     * One call's charges. {@link #done()} once its answer has arrived (or it failed): the charges then stand at
     * that time, when the exchange has certainly counted the call, rather than at the time it was planned.
     */
    public static final class Permit {
        private final Pacer pacer;
        private final List<Budget> budgets;
        private final List<Budget.Slot> slots;
        private boolean done;

        private Permit(Pacer pacer, List<Budget> budgets, List<Budget.Slot> slots) {
            this.pacer = pacer;
            this.budgets = budgets;
            this.slots = slots;
        }

        /** The call has been answered or has failed; once is enough, more calls change nothing. */
        public void done() {
            if (done) {
                return;
            }
            done = true;
            long now = pacer.now();
            for (int i = 0; i < budgets.size(); i++) {
                budgets.get(i).settle(slots.get(i), now);
            }
        }
    }

    /**
     * Charges one call to {@code endpoint} and waits until every budget it draws from allows it. The caller makes
     * the call, then tells the permit it is {@link Permit#done() done}: a call that reaches the exchange later than
     * planned then delays the next one by as much, instead of letting it arrive too soon.
     *
     * @throws RateLimitException when the wait would pass the bound, or on interrupt
     */
    public Permit acquire(String endpoint) {
        long now = now();
        long wait = 0;
        List<PacingModel.Charge> charges = model.charges(endpoint);
        List<Budget> drawn = new ArrayList<>(charges.size());
        List<Budget.Slot> slots = new ArrayList<>(charges.size());
        for (PacingModel.Charge c : charges) {
            Budget b = budgets.get(c.budget());
            Budget.Slot slot = b.reserve(c.cost(), now);
            drawn.add(b);
            slots.add(slot);
            wait = Math.max(wait, slot.at - now);
        }
        Permit permit = new Permit(this, drawn, slots);
        if (wait <= 0) {
            return permit;
        }
        Duration d = Duration.ofNanos(wait);
        if (d.compareTo(maxWait) > 0) {
            throw new RateLimitException(source, endpoint + ": the exchange's documented limit needs a wait of "
                    + d.toSeconds() + " s, longer than " + maxWait.toSeconds() + " s", Optional.of(d));
        }
        LOG.debug("{}: {} waits {} ms for its rate limit", source, endpoint, d.toMillis());
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RateLimitException(source, endpoint + ": interrupted while waiting for the rate limit",
                    Optional.of(d));
        }
        return permit;
    }

    /**
     * The exchange refused a call to {@code endpoint} for its rate limit: its budgets count as spent until the
     * {@code retryAfter} (or a period), and adaptive ones assume a smaller budget for the rest of the sync.
     */
    public void refused(String endpoint, Optional<Duration> retryAfter) {
        long now = now();
        long after = retryAfter.map(Duration::toNanos).orElse(0L);
        for (PacingModel.Charge c : model.charges(endpoint)) {
            budgets.get(c.budget()).refused(now, after);
        }
    }

    /** The exchange reported {@code used} units spent in its current window of {@code budget} (Binance). */
    public void observed(String budget, double used) {
        Budget b = budgets.get(budget);
        if (b != null) {
            b.observed(used, now(), clock.millis());
        }
    }

    /** @return what one call to {@code endpoint} costs in the history budget (0 if it draws from others only) */
    public double cost(String endpoint) {
        return model.charges(endpoint).stream().filter(c -> c.budget().equals(model.historyBudget()))
                .mapToDouble(PacingModel.Charge::cost).sum();
    }

    /**
     * The expected wait for {@code calls} more calls costing {@code costEach} units each of the history budget,
     * from its state now (what is already spent, refusals included), when made back to back. Latency is not
     * included: add the calls' own duration for a total. For a progress estimate: pages still to read × the
     * page endpoint's {@link #cost(String)}.
     */
    public Duration estimate(int calls, int costEach) {
        return estimate(model.historyBudget(), (double) calls * costEach);
    }

    /** As {@link #estimate(int, int)} for calls to {@code endpoint}, across every budget it draws from. */
    public Duration estimate(String endpoint, int calls) {
        long worst = 0;
        for (PacingModel.Charge c : model.charges(endpoint)) {
            worst = Math.max(worst, estimateNanos(c.budget(), c.cost() * calls));
        }
        return Duration.ofNanos(worst);
    }

    private Duration estimate(String budget, double units) {
        return Duration.ofNanos(estimateNanos(budget, units));
    }

    private long estimateNanos(String budget, double units) {
        if (units <= 0) {
            return 0;
        }
        return Math.max(0, budgets.get(budget).estimate(units, now()));
    }

    /** @return per budget, the capacity and rate assumed now: lower than documented after refusals */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        budgets.forEach((k, b) -> out.put(k, b.spec.kind() + " " + b.assumedCapacity() + " units, "
                + String.format("%.3f", b.assumedPerSecond()) + "/s, per " + b.spec.scope()));
        return out;
    }

    /** @return the names of the budgets {@code endpoint} draws from */
    public List<String> budgetsOf(String endpoint) {
        return model.charges(endpoint).stream().map(PacingModel.Charge::budget).toList();
    }
}
