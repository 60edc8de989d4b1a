package io.foliosync.connectors.crypto.pacing;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.apiguardian.api.API;

/**
 * What an exchange documents about its limits: its budgets and what each endpoint costs in which of them. Built
 * with {@link #builder(String)} and validated when built (every charge names a known budget, no cost exceeds
 * its budget's capacity, every endpoint is priced), so a wrong model fails at configuration, not mid-sync.
 *
 * <p>Endpoints are named as the clients name them: {@code METHOD /path}, such as
 * {@code POST /0/private/Ledgers}. Rules are tried in order; the first whose prefix matches prices the call.
 */
@API(status = INTERNAL, since = "0.1")
public final class PacingModel {
    /** One charge of one call: {@code cost} units of budget {@code budget}. */
    public record Charge(String budget, double cost) {
    }

    /** A rule: endpoints starting with {@code prefix} cost {@code charges}. */
    record Rule(String prefix, List<Charge> charges) {
    }

    private final String exchange;
    private final Map<String, BudgetSpec> budgets;
    private final List<Rule> rules;
    private final String historyBudget;

    private PacingModel(String exchange, Map<String, BudgetSpec> budgets, List<Rule> rules, String historyBudget) {
        this.exchange = exchange;
        this.budgets = budgets;
        this.rules = rules;
        this.historyBudget = historyBudget;
    }

    public static Builder builder(String exchange) {
        return new Builder(exchange);
    }

    public String exchange() {
        return exchange;
    }

    /** @return the budgets, by name, in the order they were declared */
    public Map<String, BudgetSpec> budgets() {
        return budgets;
    }

    /** @return the budget history calls draw from: what {@link Pacer#estimate(int, int)} answers for */
    public String historyBudget() {
        return historyBudget;
    }

    /** @return what one call to {@code endpoint} costs */
    public List<Charge> charges(String endpoint) {
        for (Rule r : rules) {
            if (endpoint.startsWith(r.prefix())) {
                return r.charges();
            }
        }
        throw new IllegalStateException("unreachable: the model has a catch-all rule");
    }

    /** @return the largest cost one call charges to {@code budget} (0 when no rule draws from it) */
    double maxCost(String budget) {
        return rules.stream().flatMap(r -> r.charges().stream()).filter(c -> c.budget().equals(budget))
                .mapToDouble(Charge::cost).max().orElse(0);
    }

    /** @return the model with time running {@code factor} times faster: for a bench against a stand-in only */
    public PacingModel speedUp(double factor) {
        Map<String, BudgetSpec> scaled = new LinkedHashMap<>();
        budgets.forEach((k, v) -> scaled.put(k, v.speedUp(factor)));
        return new PacingModel(exchange, Map.copyOf(scaled), rules, historyBudget);
    }

    @Override
    public String toString() {
        return "PacingModel[" + exchange + ", budgets=" + budgets.values() + "]";
    }

    /** Builds a {@link PacingModel}; {@link #build()} validates it. */
    public static final class Builder {
        private final String exchange;
        private final Map<String, BudgetSpec> budgets = new LinkedHashMap<>();
        private final List<Rule> rules = new ArrayList<>();
        private List<Charge> otherwise;
        private String history;

        private Builder(String exchange) {
            this.exchange = Objects.requireNonNull(exchange, "exchange");
        }

        public Builder budget(BudgetSpec spec) {
            if (budgets.put(spec.name(), spec) != null) {
                throw new IllegalArgumentException(exchange + ": budget " + spec.name() + " declared twice");
            }
            return this;
        }

        /** Endpoints starting with {@code prefix} cost {@code cost} units of {@code budget}. */
        public Builder cost(String prefix, String budget, double cost) {
            return cost(prefix, List.of(new Charge(budget, cost)));
        }

        /** Endpoints starting with {@code prefix} draw from several budgets at once (Binance: weight and UID). */
        public Builder cost(String prefix, List<Charge> charges) {
            rules.add(new Rule(Objects.requireNonNull(prefix, "prefix"), List.copyOf(charges)));
            return this;
        }

        /** What any other endpoint costs. Required. */
        public Builder otherwise(String budget, double cost) {
            otherwise = List.of(new Charge(budget, cost));
            return this;
        }

        /** The budget history pages draw from, for estimates; the first declared when not set. */
        public Builder history(String budget) {
            history = budget;
            return this;
        }

        public PacingModel build() {
            List<String> problems = new ArrayList<>();
            if (budgets.isEmpty()) {
                problems.add("no budget declared");
            }
            if (otherwise == null) {
                problems.add("no cost for other endpoints (otherwise)");
            }
            List<Rule> all = new ArrayList<>(rules);
            if (otherwise != null) {
                all.add(new Rule("", otherwise));
            }
            for (Rule r : all) {
                if (r.charges().isEmpty()) {
                    problems.add("'" + r.prefix() + "': no charge");
                }
                for (Charge c : r.charges()) {
                    BudgetSpec b = budgets.get(c.budget());
                    if (b == null) {
                        problems.add("'" + r.prefix() + "': unknown budget " + c.budget());
                    } else if (!(c.cost() > 0) || c.cost() > b.capacity()) {
                        problems.add("'" + r.prefix() + "': cost " + c.cost() + " must be positive and at most "
                                + c.budget() + "'s capacity " + b.capacity());
                    }
                }
            }
            String h = history == null && !budgets.isEmpty() ? budgets.keySet().iterator().next() : history;
            if (h != null && !budgets.containsKey(h)) {
                problems.add("history budget " + h + " is not declared");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(exchange + " pacing: " + String.join("; ", problems));
            }
            Predicate<Rule> any = r -> true;
            return new PacingModel(exchange, Map.copyOf(budgets), List.copyOf(all.stream().filter(any).toList()), h);
        }
    }
}
