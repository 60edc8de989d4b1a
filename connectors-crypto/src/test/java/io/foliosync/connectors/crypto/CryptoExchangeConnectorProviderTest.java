package io.foliosync.connectors.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class CryptoExchangeConnectorProviderTest {

    static ConfigSection section(Map<String, ?> values) {
        return new ConfigSection("crypto_exchanges", values);
    }

    @Test
    void providerIsRegisteredForTheCryptoExchangesSection() {
        assertThat(ServiceLoader.load(ConnectorProvider.class).stream().map(ServiceLoader.Provider::get))
                .anyMatch(p -> p instanceof CryptoExchangeConnectorProvider
                        && p.configSection().equals("crypto_exchanges"));
    }

    @Test
    void unknownExchangeIdFailsWithTheSupportedList() {
        assertThatThrownBy(() -> CryptoExchangeConnectorProvider.parse(section(Map.of(
                "notanexchange", Map.of("api_key", "k", "api_secret", "s")))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("crypto_exchanges.notanexchange")
                .hasMessageContaining("unknown exchange 'notanexchange'; first-class: kraken, okx");
    }

    @Test
    void anExchangeWhoseXChangeModuleIsOnTheClassPathIsAGenericAccount() {
        List<ExchangeSettings> settings = CryptoExchangeConnectorProvider.parse(section(Map.of(
                "main", Map.of("exchange", "bitfinex", "api_key", "k", "api_secret", "s", "user_id", "u-1",
                        "xchange_parameters", Map.of("someParam", "v")))));
        assertThat(settings).singleElement().satisfies(s -> {
            assertThat(s.isGeneric()).isTrue();
            assertThat(s.exchange()).isEqualTo(SupportedExchange.XCHANGE);
            assertThat(s.exchangeId()).isEqualTo("bitfinex");
            assertThat(s.generic().orElseThrow().exchange().exchangeClass())
                    .isEqualTo("org.knowm.xchange.bitfinex.BitfinexExchange");
            assertThat(s.generic().orElseThrow().userId().orElseThrow().reveal()).isEqualTo("u-1");
            assertThat(s.generic().orElseThrow().parameters()).containsKey("someParam");
            assertThat(s.toString()).doesNotContain("u-1").contains("generic");
        });
    }

    @Test
    void anExchangeXChangeHasAModuleForButNotOnTheClassPathNamesTheModule() {
        assertThatThrownBy(() -> CryptoExchangeConnectorProvider.parse(section(Map.of(
                "poloniex", Map.of("api_key", "k", "api_secret", "s")))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("crypto_exchanges.poloniex")
                .hasMessageContaining("add org.knowm.xchange:xchange-poloniex:5.2.1 to the class path");
    }

    @Test
    void aKucoinAccountWithoutItsPassphraseIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> CryptoExchangeConnectorProvider.parse(section(Map.of(
                "kucoin", Map.of("api_key", "k", "api_secret", "s")))))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("crypto_exchanges.kucoin.passphrase")
                                .contains("kucoin keys have a passphrase")));
        assertThat(CryptoExchangeConnectorProvider.parse(section(Map.of(
                "kucoin", Map.of("api_key", "k", "api_secret", "s", "passphrase", "p"))))).singleElement()
                .satisfies(s -> assertThat(s.passphrase()).isPresent());
    }

    @Test
    void aMistypedIdSuggestsTheNearestXChangeModules() {
        assertThatThrownBy(() -> CryptoExchangeConnectorProvider.parse(section(Map.of(
                "bitstmp", Map.of("api_key", "k", "api_secret", "s")))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("did you mean bitstamp (org.knowm.xchange:xchange-bitstamp:5.2.1, included)");
    }

    @Test
    void genericKeysOnAFirstClassExchangeAreRefused() {
        assertThatThrownBy(() -> CryptoExchangeConnectorProvider.parse(section(Map.of(
                "kraken", Map.of("api_key", "k", "api_secret", "c2VjcmV0", "user_id", "u")))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("crypto_exchanges.kraken.user_id");
    }

    @Test
    void whatAShippedModuleReadsIsTakenFromTheModuleWithoutCallingTheExchange() {
        GenericExchange.Reads bitfinex = GenericExchange.byId("bitfinex").orElseThrow().reads().orElseThrow();
        assertThat(bitfinex.balances()).isTrue();
        assertThat(bitfinex.trades()).isTrue();
        assertThat(bitfinex.funding()).isTrue();
        assertThat(bitfinex.declared()).hasValueSatisfying(l -> {
            assertThat(l.permits()).isEqualTo(90);
            assertThat(l.period()).isEqualTo(java.time.Duration.ofMinutes(1));
        });
        GenericExchange.Reads gemini = GenericExchange.byId("gemini").orElseThrow().reads().orElseThrow();
        assertThat(gemini.declared()).isEmpty();
        assertThat(GenericExchange.byId("poloniex").orElseThrow().reads()).isEmpty();
    }

    @Test
    void disabledExchangesNeedNoSecrets() {
        List<ExchangeSettings> settings = CryptoExchangeConnectorProvider.parse(section(Map.of(
                "okx", Map.of("enabled", "false", "api_key", "", "api_secret", "", "passphrase", ""),
                "kraken", Map.of("enabled", "false"))));
        assertThat(settings).hasSize(2).noneMatch(ExchangeSettings::enabled);
    }

    @Test
    void everyMissingKeyIsNamedAtOnce() {
        assertThatThrownBy(() -> CryptoExchangeConnectorProvider.parse(section(Map.of(
                "kraken", Map.of("quote_currency", "EUR"),
                "okx", Map.of("api_key", "k", "api_secret", "s", "dust_threshold", "-1")))))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("crypto_exchanges.kraken.api_key"))
                        .anySatisfy(p -> assertThat(p).startsWith("crypto_exchanges.kraken.api_secret"))
                        .anySatisfy(p -> assertThat(p).startsWith("crypto_exchanges.okx.passphrase"))
                        .anySatisfy(p -> assertThat(p).startsWith("crypto_exchanges.okx.dust_threshold")));
    }

    @Test
    void readsEveryKeyAndKeepsSecretsMasked() {
        List<ExchangeSettings> settings = CryptoExchangeConnectorProvider.parse(section(Map.of(
                "okx", Map.of("api_key", "k", "api_secret", "s3cret", "passphrase", "p", "sandbox", "true",
                        "base_url", "http://127.0.0.1:1", "dust_threshold", "0.001", "quote_currency", "eur",
                        "rate_limit_per_minute", "30", "funding_overlap_days", "30"),
                "kraken-savings", Map.of("exchange", "kraken", "enabled", "false"))));
        ExchangeSettings okx = settings.stream().filter(s -> s.accountId().equals("okx")).findFirst().orElseThrow();
        assertThat(okx.sandbox()).isTrue();
        assertThat(okx.quoteCurrency()).isEqualTo("EUR");
        assertThat(okx.dustThreshold()).isEqualByComparingTo("0.001");
        assertThat(okx.baseUrl()).contains("http://127.0.0.1:1");
        assertThat(okx.rateLimit()).hasValueSatisfying(l -> assertThat(l.permits()).isEqualTo(30));
        assertThat(okx.fundingOverlap()).isEqualTo(java.time.Duration.ofDays(30));
        assertThat(okx.toString()).doesNotContain("s3cret");
        assertThat(settings).anyMatch(s -> s.accountId().equals("kraken-savings") && !s.enabled()
                && s.exchange() == SupportedExchange.KRAKEN);
    }

    @Test
    void krakenSecretMustBeBase64() {
        assertThatThrownBy(() -> CryptoExchangeConnector.builder()
                .exchange(ExchangeSettings.of(SupportedExchange.KRAKEN, "k", "not base64 !!", java.util.Optional.empty()))
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("crypto_exchanges.kraken.api_secret")
                .hasMessageNotContaining("not base64 !!");
    }

    @Test
    void createBuildsOneConnectorOnlyWhenSomethingIsEnabled(@org.junit.jupiter.api.io.TempDir Path dir) {
        SecretCipher cipher = SecretCipher.of(MasterKey.generate());
        ConnectorContext ctx = new ConnectorContext(Clock.systemUTC(), dir, cipher, RateLimiterRegistry.isolated());
        CryptoExchangeConnectorProvider provider = new CryptoExchangeConnectorProvider();
        List<Connector> none = provider.create(section(Map.of("kraken", Map.of("enabled", "false"))), ctx);
        assertThat(none).isEmpty();
        List<Connector> one = provider.create(section(Map.of("okx", Map.of("api_key", "k", "api_secret", "s",
                "passphrase", "p"))), ctx);
        assertThat(one).singleElement().satisfies(c -> {
            assertThat(c.metadata().name()).isEqualTo("crypto_exchanges");
            assertThat(c.sourceId()).isEqualTo("okx");
        });
    }

    @Test
    void everyEnabledAccountIsItsOwnSourceEvenOnOneExchange(@org.junit.jupiter.api.io.TempDir Path dir) {
        SecretCipher cipher = SecretCipher.of(MasterKey.generate());
        ConnectorContext ctx = new ConnectorContext(Clock.systemUTC(), dir, cipher, RateLimiterRegistry.isolated());
        Map<String, Object> accounts = new java.util.LinkedHashMap<>();
        accounts.put("kraken", Map.of("api_key", "k1", "api_secret", "c2VjcmV0"));
        accounts.put("kraken_savings", Map.of("exchange", "kraken", "api_key", "k2", "api_secret", "c2VjcmV0"));
        accounts.put("okx", Map.of("enabled", "false"));
        List<Connector> sources = new CryptoExchangeConnectorProvider().create(section(accounts), ctx);
        try {
            assertThat(sources).extracting(Connector::sourceId).containsExactly("kraken", "kraken_savings");
            assertThat(sources).extracting(c -> c.metadata().name()).containsOnly("crypto_exchanges");
        } finally {
            sources.forEach(Connector::close);
        }
    }

    @Test
    void theOriginalSystemsLayoutWithAccountsUnderExchangesIsRead(@org.junit.jupiter.api.io.TempDir Path dir) {
        SecretCipher cipher = SecretCipher.of(MasterKey.generate());
        ConnectorContext ctx = new ConnectorContext(Clock.systemUTC(), dir, cipher, RateLimiterRegistry.isolated());
        Map<String, Object> exchanges = new java.util.LinkedHashMap<>();
        exchanges.put("binance", Map.of("enabled", false, "api_key", "", "api_secret", "", "sandbox", false));
        exchanges.put("kraken", Map.of("enabled", true, "api_key", "k", "api_secret", "c2VjcmV0"));
        Map<String, Object> seed = new java.util.LinkedHashMap<>();
        seed.put("enabled", true);
        seed.put("sync_frequency", "daily");
        seed.put("exchanges", exchanges);

        List<Connector> sources = new CryptoExchangeConnectorProvider().create(section(seed), ctx);
        try {
            assertThat(sources).extracting(Connector::sourceId).containsExactly("kraken");
        } finally {
            sources.forEach(Connector::close);
        }
        assertThat(CryptoExchangeConnectorProvider.parse(section(seed))).extracting(ExchangeSettings::accountId)
                .containsExactly("binance", "kraken");
    }

    @Test
    void aDisabledSectionTurnsEveryAccountOffAndAsksForNoSecret(@org.junit.jupiter.api.io.TempDir Path dir) {
        SecretCipher cipher = SecretCipher.of(MasterKey.generate());
        ConnectorContext ctx = new ConnectorContext(Clock.systemUTC(), dir, cipher, RateLimiterRegistry.isolated());
        Map<String, Object> seed = new java.util.LinkedHashMap<>();
        seed.put("enabled", false);
        seed.put("exchanges", Map.of("kraken", Map.of("enabled", true, "api_key", "", "api_secret", "")));
        assertThat(new CryptoExchangeConnectorProvider().create(section(seed), ctx)).isEmpty();
    }

    @Test
    void aValueOfTheWrongTypeIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> CryptoExchangeConnectorProvider.parse(section(Map.of("exchanges", true))))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("crypto_exchanges.exchanges: expected a map")));
        assertThatThrownBy(() -> CryptoExchangeConnectorProvider.parse(section(Map.of("kraken", false))))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("crypto_exchanges.kraken: expected the account's")));
        assertThatThrownBy(() -> CryptoExchangeConnectorProvider.parse(section(Map.of("enabled", "maybe"))))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("crypto_exchanges.enabled: expected true or false")));
    }

    @Test
    void krakensTierIsReadAndCheckedAndOnlyKrakenHasOne() {
        Map<String, Object> accounts = new java.util.LinkedHashMap<>();
        accounts.put("kraken", Map.of("api_key", "k", "api_secret", "c2VjcmV0"));
        accounts.put("kraken_pro", Map.of("exchange", "kraken", "tier", "pro", "api_key", "k2",
                "api_secret", "c2VjcmV0"));
        assertThat(CryptoExchangeConnectorProvider.parse(section(accounts)))
                .extracting(ExchangeSettings::tier)
                .as("absent: the pacing's default, Starter")
                .containsExactly(java.util.Optional.empty(),
                        java.util.Optional.of(io.foliosync.connectors.crypto.pacing.KrakenTier.PRO));
        assertThatThrownBy(() -> CryptoExchangeConnectorProvider.parse(section(Map.of("kraken",
                Map.of("tier", "gold", "api_key", "k", "api_secret", "c2VjcmV0")))))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("crypto_exchanges.kraken.tier: 'gold' is not")));
        assertThatThrownBy(() -> CryptoExchangeConnectorProvider.parse(section(Map.of("okx",
                Map.of("tier", "pro", "api_key", "k", "api_secret", "s", "passphrase", "p")))))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("crypto_exchanges.okx.tier: only Kraken")));
    }
}
