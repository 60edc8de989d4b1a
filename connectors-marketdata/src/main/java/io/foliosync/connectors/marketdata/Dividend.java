package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A cash dividend per share.
 *
 * @param exDate   the day it goes ex (Tiingo, Alpha Vantage) or Yahoo's event date
 * @param amount   the cash per share; positive
 * @param currency the currency when the provider states it
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Dividend(LocalDate exDate, BigDecimal amount, Optional<String> currency) {
    public Dividend {
        Objects.requireNonNull(exDate, "Dividend.exDate");
        Checks.positive("Dividend", "amount", amount);
        Checks.currency("Dividend", "currency", currency);
    }
}
