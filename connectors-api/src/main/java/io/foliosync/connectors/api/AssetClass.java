package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Locale;
import org.apiguardian.api.API;

/** The asset class of a holding or a transaction's instrument. */
@API(status = STABLE, since = "0.1")
public enum AssetClass {
    STOCK,
    ETF,
    BOND,
    OPTION,
    FUTURE,
    FOREX,
    CRYPTO,
    MUTUAL_FUND,
    CASH,
    OTHER;

    /**
     * Maps a source's free-text asset class onto this enum, falling back to {@link #OTHER}: connectors
     * keep the raw text in the record's attributes when the mapping loses information.
     *
     * @param raw the source's text, may be null
     * @return never null
     */
    public static AssetClass fromText(String raw) {
        if (raw == null || raw.isBlank()) {
            return OTHER;
        }
        String s = raw.trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        return switch (s) {
            case "STK", "STOCK", "EQUITY", "COMMON_STOCK", "EQ" -> STOCK;
            case "ETF", "ETP", "COLLECTIVE_INVESTMENT" -> ETF;
            case "BOND", "BND", "FIXED_INCOME", "BILL" -> BOND;
            case "OPT", "OPTION", "FOP", "WAR", "WARRANT" -> OPTION;
            case "FUT", "FUTURE", "FUTURES" -> FUTURE;
            case "CASH", "CURRENCY", "CASH_EQUIVALENT", "MONEY_MARKET" -> CASH;
            case "FX", "FOREX", "FXCFD" -> FOREX;
            case "CRYPTO", "CRYPTOCURRENCY", "CRYPTO_CURRENCY" -> CRYPTO;
            case "FUND", "MUTUAL_FUND", "MF" -> MUTUAL_FUND;
            default -> OTHER;
        };
    }
}
