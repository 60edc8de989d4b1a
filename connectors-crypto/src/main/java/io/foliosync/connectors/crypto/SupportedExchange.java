package io.foliosync.connectors.crypto;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.http.RateLimit;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The exchanges this module reads, with their defaults. Kraken, OKX, Binance and Coinbase's v2 lists are
 * tested against recorded responses; Gate.io, HTX and Coinbase's v3 endpoints against this project's own samples
 * of the documented layouts only. {@code docs/exchanges.md} says what each returns.
 */
@API(status = INTERNAL, since = "0.1")
public enum SupportedExchange {
    /**
     * Kraken spot: balances (with staked and earn variants), all tickers at once, TradesHistory and Ledgers
     * (deposits, withdrawals, staking and Earn rewards). Private calls raise a counter of 15 that decays by
     * 0.33 a second on the Starter tier, history calls cost 2: paced by {@code ExchangePacing.kraken(tier)}.
     */
    KRAKEN("kraken", "https://api.kraken.com", false, false, RateLimit.bucket(7, 1, Duration.ofSeconds(6))),
    /**
     * OKX v5: trading and funding balances, spot tickers at once, fills history (3 months), deposit and
     * withdrawal history, funding bills (rewards). Fills history allows 10 requests per 2 s; funding
     * history 6 per second: 5 per 2 s keeps every endpoint inside its limit.
     */
    OKX("okx", "https://www.okx.com", true, true, new RateLimit(5, Duration.ofSeconds(2))),
    /**
     * Binance spot (optional dependency {@code xchange-binance}): balances, all prices at once, myTrades per
     * derived market, deposit and withdrawal history, asset dividends (rewards) and dust conversions. Binance
     * limits by request weight (6,000 a minute per IP; FolioSync stays under 5,000 from the
     * {@code X-MBX-USED-WEIGHT-1M} header); the request limiter adds 10 calls a second per key. The spot testnet
     * has no {@code /sapi} endpoints, so {@code sandbox} needs a {@code base_url}.
     */
    BINANCE("binance", "https://api.binance.com", false, false, new RateLimit(10, Duration.ofSeconds(1))),
    /**
     * Gate.io API v4 (FolioSync's own signed calls; {@code xchange-gateio} 5.2.1 speaks the retired v2 API):
     * spot balances, all tickers at once, the account's trades over every pair, deposits and withdrawals, each
     * history read in 30-day windows. Gate documents 200 requests per 10 s for wallet and spot account
     * endpoints; FolioSync holds 10 a second per key.
     */
    GATEIO("gateio", "https://api.gateio.ws", false, false, new RateLimit(10, Duration.ofSeconds(1))),
    /**
     * HTX, formerly Huobi (optional dependency {@code xchange-huobi}: public tickers and symbols through XChange,
     * signed reads FolioSync's own): balances of every account of the key, all tickers at once, match results
     * over all symbols in 48-hour windows for the last 120 days (HTX keeps no more), deposit and withdrawal
     * history. HTX documents 100 private requests per 10 s per API key: FolioSync holds 10 a second.
     */
    HTX("htx", "https://api.huobi.pro", false, false, new RateLimit(10, Duration.ofSeconds(1))),
    /**
     * Coinbase retail accounts with a CDP API key (ECDSA; JWT ES256 signed with the JDK, FolioSync's own calls:
     * XChange 5.2.1 has no CDP authentication): balances, all spot product prices at once and fills over every
     * product (Advanced Trade v3); sends, receives, rewards, simple buys and sells and fiat deposits and
     * withdrawals per account (App v2). Coinbase documents 10,000 requests an hour per key for v2 and 30 a second
     * for Advanced Trade: FolioSync holds 25 per 10 s (9,000 an hour).
     */
    COINBASE("coinbase", "https://api.coinbase.com", false, false, new RateLimit(25, Duration.ofSeconds(10))),
    /**
     * Any other exchange whose XChange module is on the class path, read through XChange's common services only
     * (a {@link GenericExchange generic} account): configured by its own id ({@code bitstamp}) or by
     * {@code exchange_class}. Its base URL and sandbox are the module's own unless configured; its pacing is
     * the module's declared rate limiter, else one call a second ({@code ExchangePacing.generic}).
     */
    XCHANGE("xchange", "", false, true, new RateLimit(1, Duration.ofSeconds(1)));

