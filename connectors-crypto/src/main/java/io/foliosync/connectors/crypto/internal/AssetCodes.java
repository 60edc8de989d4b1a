package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.CurrencyCodes;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Normalizes exchange asset codes onto FolioSync's codes: Kraken's legacy X/Z-prefixed codes (XXBT, XETH,
 * ZUSD), XBT for BTC, XDG for DOGE, and Kraken's balance variants ({@code .S} staked, {@code .M} opt-in
 * rewards, {@code .B} bonded/yield-bearing, {@code .F} Kraken Rewards/earn, {@code .P} parachain,
 * {@code .HOLD}) which are kept apart as a variant of the same asset.
 */
@API(status = INTERNAL, since = "0.1")
public final class AssetCodes {
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("XXBT", "BTC"), Map.entry("XBT", "BTC"), Map.entry("XXDG", "DOGE"), Map.entry("XDG", "DOGE"),
            Map.entry("XETH", "ETH"), Map.entry("ETH2", "ETH"), Map.entry("XLTC", "LTC"), Map.entry("XXRP", "XRP"),
            Map.entry("XXLM", "XLM"), Map.entry("XXMR", "XMR"), Map.entry("XETC", "ETC"), Map.entry("XZEC", "ZEC"),
            Map.entry("XMLN", "MLN"), Map.entry("XREP", "REP"), Map.entry("XICN", "ICN"), Map.entry("XNMC", "NMC"),
            Map.entry("XXVN", "XVN"), Map.entry("ZUSD", "USD"), Map.entry("ZEUR", "EUR"), Map.entry("ZGBP", "GBP"),
            Map.entry("ZCAD", "CAD"), Map.entry("ZJPY", "JPY"), Map.entry("ZAUD", "AUD"), Map.entry("ZCHF", "CHF"),
            Map.entry("ZKRW", "KRW"));

    /** Coins pegged 1:1 to the US dollar: valued at par only when no market prices them. */
    public static final Set<String> USD_STABLECOINS = Set.of("USDT", "USDC", "DAI", "BUSD", "TUSD", "USDP", "PYUSD",
            "FDUSD", "USDG");

    private AssetCodes() {
    }

    /**
     * An exchange asset code taken apart.
     *
     * @param code    the normalized code (BTC, USD)
     * @param variant the balance variant (S, M, B, F, P, HOLD) or, for ETH2, "ETH2"; empty for the plain asset
     * @param raw     the exchange's code as given
     */
    public record Asset(String code, Optional<String> variant, String raw) {
    }

    /** @return {@code raw} normalized; never null */
    public static Asset parse(String raw) {
        String upper = raw.trim().toUpperCase(Locale.ROOT);
        String base = upper;
        String variant = null;
        int dot = upper.indexOf('.');
        if (dot > 0) {
            base = upper.substring(0, dot);
            variant = upper.substring(dot + 1);
        }
        String code = ALIASES.getOrDefault(base, base);
        if ("ETH2".equals(base) && variant == null) {
            variant = "ETH2";
        }
        return new Asset(code, Optional.ofNullable(variant), raw);
    }

    /** @return the normalized code of {@code raw} */
    public static String normalize(String raw) {
        return parse(raw).code();
    }

    /** @return whether {@code code} is fiat money (ISO-4217 and not a metal or fund code) */
    public static boolean isFiat(String code) {
        return CurrencyCodes.isIso4217(code) && !code.startsWith("X");
    }
}
