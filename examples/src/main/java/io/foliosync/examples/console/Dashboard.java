package io.foliosync.examples.console;

import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.marketdata.Valuation;
import io.foliosync.connectors.marketdata.ValuedHolding;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The console's home page: net worth in the base currency and what it leaves out, where it is (by asset class,
 * account and currency), per-account subtotals with cost and unrealised gain where sources report cost. Its
 * figures are {@code foliosync value}'s: one valuation ({@link Valuations}), so the net worth is value's total.
 */
final class Dashboard {
    /** The currencies the switch always offers, besides the configured one and those the holdings are priced in. */
    private static final List<String> COMMON = List.of("USD", "EUR", "GBP", "CHF", "JPY", "CAD", "AUD");

    private final Valuations valuations;

    Dashboard(Valuations valuations) {
        this.valuations = valuations;
    }

    /**
     * One part of an allocation.
     *
     * @param value the part's value, rounded so that the parts add up to the rounded total exactly
     * @param share its share of the total in percent, one decimal
     */
    record Slice(String label, BigDecimal value, String shown, String share, String sign) {
        /** @return the value as a chart reads it: plain digits, no grouping */
        public String raw() {
            return value.toPlainString();
        }
    }

    /** @param id the element id of its table and chart ({@code by-class}) */
    record Allocation(String id, String title, List<Slice> slices) {
    }

    /**
     * An account's subtotal.
     *
     * @param cost  what the holdings that have a cost basis cost, in the base currency; empty when none has one
     * @param gain  their value less their cost; empty when none has a cost basis
     * @param costOf of how many of the account's holdings the cost is known ({@code 3 of 5})
     */
    record AccountRow(String account, String value, String cost, String gain, String gainSign, String costOf,
                      int leftOut) {
    }

    record Model(String base, List<String> currencies, String netWorth, String leftOut, String note,
                 List<Allocation> allocations, List<AccountRow> accounts, String totalCost, String totalGain,
                 String totalGainSign, String costCoverage, int holdings) {
    }

    Model model(Optional<String> currency) {
        currency.ifPresent(Dashboard::checkCurrency);
        Valuations.Valued valued = valuations.valued(currency);
        Valuation v = valued.valuation();
        BigDecimal total = v.total(2);
        List<ValuedHolding> counted = v.holdings().stream().filter(ValuedHolding::valued).toList();
        List<Allocation> allocations = List.of(
                allocation("by-class", "By asset class", counted, total,
                        h -> h.holding().assetClass().name().toLowerCase(Locale.ROOT).replace('_', ' ')),
                allocation("by-account", "By account", counted, total,
                        h -> Accounts.label(h.holding().source(), h.holding().accountId())),
                allocation("by-currency", "By currency", counted, total, ValuedHolding::priceCurrency));

        Map<String, List<ValuedHolding>> byAccount = new LinkedHashMap<>();
        for (ValuedHolding h : v.holdings()) {
            byAccount.computeIfAbsent(Accounts.label(h.holding().source(), h.holding().accountId()),
                    k -> new ArrayList<>()).add(h);
        }
        List<AccountRow> accounts = new ArrayList<>();
        Cost all = new Cost();
        byAccount.forEach((account, hs) -> {
            Cost c = new Cost();
            hs.forEach(c::add);
            hs.forEach(all::add);
            BigDecimal value = hs.stream().map(h -> h.baseValue().orElse(BigDecimal.ZERO))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            accounts.add(new AccountRow(account, Views.money(value), c.costShown(), c.gainShown(), c.gainSign(),
                    c.known + " of " + hs.size(), (int) hs.stream().filter(h -> !h.valued()).count()));
        });
        TreeSet<String> currencies = new TreeSet<>(COMMON);
        currencies.add(v.baseCurrency());
        v.holdings().forEach(h -> currencies.add(h.priceCurrency()));
        currencies.removeIf(c -> !c.matches("[A-Z]{3}"));
        return new Model(v.baseCurrency(), List.copyOf(currencies), Views.money(total), v.exclusionSummary(),
                valued.problem(), allocations, accounts, all.costShown(), all.gainShown(), all.gainSign(),
                all.known + " of " + v.holdings().size(), v.holdings().size());
    }