    private final String id;
    private final String defaultBaseUrl;
    private final boolean needsPassphrase;
    private final boolean hasSandbox;
    private final RateLimit defaultLimit;

    SupportedExchange(String id, String defaultBaseUrl, boolean needsPassphrase, boolean hasSandbox,
                      RateLimit defaultLimit) {
        this.id = id;
        this.defaultBaseUrl = defaultBaseUrl;
        this.needsPassphrase = needsPassphrase;
        this.hasSandbox = hasSandbox;
        this.defaultLimit = defaultLimit;
    }

    /** @return the id used in configuration, such as {@code kraken} */
    public String id() {
        return id;
    }

    public String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    public boolean needsPassphrase() {
        return needsPassphrase;
    }

    /** @return whether the exchange offers a demo environment reachable with {@code sandbox: true} */
    public boolean hasSandbox() {
        return hasSandbox;
    }

    /**
     * @return the XChange module this exchange's client needs on the class path ({@code xchange-huobi} for HTX),
     *         empty when the client makes only its own calls
     */
    public Optional<String> xchangeModule() {
        return switch (this) {
            case KRAKEN -> Optional.of("xchange-kraken");
            case OKX -> Optional.of("xchange-okex");
            case BINANCE -> Optional.of("xchange-binance");
            case HTX -> Optional.of("xchange-huobi");
            case GATEIO, COINBASE, XCHANGE -> Optional.empty();
        };
    }

    /**
     * @return a single flat limit per key, kept for callers of the former API; pacing now follows each exchange's
     *         documented scheme ({@link io.foliosync.connectors.crypto.pacing.ExchangePacing}), which this figure
     *         does not describe
     */
    public RateLimit defaultLimit() {
        return defaultLimit;
    }

    /** @return the exchange configured as {@code id} (case-insensitive; {@code okex} is OKX's former name, {@code gate} Gate.io's short one,
     *         {@code huobi} HTX's former one) */
    public static Optional<SupportedExchange> byId(String id) {
        String lower = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("okex")) {
            return Optional.of(OKX);
        }
        if (lower.equals("huobi")) {
            return Optional.of(HTX);
        }
        if (lower.equals("gate") || lower.equals("gate.io")) {
            return Optional.of(GATEIO);
        }
        return Arrays.stream(values()).filter(e -> e.firstClass() && e.id.equals(lower)).findFirst();
    }

    /** @return what FolioSync reads of this exchange, in a few words ({@code docs/exchanges.md} has the detail) */
    public String reads() {
        return switch (this) {
            case KRAKEN -> "balances (staked and earn kept apart), trades, deposits, withdrawals, staking and earn rewards";
            case OKX -> "trading and funding balances, trades (3 months), deposits, withdrawals, rewards";
            case BINANCE -> "spot balances, trades per derived market, deposits, withdrawals, dividends, dust";
            case GATEIO -> "spot balances, trades over all pairs, deposits, withdrawals";
            case HTX -> "balances of every account, trades (last 120 days), deposits, withdrawals";
            case COINBASE -> "balances, fills, sends and receives, rewards, simple buys and sells, fiat transfers";
            case XCHANGE -> "what the exchange's XChange module implements";
        };
    }

    /** @return whether FolioSync reads this exchange with its own client, not through XChange's common services */
    public boolean firstClass() {
        return this != XCHANGE;
    }

    /** @return the ids of every first-class exchange, comma separated */
    public static String ids() {
        return Arrays.stream(values()).filter(SupportedExchange::firstClass).map(SupportedExchange::id)
                .collect(Collectors.joining(", "));
    }
}
