package io.foliosync.connectors.marketdata;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.CurrencyCodes;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The automatic rules turning an {@link Instrument} (a broker's or exchange's symbol) into a provider's symbol.
 * Empty means the provider does not serve the instrument and the chain hands it to the next provider without
 * a request. A user's {@code symbol_map} wins over these rules (see {@link Chain}). Documented, rule by rule,
 * in {@code docs/setup_guides/marketdata_setup.md}; keep the two in step.
 */
final class SymbolRules {
    /** A share class: {@code BRK.B}, {@code BRK B} (IBKR), {@code BRK/B}. */
    private static final Pattern CLASS_SHARE = Pattern.compile("([A-Z0-9]{1,6})([./ ])([A-Z])");
    /** Yahoo's one-letter exchange suffixes, which look like share classes: London, Frankfurt, Tokyo, TSX-V. */
    private static final Set<String> YAHOO_ONE_LETTER_SUFFIXES = Set.of("L", "F", "T", "V");
    private static final Pattern FX_PAIR = Pattern.compile("([A-Z]{3})[./ -]?([A-Z]{3})");

    /** Listing exchanges (IBKR's names and ISO-10383 MICs) and Yahoo's suffix; "" for US venues. */
    private static final Map<String, String> YAHOO_SUFFIX = Map.ofEntries(
            Map.entry("LSE", ".L"), Map.entry("LSEETF", ".L"), Map.entry("XLON", ".L"),
            Map.entry("IBIS", ".DE"), Map.entry("IBIS2", ".DE"), Map.entry("XETRA", ".DE"), Map.entry("XETR", ".DE"),
            Map.entry("FWB", ".F"), Map.entry("FWB2", ".F"), Map.entry("XFRA", ".F"),
            Map.entry("SBF", ".PA"), Map.entry("XPAR", ".PA"),
            Map.entry("AEB", ".AS"), Map.entry("XAMS", ".AS"),
            Map.entry("EBS", ".SW"), Map.entry("SWX", ".SW"), Map.entry("XSWX", ".SW"),
            Map.entry("BVME", ".MI"), Map.entry("XMIL", ".MI"),
            Map.entry("BM", ".MC"), Map.entry("XMAD", ".MC"),
            Map.entry("TSE", ".TO"), Map.entry("XTSE", ".TO"), Map.entry("VENTURE", ".V"), Map.entry("XTSX", ".V"),
            Map.entry("ASX", ".AX"), Map.entry("XASX", ".AX"),
            Map.entry("SEHK", ".HK"), Map.entry("XHKG", ".HK"),
            Map.entry("TSEJ", ".T"), Map.entry("XTKS", ".T"),
            Map.entry("NYSE", ""), Map.entry("NASDAQ", ""), Map.entry("ARCA", ""), Map.entry("NYSEARCA", ""),
            Map.entry("AMEX", ""), Map.entry("BATS", ""), Map.entry("ISLAND", ""), Map.entry("IEX", ""),
            Map.entry("XNYS", ""), Map.entry("XNAS", ""), Map.entry("ARCX", ""), Map.entry("XASE", ""));

    private SymbolRules() {
    }

    /**
     * Yahoo: crypto {@code BTC} → {@code BTC-USD} (the holding's currency when it is an ISO-4217 code, else
     * USD); forex {@code EURUSD}/{@code EUR.USD} → {@code EURUSD=X}; a known non-US listing exchange adds
     * Yahoo's suffix ({@code VOD} on LSE → {@code VOD.L}); share classes {@code BRK.B} → {@code BRK-B}.
     */
    static Optional<String> yahoo(Instrument i) {
        String s = i.symbol().toUpperCase(Locale.ROOT);
        if (i.assetClass() == AssetClass.CRYPTO) {
            if (s.contains("-")) {
                return Optional.of(s);
            }
            if (s.contains("/")) {
                return Optional.of(s.replace('/', '-'));
            }
            String quote = i.currency().filter(CurrencyCodes::isIso4217).orElse("USD");
            return Optional.of(s + "-" + quote);
        }
        if (i.assetClass() == AssetClass.FOREX) {
            if (s.endsWith("=X")) {
                return Optional.of(s);
            }
            Matcher m = FX_PAIR.matcher(s);
            return Optional.of(m.matches() ? m.group(1) + m.group(2) + "=X" : i.symbol());
        }
        Optional<String> suffix = i.exchange().map(YAHOO_SUFFIX::get);
        if (suffix.isPresent() && !suffix.get().isEmpty()) {
            String sfx = suffix.get();
            if (s.endsWith(sfx)) {
                return Optional.of(s);
            }
            String base = s.endsWith(".") ? s.substring(0, s.length() - 1) : s; // IBKR's "BP." on LSE
            Matcher m = CLASS_SHARE.matcher(base);
            if (m.matches()) {
                base = m.group(1) + "-" + m.group(3);
            }
            if (sfx.equals(".HK") && base.matches("[0-9]{1,3}")) {
                base = "0".repeat(4 - base.length()) + base; // SEHK 700 → 0700.HK
            }
            return Optional.of(base + sfx);
        }
        Matcher m = CLASS_SHARE.matcher(s);
        if (m.matches() && (suffix.isPresent() || isClassShare(i, m))) {
            return Optional.of(m.group(1) + "-" + m.group(3));
        }
        return Optional.of(i.symbol());
    }

    /**
     * Tiingo: crypto and forex are not served here (its crypto and FX endpoints are not implemented) and
     * neither is an instrument held in a currency other than USD or listed on a known non-US exchange
     * (Tiingo's prices state no currency and are USD); share classes {@code BRK.B} → {@code brk-b}.
     */
    static Optional<String> tiingo(Instrument i) {
        if (notUsListed(i)) {
            return Optional.empty();
        }
        String s = i.symbol().toUpperCase(Locale.ROOT);
        Matcher m = CLASS_SHARE.matcher(s);
        if (m.matches() && (i.exchange().isPresent() || isClassShare(i, m))) {
            return Optional.of((m.group(1) + "-" + m.group(3)).toLowerCase(Locale.ROOT));
        }
        return Optional.of(i.symbol());
    }

    /**
     * Alpha Vantage: crypto, forex and non-USD instruments are handed over ({@code GLOBAL_QUOTE} states no
     * currency, and its non-US listings are quoted in minor units such as pence); other symbols unchanged.
     */
    static Optional<String> alphaVantage(Instrument i) {
        return notUsListed(i) ? Optional.empty() : Optional.of(i.symbol());
    }

    private static boolean notUsListed(Instrument i) {
        if (i.assetClass() == AssetClass.CRYPTO || i.assetClass() == AssetClass.FOREX) {
            return true;
        }
        if (i.currency().isPresent() && !i.currency().get().equals("USD")) {
            return true;
        }
        return i.exchange().map(YAHOO_SUFFIX::get).filter(sfx -> !sfx.isEmpty()).isPresent();
    }

    /**
     * {@code X.B} is a share class when it cannot be a Yahoo exchange suffix: written with a space or slash,
     * held in USD, or (currency unknown) a letter that is not one of Yahoo's one-letter suffixes.
     */
    private static boolean isClassShare(Instrument i, Matcher m) {
        if (!m.group(2).equals(".")) {
            return true;
        }
        if (i.currency().isPresent()) {
            return i.currency().get().equals("USD");
        }
        return !YAHOO_ONE_LETTER_SUFFIXES.contains(m.group(3));
    }
}