    void page(Context ctx, Pages pages) {
        String c = ctx.queryParam("currency");
        Optional<String> currency = c == null || c.isBlank() ? Optional.empty()
                : Optional.of(c.trim().toUpperCase(Locale.ROOT));
        pages.page(ctx, "dashboard.jte", "Dashboard", Map.of("model", model(currency)));
    }

    private static void checkCurrency(String code) {
        if (!code.matches("[A-Z]{3}")) {
            throw new BadRequestResponse("currency: a three-letter ISO 4217 code such as USD or EUR, not " + code);
        }
    }

    /**
     * @return the holdings' values summed per key, largest first, each rounded to cents so that the parts add up to
     *         {@code total} exactly (largest remainder): a chart or a reader adding the table gets the net worth
     */
    static Allocation allocation(String id, String title, List<ValuedHolding> valued, BigDecimal total,
                                 Function<ValuedHolding, String> key) {
        Map<String, BigDecimal> sums = new LinkedHashMap<>();
        for (ValuedHolding h : valued) {
            sums.merge(key.apply(h), h.baseValue().orElseThrow(), BigDecimal::add);
        }
        record Part(String label, BigDecimal exact, BigDecimal floor) {
        }
        List<Part> parts = new ArrayList<>();
        sums.forEach((k, x) -> parts.add(new Part(k, x, x.setScale(2, RoundingMode.FLOOR))));
        BigDecimal floors = parts.stream().map(Part::floor).reduce(BigDecimal.ZERO, BigDecimal::add);
        int cents = total.subtract(floors).movePointRight(2).intValueExact();
        List<Part> byRemainder = new ArrayList<>(parts);
        byRemainder.sort(Comparator.comparing((Part p) -> p.exact().subtract(p.floor())).reversed());
        Map<String, BigDecimal> rounded = new LinkedHashMap<>();
        parts.forEach(p -> rounded.put(p.label(), p.floor()));
        for (int i = 0; i < cents && i < byRemainder.size(); i++) {
            rounded.merge(byRemainder.get(i).label(), new BigDecimal("0.01"), BigDecimal::add);
        }
        List<Slice> slices = new ArrayList<>();
        rounded.entrySet().stream().sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed())
                .forEach(e -> slices.add(new Slice(e.getKey(), e.getValue(), Views.money(e.getValue()),
                        share(e.getValue(), total), e.getValue().signum() < 0 ? "neg" : "")));
        return new Allocation(id, title, slices);
    }

    private static String share(BigDecimal part, BigDecimal total) {
        if (total.signum() == 0) {
            return "";
        }
        BigDecimal pct = part.multiply(BigDecimal.valueOf(100)).divide(total, 1, RoundingMode.HALF_EVEN);
        return Views.quantity(pct.setScale(1, RoundingMode.HALF_EVEN)) + " %";
    }

    /** Cost and gain over the holdings whose source reported a cost basis that converts to the base currency. */
    private static final class Cost {
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal value = BigDecimal.ZERO;
        int known;

        void add(ValuedHolding h) {
            Optional<BigDecimal> c = baseCost(h);
            if (c.isPresent() && h.baseValue().isPresent()) {
                cost = cost.add(c.get());
                value = value.add(h.baseValue().get());
                known++;
            }
        }

        String costShown() {
            return known == 0 ? "" : Views.money(cost);
        }

        String gainShown() {
            return known == 0 ? "" : Views.signedMoney(value.subtract(cost));
        }

        String gainSign() {
            return known == 0 ? "" : Views.sign(value.subtract(cost).setScale(2, RoundingMode.HALF_EVEN));
        }
    }

    /**
     * @return the holding's cost basis in the base currency: converted at the rate its value was converted at
     *         (cost and price are in the holding's currency); empty when the source reported none or no rate is
     *         known for that currency
     */
    static Optional<BigDecimal> baseCost(ValuedHolding h) {
        Holding x = h.holding();
        if (x.costBasis().isEmpty()) {
            return Optional.empty();
        }
        if (h.fxRate().isPresent() && h.fxRate().get().from().equals(x.currency())) {
            return Optional.of(h.fxRate().get().convert(x.costBasis().get()));
        }
        return Optional.empty();
    }
}
