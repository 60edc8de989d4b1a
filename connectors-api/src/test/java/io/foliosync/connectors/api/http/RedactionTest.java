package io.foliosync.connectors.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.testing.LogCapture;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class RedactionTest {
    private static final String API_KEY = "AK-live-9f8e7d6c5b4a";
    private static final String API_SECRET = "c2VjcmV0LXNob3VsZC1uZXZlci1sZWFr";
    private static final String BEARER = "eyJhbGciOiJIUzI1NiJ9.payload.sig";
    private static final String SIGNATURE = "5f2b5c0ed2a6f0e4";

    @Test
    void requestWithKeySecretAndBearerIsLoggedWithNoneOfThem() throws Exception {
        try (MockWebServer server = new MockWebServer(); LogCapture log = LogCapture.of("io.foliosync.http")) {
            server.enqueue(new MockResponse.Builder().addHeader("Set-Cookie", "session=abc123secret").body("{}").build());
            server.start();
            OkHttpClient http = HttpClients.builder("exchange").build();
            HttpUrl url = server.url("/api/v3/account").newBuilder()
                    .addQueryParameter("timestamp", "1700000000000")
                    .addQueryParameter("signature", SIGNATURE)
                    .addQueryParameter("api_key", API_KEY)
                    .build();
            Request request = new Request.Builder().url(url)
                    .header("X-MBX-APIKEY", API_KEY)
                    .header("Authorization", "Bearer " + BEARER)
                    .post(new FormBody.Builder().add("secret", API_SECRET).add("symbol", "BTCUSDT").build())
                    .build();
            try (Response response = http.newCall(request).execute()) {
                assertThat(response.code()).isEqualTo(200);
            }

            String logged = log.text();
            assertThat(logged).contains("/api/v3/account", "timestamp=1700000000000", "symbol=BTCUSDT",
                    Redaction.MASK, "X-MBX-APIKEY");
            assertThat(logged).doesNotContain(API_KEY, API_SECRET, BEARER, SIGNATURE, "abc123secret");
        }
    }

    @Test
    void sensitiveNamesAreRecognised() {
        assertThat(Redaction.isSensitive("API-Sign")).isTrue();
        assertThat(Redaction.isSensitive("OK-ACCESS-PASSPHRASE")).isTrue();
        assertThat(Redaction.isSensitive("refresh_token")).isTrue();
        assertThat(Redaction.isSensitive("code")).isTrue();
        assertThat(Redaction.isSensitive("symbol")).isFalse();
        assertThat(Redaction.isSensitive("startDate")).isFalse();
    }
}
