package io.foliosync.connectors.ibkr.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.ConnectorException;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.FolioSyncException;
import io.foliosync.connectors.api.NetworkException;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.UntrustedCertificateException;
import io.foliosync.connectors.api.http.Redaction;
import io.foliosync.connectors.api.http.Sleeper;
import io.foliosync.connectors.api.secrets.Secret;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IBKR's Flex Web Service (version 3): {@code SendRequest} asks for a statement and returns a reference code;
 * {@code GetStatement} returns the statement once generated, or error 1019 while it is being generated, which
 * is polled with exponential backoff up to a bound.
 *
 * <p>The token travels as the query parameter {@code t}, which IBKR requires. {@code t} is not a name
 * {@link Redaction} recognises, so requests carry it as {@code flex_token} (masked in every log line) and an
 * interceptor placed after the logging one renames it on the wire. Error messages name endpoints by path only
 * and are scrubbed of the token's value.
 */
@API(status = INTERNAL, since = "0.1")
public final class FlexWebServiceClient {
    public static final String DEFAULT_BASE_URL = "https://ndcdyn.interactivebrokers.com/AccountManagement/FlexWebService";
    private static final Logger LOG = LoggerFactory.getLogger(FlexWebServiceClient.class);
    private static final String PLACEHOLDER = "flex_token";
    /** IBKR's "not ready yet, try again shortly" codes; 1019 is the usual one. */
    private static final Set<Integer> NOT_READY = Set.of(1001, 1004, 1005, 1006, 1007, 1008, 1009, 1019, 1021);
    private static final XMLInputFactory XML = FlexXmlReader.secureFactory();

    private final String source;
    private final OkHttpClient http;
    private final HttpUrl base;
    private final Secret token;
    private final Sleeper sleeper;
    private final int maxPolls;
    private final Duration initialDelay;
    private final Duration maxDelay;

    /**
     * @param http         a client from {@code HttpClients} (retries, limits, redacting logs)
     * @param maxPolls     how many times GetStatement is asked before giving up; at least 1
     * @param initialDelay the wait before the first GetStatement, doubled after each "not ready" answer
     * @param maxDelay     the longest single wait
     */
    public FlexWebServiceClient(String source, OkHttpClient http, HttpUrl base, Secret token, Sleeper sleeper,
                                int maxPolls, Duration initialDelay, Duration maxDelay) {
        this.source = Objects.requireNonNull(source, "source");
        this.base = Objects.requireNonNull(base, "base");
        this.token = Objects.requireNonNull(token, "token");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        if (maxPolls < 1) {
            throw new IllegalArgumentException("maxPolls must be at least 1 but was " + maxPolls);
        }
        this.maxPolls = maxPolls;
        this.initialDelay = Objects.requireNonNull(initialDelay, "initialDelay");
        this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
        this.http = Objects.requireNonNull(http, "http").newBuilder()
                .addInterceptor(chain -> {
                    Request r = chain.request();
                    String value = r.url().queryParameter(PLACEHOLDER);
                    if (value == null) {
                        return chain.proceed(r);
                    }
                    HttpUrl wire = r.url().newBuilder().removeAllQueryParameters(PLACEHOLDER)
                            .addQueryParameter("t", value).build();
                    return chain.proceed(r.newBuilder().url(wire).build());
                })
                .build();
    }

    /**
     * Asks IBKR to generate the statement of {@code queryId} and downloads it to {@code target}, streamed to
     * disk (statements can be tens of MB).
     *
     * @return {@code target}
     */
    public Path download(String queryId, Path target) {
        String reference = sendRequest(queryId);
        Duration delay = initialDelay;
        for (int attempt = 1; ; attempt++) {
            pause(delay);
            Optional<FlexError> error = getStatement(reference, target);
            if (error.isEmpty()) {
                return target;
            }
            FlexError e = error.get();
            if (!NOT_READY.contains(e.code())) {
                throw toException(e, "GetStatement", queryId);
            }
            if (attempt >= maxPolls) {
                throw new DataFetchException(source, "GET /GetStatement", "the statement of Flex query " + queryId
                        + " was still not ready after " + maxPolls + " attempts (IBKR " + e.code() + ": "
                        + scrub(e.message()) + "); large statements take minutes: try again later or raise "
                        + "interactive_brokers.flex.max_poll_attempts", null);
            }
            LOG.info("{}: Flex statement for query {} not ready (IBKR {}); asking again in {} ms", source, queryId,
                    e.code(), delay.toMillis());
            delay = delay.multipliedBy(2);
            if (delay.compareTo(maxDelay) > 0) {
                delay = maxDelay;
            }
        }
    }

