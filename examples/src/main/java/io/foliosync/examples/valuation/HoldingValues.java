package io.foliosync.examples.valuation;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.ConnectorException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.marketdata.MarketDataConnector;
import io.foliosync.connectors.marketdata.Valuation;
import io.foliosync.connectors.marketdata.Valuator;
import io.foliosync.imports.FolioSync;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Values holdings the same way for every page and command that shows a value ({@code value}, {@code demo}, the
 * console's Holdings, Crypto and Brokers pages): through the configured market data when there is one, at the
 * sources' own prices when there is none or it cannot be reached, saying which.
 */
@API(status = INTERNAL, since = "0.1")
public final class HoldingValues {
    /** The base currency when neither the command nor a market_data section names one. */
    public static final String DEFAULT_BASE_CURRENCY = "USD";

    private HoldingValues() {
    }

    /**
     * A valuation and what a person should know about how it was made.
     *
     * @param valuation the holdings valued
     * @param note      how prices were found when that is not the configured market data (none configured, or it
     *                  failed), for a person; empty when market data valued them
     */
    public record Result(Valuation valuation, String note) {
    }

    /**
     * @param currency the base currency asked for; empty for the market_data section's, else {@value #DEFAULT_BASE_CURRENCY}
     * @return the holdings valued through the first market-data connector FolioSync built from the configuration, or
     *         at the sources' prices without one
     */
    public static Result value(FolioSync folio, List<Holding> holdings, Optional<String> currency, Clock clock) {
        Optional<MarketDataConnector> md = folio.marketData().stream().filter(MarketDataConnector.class::isInstance)
                .map(MarketDataConnector.class::cast).findFirst();
        if (md.isEmpty()) {
            return atSourcePrices(holdings, currency, clock, "no market data is configured");
        }
        String failure;
        try {
            AuthenticationResult auth = md.get().authenticate();
            if (auth.success()) {
                Valuator.Builder b = Valuator.builder(md.get()).clock(clock);
                currency.ifPresent(b::baseCurrency);
                return new Result(b.build().value(holdings), "");
            }
            failure = auth.message();
        } catch (ConnectorException e) {
            failure = e.getMessage();
        }
        return atSourcePrices(holdings, currency.or(() -> Optional.of(md.get().baseCurrency())), clock,
                "market data is unavailable (" + failure + ")");
    }

    /** @return an amount as a person reads it: two decimals, thousands grouped ({@code 1,574,346.65}) */
    public static String money(java.math.BigDecimal amount) {
        return String.format(java.util.Locale.ROOT, "%,.2f", amount.setScale(2, java.math.RoundingMode.HALF_EVEN));
    }

    /**
     * @param why why there is no market data, for a person ("no market data is configured")
     * @return the holdings valued at the prices their sources reported, in {@code currency} (else
     *         {@value #DEFAULT_BASE_CURRENCY}); holdings in other currencies are left out, saying so
     */
    public static Result atSourcePrices(List<Holding> holdings, Optional<String> currency, Clock clock, String why) {
        Valuator v = Valuator.sourcePricesOnly(currency.orElse(DEFAULT_BASE_CURRENCY)).clock(clock).build();
        return new Result(v.value(holdings), why + ": holdings are valued at the prices their sources reported; "
                + "other currencies than " + v.baseCurrency() + " cannot be converted");
    }

    /** @return the terms a person reads: empty for a plain unit, "x100" for an option, "% of par" for a bond */
    public static String terms(io.foliosync.connectors.api.ContractTerms t) {
        if (t.isPerUnit()) {
            return "";
        }
        String m = t.multiplier().compareTo(java.math.BigDecimal.ONE) == 0 ? "" : "x" + t.multiplier().toPlainString();
        return switch (t.priceConvention()) {
            case PERCENT_OF_PAR -> (m + " % of par").trim();
            case PER_CONTRACT -> "per contract";
            case PER_UNIT -> m;
        };
    }

    /** @return an age a person reads at a glance: 45s, 3h, 12d, 22mo; {@code unknown} when unknown */
    public static String age(Optional<java.time.Duration> age) {
        if (age.isEmpty()) {
            return "unknown";
        }
        java.time.Duration d = age.get();
        if (d.toMinutes() < 1) {
            return d.toSeconds() + "s";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + "min";
        }
        if (d.toDays() < 2) {
            return d.toHours() + "h";
        }
        if (d.toDays() < 62) {
            return d.toDays() + "d";
        }
        return (d.toDays() / 30) + "mo";
    }
}
