package io.foliosync.connectors.marketdata;

import static io.foliosync.connectors.marketdata.TestSupport.json;
import static io.foliosync.connectors.marketdata.TestSupport.routes;
import static io.foliosync.connectors.marketdata.TestSupport.yahooBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The original system's {@code market_data} section, as its users have it: providers under {@code tiingo},
 * {@code yahoo_finance} and {@code alpha_vantage}, each with {@code enabled}, {@code api_key},
 * {@code cache_duration} (seconds) and {@code rate_limit} (per minute), and no section-level {@code enabled}.
 */
class OriginalLayoutTest {
    private final MockWebServer server = new MockWebServer();
    private final TestSupport.MutableClock clock = new TestSupport.MutableClock("2025-02-20T12:00:00Z");

    @BeforeEach
    void start() throws Exception {
        server.start();
        String chart = yahooBody("chart-AAPL-2020-08-31-to-2020-11-07.json");
        server.setDispatcher(routes(r -> r.getUrl().encodedPath().equals("/v8/finance/chart/AAPL") ? json(chart)
                : null));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The seed's section, with Yahoo pointed at the loopback server. */
    private Map<String, Object> seedSection(boolean yahooCacheDuration) {
        Map<String, Object> yahoo = new LinkedHashMap<>();
        yahoo.put("enabled", true);
        if (yahooCacheDuration) {
            yahoo.put("cache_duration", 600);
        }
        yahoo.put("base_url", server.url("/").toString());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("primary_provider", "yahoo");
        s.put("fallback_providers", List.of("yahoo", "alpha_vantage"));
        s.put("tiingo", Map.of("enabled", false, "api_key", "", "cache_duration", 3600));
        s.put("yahoo_finance", yahoo);
        s.put("alpha_vantage", Map.of("enabled", false, "api_key", "", "rate_limit", 5));
        return s;
    }

    private MarketDataConnector connector(Map<String, Object> section, Optional<Duration> globalCache) {
        ConnectorContext base = new ConnectorContext(clock, Path.of("target", "test-data"),
                SecretCipher.of(MasterKey.generate()), RateLimiterRegistry.isolated());
        ConnectorContext ctx = globalCache.map(base::withResponseCacheTtl).orElse(base);
        MarketDataConnector md = MarketDataConnector.fromConfig(new ConfigSection("market_data", section), ctx);
        assertThat(md.authenticate().success()).isTrue();
        return md;
    }

    @Test
    void disabledProvidersLeaveTheChainAndNeedNoKey() {
        MarketDataConnector md = connector(seedSection(true), Optional.empty());
        assertThat(md.providerIds()).containsExactly("yahoo");
    }

    /** Issue 23 case 12: a switched-off chain disables valuation, not the configuration every sync reads. */
    @Test
    void everyProviderDisabledLeavesValuationOffInsteadOfRefusingTheConfiguration() {
        Map<String, Object> s = seedSection(true);
        s.put("yahoo_finance", Map.of("enabled", false));
        ConnectorContext ctx = new ConnectorContext(clock, Path.of("target", "test-data"),
                SecretCipher.of(MasterKey.generate()), RateLimiterRegistry.isolated());
        assertThat(new MarketDataConnectorProvider().create(new ConfigSection("market_data", s), ctx)).isEmpty();
    }

    @Test
    void yahooFinanceCacheDurationInSecondsTakesEffect() {
        MarketDataConnector md = connector(seedSection(true), Optional.empty());
        md.latestQuote("AAPL");
        int first = server.getRequestCount();

        clock.advance(Duration.ofSeconds(599));
        md.latestQuote("AAPL");
        assertThat(server.getRequestCount()).as("within yahoo_finance.cache_duration: 600").isEqualTo(first);

        clock.advance(Duration.ofSeconds(2));
        md.latestQuote("AAPL");
        assertThat(server.getRequestCount()).as("past it").isEqualTo(first + 1);
    }

    @Test
    void globalCacheDurationIsTheDefaultWhenTheSectionSetsNone() {
        MarketDataConnector md = connector(seedSection(false), Optional.of(Duration.ofSeconds(300)));
        md.latestQuote("AAPL");
        int first = server.getRequestCount();

        clock.advance(Duration.ofSeconds(299));
        md.latestQuote("AAPL");
        assertThat(server.getRequestCount()).as("within global.cache_duration: 300").isEqualTo(first);

        clock.advance(Duration.ofSeconds(2));
        md.latestQuote("AAPL");
        assertThat(server.getRequestCount()).isEqualTo(first + 1);
    }
}
