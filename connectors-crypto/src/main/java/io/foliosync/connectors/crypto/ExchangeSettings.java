package io.foliosync.connectors.crypto;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.CurrencyCodes;
import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.api.secrets.Secret;
import io.foliosync.connectors.crypto.pacing.KrakenTier;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One configured exchange account, as read from {@code crypto_exchanges.<id>} in {@code data_sources.yaml}.
 *
 * @param accountId     the configured id, used as account id and record source (such as {@code kraken})
 * @param exchange      which exchange it is
 * @param apiKey        the read-only API key
 * @param apiSecret     the key's secret (Kraken: the base64 private key as shown)
 * @param passphrase    the passphrase chosen when the key was created (OKX)
 * @param enabled       whether to connect it
 * @param sandbox       whether to use the exchange's demo environment
 * @param baseUrl       the REST root; empty for the exchange's production URL
 * @param dustThreshold balances whose absolute amount is below this are not reported as holdings
 * @param quoteCurrency the currency holdings are valued in, such as {@code USD} or {@code EUR}
 * @param rateLimit     the limit held to per API key; empty for the exchange's documented default
 * @param fundingOverlap how far before {@code since} an incremental sync re-reads deposit and withdrawal
 *                      history, so that a transfer still pending at the previous sync (and so skipped then) is
 *                      imported once final even though newer records moved the stored cursor past it; records
 *                      read again are skipped by import-core as duplicates of their source id
 * @param markets       Binance: symbols (such as {@code BTCUSDT}) whose trades are read besides those derived
 *                      from balances, deposits, withdrawals and rewards; pass the markets of previously imported
 *                      trades here (attribute {@code market} of each Binance trade)
 * @param tier          Kraken: the account's verification tier, which sets its API call counter; Starter (the
 *                      lowest budget) when empty. Only for Kraken.
 * @param generic       for {@link SupportedExchange#XCHANGE}: which exchange, and what is passed through to its
 *                      {@code ExchangeSpecification}; empty for a first-class exchange
 */
@API(status = INTERNAL, since = "0.1")
public record ExchangeSettings(String accountId, SupportedExchange exchange, Secret apiKey, Secret apiSecret,
                               Optional<Secret> passphrase, boolean enabled, boolean sandbox,
                               Optional<String> baseUrl, BigDecimal dustThreshold, String quoteCurrency,
                               Optional<RateLimit> rateLimit, Duration fundingOverlap, List<String> markets,
                               Optional<KrakenTier> tier, Optional<Generic> generic) {

    /**
     * What a generic account passes through to XChange's {@code ExchangeSpecification} besides key and secret.
     *
     * @param exchange       the exchange (its XChange class)
     * @param userId         {@code user_id}: the account or customer id some exchanges sign with (XChange's
     *                       {@code userName})
     * @param parameters     {@code xchange_parameters} and {@code passphrase}: exchange-specific parameters, by
     *                       XChange's name ({@code passphrase} for KuCoin), kept secret
     * @param remoteMetadata whether XChange may load the exchange's symbols and currencies when they are needed
     *                       ({@code load_remote_metadata}, true by default): to derive pairs for a module that
     *                       reads trades per pair, or to price holdings without an all-tickers call
     */
    public record Generic(GenericExchange exchange, Optional<Secret> userId, Map<String, Secret> parameters,
                          boolean remoteMetadata) {
        public Generic {
            Objects.requireNonNull(exchange, "exchange");
            Objects.requireNonNull(userId, "userId");
            parameters = Map.copyOf(parameters);
        }

        /** @return a generic account of {@code exchange} with nothing else passed through */
        public static Generic of(GenericExchange exchange) {
            return new Generic(exchange, Optional.empty(), Map.of(), true);
        }

        @Override
        public String toString() {
            return "Generic[" + exchange.id() + " (" + exchange.exchangeClass() + "), parameters="
                    + parameters.keySet() + "]";
        }
    }

    /** As the canonical constructor, for a first-class exchange. */
    public ExchangeSettings(String accountId, SupportedExchange exchange, Secret apiKey, Secret apiSecret,
                            Optional<Secret> passphrase, boolean enabled, boolean sandbox, Optional<String> baseUrl,
                            BigDecimal dustThreshold, String quoteCurrency, Optional<RateLimit> rateLimit,
                            Duration fundingOverlap, List<String> markets, Optional<KrakenTier> tier) {
        this(accountId, exchange, apiKey, apiSecret, passphrase, enabled, sandbox, baseUrl, dustThreshold,
                quoteCurrency, rateLimit, fundingOverlap, markets, tier, Optional.empty());
    }
    /** As the canonical constructor, without a Kraken tier. */
    public ExchangeSettings(String accountId, SupportedExchange exchange, Secret apiKey, Secret apiSecret,
                            Optional<Secret> passphrase, boolean enabled, boolean sandbox, Optional<String> baseUrl,
                            BigDecimal dustThreshold, String quoteCurrency, Optional<RateLimit> rateLimit,
                            Duration fundingOverlap, List<String> markets) {
        this(accountId, exchange, apiKey, apiSecret, passphrase, enabled, sandbox, baseUrl, dustThreshold,
                quoteCurrency, rateLimit, fundingOverlap, markets, Optional.empty(), Optional.empty());
    }

    /** The default {@link #fundingOverlap()}: withdrawals under manual review can stay pending for days. */
    public static final Duration DEFAULT_FUNDING_OVERLAP = Duration.ofDays(14);

    public ExchangeSettings {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(apiSecret, "apiSecret");
        Objects.requireNonNull(passphrase, "passphrase");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(dustThreshold, "dustThreshold");
        Objects.requireNonNull(quoteCurrency, "quoteCurrency");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(fundingOverlap, "fundingOverlap");
        Objects.requireNonNull(markets, "markets");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(generic, "generic");
        markets = markets.stream().map(m -> m.trim().toUpperCase(java.util.Locale.ROOT)).filter(m -> !m.isEmpty())
                .distinct().toList();
        String prefix = "crypto_exchanges." + accountId + ".";
        if (dustThreshold.signum() < 0) {
            throw new ConfigurationException("crypto_exchanges", prefix + "dust_threshold: must not be negative");
        }
        if (fundingOverlap.isNegative()) {
            throw new ConfigurationException("crypto_exchanges", prefix + "funding_overlap_days: must not be negative");
        }
        if (!CurrencyCodes.isWellFormed(quoteCurrency)) {
            throw new ConfigurationException("crypto_exchanges", prefix + "quote_currency: '" + quoteCurrency
                    + "' is not a currency code such as USD, EUR or USDT");
        }
        if (enabled && exchange.needsPassphrase() && passphrase.filter(p -> !p.isBlank()).isEmpty()) {
            throw new ConfigurationException("crypto_exchanges", prefix + "passphrase: missing ("
                    + exchange.id() + " keys have a passphrase, chosen when the key was created)");
        }
        if (exchange == SupportedExchange.XCHANGE && generic.isEmpty()) {
            throw new ConfigurationException("crypto_exchanges", prefix + "exchange: a generic XChange account "
                    + "needs its exchange: an id such as bitstamp, or exchange_class");
        }
        if (generic.isPresent() && exchange != SupportedExchange.XCHANGE) {
            throw new ConfigurationException("crypto_exchanges", prefix + "exchange: " + exchange.id()
                    + " is read by its own client, not as a generic XChange account");
        }
        if (tier.isPresent() && exchange != SupportedExchange.KRAKEN) {
            throw new ConfigurationException("crypto_exchanges", prefix + "tier: only Kraken has verification "
                    + "tiers that set its rate limit; remove it for " + exchange.id());
        }
        if (sandbox && !exchange.hasSandbox() && baseUrl.isEmpty()) {
            throw new ConfigurationException("crypto_exchanges", prefix + "sandbox: " + exchange.id()
                    + " has no public sandbox for spot accounts; set base_url to a test server or remove sandbox");
        }
    }

    /** @return settings with the exchange's defaults: enabled, production, no dust threshold, valued in USD */
    public static ExchangeSettings of(SupportedExchange exchange, String apiKey, String apiSecret,
                                      Optional<String> passphrase) {
        return new ExchangeSettings(exchange.id(), exchange, Secret.of(apiKey), Secret.of(apiSecret),
                passphrase.map(Secret::of), true, false, Optional.empty(), BigDecimal.ZERO, "USD", Optional.empty(),
                DEFAULT_FUNDING_OVERLAP, List.of());
    }

    public ExchangeSettings withBaseUrl(String url) {
        return new ExchangeSettings(accountId, exchange, apiKey, apiSecret, passphrase, enabled, sandbox,
                Optional.of(url), dustThreshold, quoteCurrency, rateLimit, fundingOverlap, markets, tier, generic);
    }

    public ExchangeSettings withQuoteCurrency(String currency) {
        return new ExchangeSettings(accountId, exchange, apiKey, apiSecret, passphrase, enabled, sandbox, baseUrl,
                dustThreshold, currency, rateLimit, fundingOverlap, markets, tier, generic);
    }

    public ExchangeSettings withDustThreshold(BigDecimal threshold) {
        return new ExchangeSettings(accountId, exchange, apiKey, apiSecret, passphrase, enabled, sandbox, baseUrl,
                threshold, quoteCurrency, rateLimit, fundingOverlap, markets, tier, generic);
    }

    public ExchangeSettings withRateLimit(RateLimit limit) {
        return new ExchangeSettings(accountId, exchange, apiKey, apiSecret, passphrase, enabled, sandbox, baseUrl,
                dustThreshold, quoteCurrency, Optional.of(limit), fundingOverlap, markets, tier, generic);
    }

    public ExchangeSettings withAccountId(String id) {
        return new ExchangeSettings(id, exchange, apiKey, apiSecret, passphrase, enabled, sandbox, baseUrl,
                dustThreshold, quoteCurrency, rateLimit, fundingOverlap, markets, tier, generic);
    }

    public ExchangeSettings withFundingOverlap(Duration overlap) {
        return new ExchangeSettings(accountId, exchange, apiKey, apiSecret, passphrase, enabled, sandbox, baseUrl,
                dustThreshold, quoteCurrency, rateLimit, overlap, markets, tier, generic);
    }

    public ExchangeSettings withMarkets(List<String> symbols) {
        return new ExchangeSettings(accountId, exchange, apiKey, apiSecret, passphrase, enabled, sandbox, baseUrl,
                dustThreshold, quoteCurrency, rateLimit, fundingOverlap, List.copyOf(symbols), tier, generic);
    }

    /** @param t the Kraken account's verification tier, which sets its API call counter */
    public ExchangeSettings withTier(KrakenTier t) {
        return new ExchangeSettings(accountId, exchange, apiKey, apiSecret, passphrase, enabled, sandbox, baseUrl,
                dustThreshold, quoteCurrency, rateLimit, fundingOverlap, markets, Optional.of(t), generic);
    }

    /** @return a generic account of {@code exchange}: enabled, production, no dust threshold, valued in USD */
    public static ExchangeSettings generic(GenericExchange exchange, String apiKey, String apiSecret) {
        return new ExchangeSettings(exchange.id(), SupportedExchange.XCHANGE, Secret.of(apiKey), Secret.of(apiSecret),
                Optional.empty(), true, false, Optional.empty(), BigDecimal.ZERO, "USD", Optional.empty(),
                DEFAULT_FUNDING_OVERLAP, List.of(), Optional.empty(), Optional.of(Generic.of(exchange)));
    }

    /** @return settings passing {@code g} through to XChange (a generic account only) */
    public ExchangeSettings withGeneric(Generic g) {
        return new ExchangeSettings(accountId, exchange, apiKey, apiSecret, passphrase, enabled, sandbox, baseUrl,
                dustThreshold, quoteCurrency, rateLimit, fundingOverlap, markets, tier, Optional.of(g));
    }

    /** @return the exchange's id: a first-class exchange's ({@code kraken}) or a generic one's ({@code bitstamp}) */
    public String exchangeId() {
        return generic.map(g -> g.exchange().id()).orElse(exchange.id());
    }

    /** @return whether this account is read through XChange's common services only */
    public boolean isGeneric() {
        return generic.isPresent();
    }

    @Override
    public String toString() {
        return "ExchangeSettings[" + accountId + " (" + exchangeId() + (isGeneric() ? ", generic" : "") + "), enabled=" + enabled + ", sandbox="
                + sandbox + ", baseUrl=" + baseUrl.orElse(exchange.defaultBaseUrl()) + ", quote=" + quoteCurrency
                + ", apiKey=" + apiKey + "]";
    }
}