    /** @return the reference code GetStatement needs */
    public String sendRequest(String queryId) {
        Request request = new Request.Builder().url(url("SendRequest", queryId)).get().build();
        String body = executeSmall(request, "GET /SendRequest");
        Map<String, String> response = parseEnvelope(body, "GET /SendRequest");
        if ("Success".equalsIgnoreCase(response.getOrDefault("Status", ""))) {
            String reference = response.get("ReferenceCode");
            if (reference == null || reference.isBlank()) {
                throw DataFetchException.malformed(source, "GET /SendRequest", null, "ReferenceCode",
                        "IBKR answered Success without a reference code", null);
            }
            return reference.trim();
        }
        throw toException(error(response, "GET /SendRequest"), "SendRequest", queryId);
    }

    /** @return empty when the statement was written to {@code target}, else IBKR's error */
    Optional<FlexError> getStatement(String reference, Path target) {
        Request request = new Request.Builder().url(url("GetStatement", reference)).get().build();
        String endpoint = "GET /GetStatement";
        Path tmp = null;
        try (Response response = http.newCall(request).execute()) {
            ResponseBody body = response.body();
            if (!response.isSuccessful()) {
                String text = body == null ? "" : body.string();
                throw statusError(endpoint, response.code(), text);
            }
            Path dir = target.toAbsolutePath().getParent();
            io.foliosync.connectors.api.secrets.OwnerOnlyFiles.createDirectories(dir);
            tmp = Files.createTempFile(dir, ".flex-", ".part"); // owner-only on POSIX, and moved as it is
            try (InputStream in = body.byteStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            if ("FlexStatementResponse".equals(rootElement(tmp, endpoint))) {
                Map<String, String> envelope = parseEnvelope(Files.readString(tmp), endpoint);
                return Optional.of(error(envelope, endpoint));
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            return Optional.empty();
        } catch (IOException e) {
            throw networkError(endpoint, request.url(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file holds no secret
                }
            }
        }
    }

    private HttpUrl url(String operation, String q) {
        return base.newBuilder().addPathSegment(operation)
                .addQueryParameter(PLACEHOLDER, token.reveal())
                .addQueryParameter("q", q)
                .addQueryParameter("v", "3")
                .build();
    }

    private String executeSmall(Request request, String endpoint) {
        try (Response response = http.newCall(request).execute()) {
            String text = response.body() == null ? "" : response.body().string();
            if (!response.isSuccessful()) {
                throw statusError(endpoint, response.code(), text);
            }
            return text;
        } catch (IOException e) {
            throw networkError(endpoint, request.url(), e);
        }
    }

    /**
     * The cause is left out: an I/O error's message can hold the request URL, and the token is in its query.
     * Its type is kept where it matters: a TLS failure is an {@link UntrustedCertificateException}.
     */
    private DataFetchException networkError(String endpoint, HttpUrl url, IOException e) {
        if (UntrustedCertificateException.findCertificateFailure(e).isPresent()) {
            return new UntrustedCertificateException(source, url.host(), url.port(), null, null);
        }
        return new NetworkException(source, endpoint, "network error: " + scrub(e.toString()), null);
    }

    private ConnectorException statusError(String endpoint, int code, String body) {
        String snippet = scrub(body.length() > 200 ? body.substring(0, 200) + "…" : body);
        if (code == 429) {
            return new RateLimitException(source, endpoint + ": HTTP 429: IBKR allows one Flex request per second "
                    + "and 10 per minute per token; wait a minute", Optional.of(Duration.ofMinutes(1)));
        }
        return DataFetchException.httpStatus(source, endpoint, code, snippet);
    }

    /** A {@code <FlexStatementResponse>} error. */
    record FlexError(int code, String message) {
    }

    private FlexError error(Map<String, String> envelope, String endpoint) {
        String code = envelope.get("ErrorCode");
        String message = envelope.getOrDefault("ErrorMessage", "(no message)");
        if (code == null) {
            throw DataFetchException.malformed(source, endpoint, null, "ErrorCode",
                    "IBKR answered status '" + envelope.getOrDefault("Status", "") + "' without an error code", null);
        }
        try {
            return new FlexError(Integer.parseInt(code.trim()), message.trim());
        } catch (NumberFormatException e) {
            throw DataFetchException.malformed(source, endpoint, null, "ErrorCode", "not a number: '" + code + "'",
                    null);
        }
    }

    /** Maps IBKR's Flex error codes onto typed exceptions saying what the user should do. */
    FolioSyncException toException(FlexError e, String operation, String queryId) {
        String said = "IBKR Flex error " + e.code() + " (" + operation + ", query " + queryId + "): "
                + scrub(e.message());
        return switch (e.code()) {
            case 1012 -> new AuthenticationException(source, said + " — the Flex token has expired: generate a "
                    + "new one in Client Portal (Settings > Account Settings > Flex Web Service, 'Generate New "
                    + "Token', choose a longer expiry) and set interactive_brokers.flex.token");
            case 1015 -> new AuthenticationException(source, said + " — the Flex token is not valid: copy the "
                    + "current token from Client Portal's Flex Web Service page into interactive_brokers.flex.token "
                    + "(generating a new token invalidates the old one)");
            case 1011 -> new AuthenticationException(source, said + " — the Flex Web Service is not active: "
                    + "activate it in Client Portal (Settings > Account Settings > Flex Web Service)");
            case 1013 -> new AuthenticationException(source, said + " — the token is restricted to another IP "
                    + "address: generate a token without the IP restriction or for this machine's address");
            case 1014 -> new ConfigurationException(source, "interactive_brokers.flex.query_ids: " + said
                    + " — check the query id in Client Portal (Performance & Reports > Flex Queries, the 'i' icon)");
            case 1016 -> new ConfigurationException(source, "interactive_brokers.flex.query_ids: " + said
                    + " — the query's account is not valid for this token; edit the query's accounts");
            case 1010 -> new ConfigurationException(source, "interactive_brokers.flex.query_ids: " + said
                    + " — recreate the query as an Activity Flex Query");
            case 1018 -> new RateLimitException(source, said + " — IBKR allows one request per second and 10 per "
                    + "minute per token; wait a minute before trying again", Optional.of(Duration.ofMinutes(1)));
            default -> new DataFetchException(source, "GET /" + operation, said
                    + (NOT_READY.contains(e.code()) ? " — try again in a few minutes" : ""), null);
        };
    }

    private Map<String, String> parseEnvelope(String xml, String endpoint) {
        Map<String, String> values = new HashMap<>();
        try {
            XMLStreamReader r = XML.createXMLStreamReader(new StringReader(xml));
            String current = null;
            StringBuilder text = new StringBuilder();
            boolean rootSeen = false;
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    if (!rootSeen) {
                        rootSeen = true;
                        if (!r.getLocalName().equals("FlexStatementResponse")) {
                            throw DataFetchException.malformed(source, endpoint, null, null,
                                    "expected <FlexStatementResponse> but got <" + r.getLocalName() + ">", null);
                        }
                        continue;
                    }
                    current = r.getLocalName();
                    text.setLength(0);
                } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) {
                    if (current != null) {
                        text.append(r.getText());
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT && current != null) {
                    values.put(current, text.toString().trim());
                    current = null;
                }
            }
            if (!rootSeen) {
                throw DataFetchException.malformed(source, endpoint, null, null, "empty response", null);
            }
            return values;
        } catch (XMLStreamException e) {
            throw DataFetchException.malformed(source, endpoint, null, null,
                    "unreadable Flex Web Service response: " + scrub(String.valueOf(e.getMessage())), null);
        }
    }

    private String rootElement(Path file, String endpoint) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            XMLStreamReader r = XML.createXMLStreamReader(in);
            try {
                while (r.hasNext()) {
                    if (r.next() == XMLStreamConstants.START_ELEMENT) {
                        return r.getLocalName();
                    }
                }
                throw DataFetchException.malformed(source, endpoint, null, null, "empty response", null);
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw DataFetchException.malformed(source, endpoint, null, null,
                    "the statement is not XML: " + scrub(String.valueOf(e.getMessage())), null);
        }
    }

    private void pause(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataFetchException(source, "GET /GetStatement", "interrupted while waiting for the statement",
                    e);
        }
    }

    private String scrub(String text) {
        String t = token.reveal();
        return text == null || t.isEmpty() ? text : text.replace(t, Redaction.MASK);
    }
}
