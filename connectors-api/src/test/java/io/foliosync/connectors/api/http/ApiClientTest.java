package io.foliosync.connectors.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.json.Json;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

public class ApiClientTest {
    public record Quote(String symbol, BigDecimal price) {
    }

    private MockWebServer server;
    private ApiClient api;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        api = ApiClient.of("tiingo", HttpClients.builder("tiingo").retryPolicy(RetryPolicy.none()).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void http401BecomesAuthenticationExceptionNamingSourceAndEndpoint() {
        server.enqueue(new MockResponse.Builder().code(401).body("{\"detail\":\"Invalid token.\"}").build());
        assertThatThrownBy(() -> api.execute(new Request.Builder().url(server.url("/iex/aapl")).build()))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageStartingWith("tiingo: GET /iex/aapl: HTTP 401")
                .hasMessageContaining("Invalid token.");
    }

    @Test
    void malformedJsonNamesSourceAndEndpoint() {
        server.enqueue(new MockResponse.Builder().body("{\"symbol\": \"AAPL\", ").build());
        assertThatThrownBy(() -> api.execute(new Request.Builder().url(server.url("/quote")).build(),
                Json.moshi().adapter(Quote.class)))
                .isInstanceOf(DataFetchException.class)
                .hasMessageContaining("tiingo: GET /quote")
                .hasMessageContaining("JSON");
    }

    @Test
    void unexpectedValueNamesTheJsonPath() {
        server.enqueue(new MockResponse.Builder().body("[{\"symbol\":\"AAPL\",\"price\":\"n/a\"}]").build());
        assertThatThrownBy(() -> api.execute(new Request.Builder().url(server.url("/quotes")).build(),
                Json.<List<Quote>>adapter(Json.listOf(Quote.class))))
                .isInstanceOf(DataFetchException.class)
                .hasMessageContaining("'n/a'")
                .hasMessageContaining("$[0].price");
    }

    @Test
    void recordsAreReadWithExactDecimals() {
        server.enqueue(new MockResponse.Builder().body("{\"symbol\":\"AAPL\",\"price\":0.1000000000000000055511151231257827}").build());
        Quote q = api.execute(new Request.Builder().url(server.url("/quote")).build(), Json.moshi().adapter(Quote.class));
        assertThat(q.price()).isEqualTo(new BigDecimal("0.1000000000000000055511151231257827"));
    }

    @Test
    void treeNumbersAreBigDecimals() {
        server.enqueue(new MockResponse.Builder().body("{\"result\":{\"XXBT\":\"0.5\",\"fee\":0.0026}}").build());
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) api.executeTree(new Request.Builder().url(server.url("/b")).build());
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) tree.get("result");
        assertThat(result.get("fee")).isEqualTo(new BigDecimal("0.0026"));
    }

    @Test
    void badBaseUrlIsAConfigurationErrorNamingTheKey() {
        assertThatThrownBy(() -> ApiClient.baseUrl("kraken", "crypto_exchanges.kraken.base_url", "ftp:/nope"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("crypto_exchanges.kraken.base_url");
    }
}
