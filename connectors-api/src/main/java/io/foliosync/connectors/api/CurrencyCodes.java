package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Currency;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Currency codes as FolioSync uses them: ISO-4217 codes for fiat, upper-case tickers for crypto
 * assets (BTC, ETH, USDT, 1INCH).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class CurrencyCodes {
    // Crypto tickers run from 2 characters (OP) to about 10 (SHIB, 1000SATS); lower case, spaces and
    // punctuation mean the source's code was not normalized.
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Z0-9]{2,12}");
    private static final Set<String> ISO_4217 = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode)
            .collect(Collectors.toUnmodifiableSet());

    private CurrencyCodes() {
    }

    /** @return whether the code is an ISO-4217 currency the JDK knows */
    public static boolean isIso4217(String code) {
        return code != null && ISO_4217.contains(code);
    }

    /** @return whether the code has the shape of an ISO code or a normalized crypto ticker */
    public static boolean isWellFormed(String code) {
        return code != null && WELL_FORMED.matcher(code).matches();
    }
}
