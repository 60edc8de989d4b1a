package io.foliosync.connectors.marketdata;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Holdings valued in one base currency at one moment.
 *
 * @param baseCurrency the currency of every {@link ValuedHolding#baseValue()} and of {@link #total()}
 * @param valuedAt     when the valuation ran
 * @param asOf         the day valued, for a valuation as of a date; empty for a valuation at the latest prices
 * @param holdings     one entry per holding, in the order given
 */
public record Valuation(String baseCurrency, Instant valuedAt, Optional<LocalDate> asOf,
                        List<ValuedHolding> holdings) {
    public Valuation {
        Checks.currency("Valuation", "baseCurrency", baseCurrency);
        Objects.requireNonNull(valuedAt, "Valuation.valuedAt");
        Checks.optional("Valuation", "asOf", asOf);
        holdings = List.copyOf(holdings);
    }

    /** A valuation at the latest prices. */
    public Valuation(String baseCurrency, Instant valuedAt, List<ValuedHolding> holdings) {
        this(baseCurrency, valuedAt, Optional.empty(), holdings);
    }

    /** @return the sum of the holdings that have a value; see {@link #complete()} */
    public BigDecimal total() {
        return holdings.stream().flatMap(h -> h.baseValue().stream()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** @return whether every holding has a value, so {@link #total()} covers the whole portfolio */
    public boolean complete() {
        return holdings.stream().allMatch(ValuedHolding::valued);
    }

    /** @return the holdings without a value in the base currency */
    public List<ValuedHolding> unvalued() {
        return holdings.stream().filter(h -> !h.valued()).toList();
    }

    /** @return the holdings whose price or rate is stale */
    public List<ValuedHolding> stale() {
        return holdings.stream().filter(ValuedHolding::stale).toList();
    }
}
