package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * Holdings valued in one base currency at one moment. Its {@link #total()} is the sum of the valued holdings;
 * every holding it leaves out is in {@link #exclusions()} with the reason, so that valued plus excluded is
 * always every holding given.
 *
 * @param baseCurrency     the currency of every {@link ValuedHolding#baseValue()} and of {@link #total()}
 * @param valuedAt         when the valuation ran
 * @param asOf             the day valued, for a valuation as of a date; empty for a valuation at the latest prices
 * @param holdings         one entry per holding, in the order given
 * @param sourcePricesOnly whether no market data was at hand: holdings are valued at their sources' prices and
 *                         only holdings in the base currency can be totalled
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Valuation(String baseCurrency, Instant valuedAt, Optional<LocalDate> asOf,
                        List<ValuedHolding> holdings, boolean sourcePricesOnly) {
    public Valuation {
        Checks.currency("Valuation", "baseCurrency", baseCurrency);
        Objects.requireNonNull(valuedAt, "Valuation.valuedAt");
        Checks.optional("Valuation", "asOf", asOf);
        holdings = List.copyOf(holdings);
    }

    /** A valuation at the latest prices through market data. */
    public Valuation(String baseCurrency, Instant valuedAt, List<ValuedHolding> holdings) {
        this(baseCurrency, valuedAt, Optional.empty(), holdings, false);
    }

    /**
     * @return the same valuation of only the holdings that pass {@code filter} (one account's, one source's), so
     *         that its total and exclusions are those of that part
     */
    public Valuation where(java.util.function.Predicate<ValuedHolding> filter) {
        return new Valuation(baseCurrency, valuedAt, asOf, holdings.stream().filter(filter).toList(), sourcePricesOnly);
    }

    /** @return the sum of the holdings that have a value; what it leaves out is {@link #exclusions()} */
    public BigDecimal total() {
        return holdings.stream().flatMap(h -> h.baseValue().stream()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /**
     * @param scale decimal places each value is shown with (2 for cents)
     * @return the sum of the valued holdings each rounded half-even to {@code scale}: the total of the rows as a
     *         person reads them, so that the printed rows add up to the printed total
     */
    public BigDecimal total(int scale) {
        return holdings.stream().flatMap(h -> h.baseValue().stream()).map(v -> v.setScale(scale, RoundingMode.HALF_EVEN))
                .reduce(BigDecimal.ZERO.setScale(scale), BigDecimal::add);
    }

    /** @return whether every holding has a value, so {@link #total()} covers the whole portfolio */
    public boolean complete() {
        return holdings.stream().allMatch(ValuedHolding::valued);
    }

    /** @return the holdings without a value in the base currency */
    public List<ValuedHolding> unvalued() {
        return holdings.stream().filter(h -> !h.valued()).toList();
    }

    /** @return every holding {@link #total()} leaves out, in order, with why and its value in its own currency */
    public List<Exclusion> exclusions() {
        List<Exclusion> out = new ArrayList<>();
        for (ValuedHolding h : holdings) {
            h.exclusionReason().ifPresent(r -> out.add(new Exclusion(h, r, h.priceCurrency(), h.marketValue())));
        }
        return out;
    }

    /**
     * @return for each currency with a priced holding left out (no rate to the base currency), what those holdings
     *         are worth in it; currencies in alphabetical order
     */
    public Map<String, BigDecimal> excludedValueByCurrency() {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (Exclusion e : exclusions()) {
            e.localValue().ifPresent(v -> out.merge(e.currency(), v, BigDecimal::add));
        }
        return out;
    }

    /** @return the holdings whose price or rate is stale */
    public List<ValuedHolding> stale() {
        return holdings.stream().filter(ValuedHolding::stale).toList();
    }

    /**
     * @return one sentence on what the total leaves out, for a person: how many holdings, which currencies with
     *         their value in them, which symbols have no price; empty when nothing is left out
     */
    public String exclusionSummary() {
        List<Exclusion> ex = exclusions();
        if (ex.isEmpty()) {
            return "";
        }
        Map<Exclusion.Reason, List<Exclusion>> byReason = new LinkedHashMap<>();
        ex.forEach(e -> byReason.computeIfAbsent(e.reason(), k -> new ArrayList<>()).add(e));
        List<String> parts = new ArrayList<>();
        List<Exclusion> noRate = byReason.getOrDefault(Exclusion.Reason.NO_FX_RATE, List.of());
        if (!noRate.isEmpty()) {
            List<String> amounts = new ArrayList<>();
            excludedValueByCurrency().forEach((c, v) -> amounts.add(String.format(java.util.Locale.ROOT, "%,.2f",
                    v.setScale(2, RoundingMode.HALF_EVEN)) + " " + c));
            parts.add(noRate.size() + " worth " + String.join(" + ", amounts) + " (no rate to " + baseCurrency
                    + (sourcePricesOnly ? ": market data is not configured" : "") + ")");
        }
        List<Exclusion> noPrice = byReason.getOrDefault(Exclusion.Reason.NO_PRICE, List.of());
        if (!noPrice.isEmpty()) {
            parts.add(noPrice.size() + " without a price (" + String.join(", ", new TreeSet<>(noPrice.stream()
                    .map(e -> e.holding().holding().symbol()).toList())) + ")");
        }
        List<Exclusion> badCurrency = byReason.getOrDefault(Exclusion.Reason.UNKNOWN_CURRENCY, List.of());
        if (!badCurrency.isEmpty()) {
            parts.add(badCurrency.size() + " in a currency that is not a code (" + String.join(", ",
                    new TreeSet<>(badCurrency.stream().map(Exclusion::currency).toList())) + ")");
        }
        return ex.size() + (ex.size() == 1 ? " holding" : " holdings") + " left out: " + String.join("; ", parts);
    }
}
