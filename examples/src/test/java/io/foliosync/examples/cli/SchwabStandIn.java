package io.foliosync.examples.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * Schwab's authorization server on loopback: {@code /v1/oauth/authorize} answers with a sign-in page whose
 * "Allow" link goes back to the redirect URI with a code and the request's state, as Schwab's consent does;
 * {@code /v1/oauth/token} exchanges the code (recording the request); {@code accountNumbers} answers as the API.
 */
final class SchwabStandIn implements AutoCloseable {
    static final String CODE = "C0.b2F1dGgyLmNkYy5zY2h3YWIuY29t.sample-code@";
    static final String ACCESS = "access-token-never-shown";
    static final String REFRESH = "refresh-token-never-shown";

    private final MockWebServer server = new MockWebServer();
    final List<RecordedRequest> tokenRequests = new CopyOnWriteArrayList<>();

    SchwabStandIn() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                switch (request.getUrl().encodedPath()) {
                    case "/v1/oauth/authorize": {
                        HttpUrl callback = HttpUrl.get(request.getUrl().queryParameter("redirect_uri")).newBuilder()
                                .addQueryParameter("code", CODE)
                                .addQueryParameter("session", "abc")
                                .addQueryParameter("state", request.getUrl().queryParameter("state"))
                                .build();
                        String html = "<!DOCTYPE html><html><head><title>Schwab sign-in (stand-in)</title></head><body>"
                                + "<h1>Allow FolioSync to reach your accounts?</h1><a id=\"allow\" href=\""
                                + callback.toString().replace("&", "&amp;") + "\">Allow</a></body></html>";
                        return new MockResponse(200, Headers.of("Content-Type", "text/html; charset=utf-8"), html);
                    }
                    case "/v1/oauth/token":
                        tokenRequests.add(request);
                        return new MockResponse(200, Headers.of("Content-Type", "application/json"),
                                "{\"expires_in\":1800,\"token_type\":\"Bearer\",\"scope\":\"api\",\"refresh_token\":\""
                                        + REFRESH + "\",\"access_token\":\"" + ACCESS + "\",\"id_token\":\"idtok\"}");
                    case "/trader/v1/accounts/accountNumbers":
                        return new MockResponse(200, Headers.of("Content-Type", "application/json"),
                                "[{\"accountNumber\":\"12345678\",\"hashValue\":\"E5B9F2A1\"}]");
                    default:
                        return new MockResponse(404, Headers.of(), "");
                }
            }
        });
        server.start();
    }

    String baseUrl() {
        String u = server.url("/").toString();
        return u.substring(0, u.length() - 1);
    }

    @Override
    public void close() {
        server.close();
    }
}
