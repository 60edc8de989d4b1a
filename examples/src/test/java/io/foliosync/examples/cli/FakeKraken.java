package io.foliosync.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * One Kraken account on loopback: the demo's recorded public responses (AssetPairs, Ticker) and a generated
 * private history of {@code trades} trades and {@code deposits} ledger deposits, served in Kraken's layout and
 * paged by {@code ofs} like Kraken, but with small pages so that a history of a few records spans several.
 * Only the server is fake: every request comes from the real connector in the jar under test.
 */
final class FakeKraken implements AutoCloseable {
    enum Mode {
        /** answers every call */
        SERVING,
        /** every call gets 503, as an exchange in maintenance */
        UNAVAILABLE,
        /** every private call is refused as Kraken refuses an unknown API key */
        INVALID_KEY,
        /** the Balance answer comes one byte a second: no read timeout ever trips */
        TRICKLE,
        /** every answer is followed by the server closing the connection, without saying so beforehand */
        CLOSE_CONNECTIONS
    }

    static final long FIRST_TRADE = 1_690_000_000L; // 2023-07-22, well inside any validation window

    private final String idPrefix;
    private final int trades;
    private final int deposits;
    private final int pageSize;
    private final MockWebServer server = new MockWebServer();
    private volatile Mode mode = Mode.SERVING;
    /** the Ledgers offset whose page is served broken, or -1 */
    private volatile long malformedLedgerOffset = -1;
    /** the TradesHistory offset whose request waits for {@link #release()}, or -1 */
    private volatile long heldTradesOffset = -1;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final java.util.Set<String> apiKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param idPrefix makes this account's record ids its own, so two accounts never share one
     * @param pageSize records per TradesHistory/Ledgers page (Kraken's is 50)
     */
    FakeKraken(String idPrefix, int trades, int deposits, int pageSize) {
        this.idPrefix = idPrefix;
        this.trades = trades;
        this.deposits = deposits;
        this.pageSize = pageSize;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                return answer(request);
            }
        });
        try {
            server.start(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        String s = server.url("/").toString();
        return s.substring(0, s.length() - 1);
    }

    void mode(Mode m) {
        mode = m;
    }

    void malformedLedgerPageAt(long offset) {
        malformedLedgerOffset = offset;
    }

    /** Makes the TradesHistory request at {@code offset} wait until {@link #release()} (or the server closes). */
    void holdTradesPageAt(long offset) {
        heldTradesOffset = offset;
    }

    /** @return whether a request reached the held page within the timeout */
    boolean awaitHeld(long seconds) throws InterruptedException {
        return held.await(seconds, TimeUnit.SECONDS);
    }

    void release() {
        heldTradesOffset = -1;
        released.countDown();
    }

    /** @return the API-Key headers the private calls carried: which key the client under test was given */
    java.util.Set<String> apiKeys() {
        return java.util.Set.copyOf(apiKeys);
    }

    int records() {
        return trades + deposits;
    }

    int trades() {
        return trades;
    }

    int deposits() {
        return deposits;
    }

    /** @return how many pages a full read of this history takes (trades, then ledger) */
    int pages() {
        return Math.max(1, (trades + pageSize - 1) / pageSize) + Math.max(1, (deposits + pageSize - 1) / pageSize);
    }

    String tradeId(int i) {
        return String.format(Locale.ROOT, "T%s-%04d-KRAKEN", idPrefix, i);
    }

    String ledgerId(int i) {
        return String.format(Locale.ROOT, "L%s-%04d-KRAKEN", idPrefix, i);
    }

    private MockResponse answer(RecordedRequest request) throws InterruptedException {
        MockResponse r = answerFor(request);
        Mode m = mode;
        if (m == Mode.CLOSE_CONNECTIONS) {
            return r.newBuilder().onResponseEnd(mockwebserver3.SocketEffect.ShutdownConnection.INSTANCE).build();
        }
        if (m == Mode.TRICKLE && request.getUrl().encodedPath().equals("/0/private/Balance")) {
            return r.newBuilder().throttleBody(1, 1, TimeUnit.SECONDS).build();
        }
        return r;
    }

    private MockResponse answerFor(RecordedRequest request) throws InterruptedException {
        String path = request.getUrl().encodedPath();
        Mode m = mode;
        if (m == Mode.UNAVAILABLE) {
            return json(503, "{\"error\":[\"EService:Unavailable\"]}");
        }
        if (path.startsWith("/0/public/")) {
            return switch (path) {
                case "/0/public/AssetPairs" -> json(200, ReplayServer.resource("kraken/assetpairs-own.json"));
                case "/0/public/Ticker" -> json(200, ReplayServer.resource("kraken/ticker-own.json"));
                case "/0/public/Time" -> json(200, "{\"error\":[],\"result\":{\"unixtime\":1703980800}}");
                default -> json(404, "{\"error\":[\"EGeneral:Unknown method\"]}");
            };
        }
        String apiKey = request.getHeaders().get("API-Key");
        if (apiKey != null) {
            apiKeys.add(apiKey);
        }
        if (m == Mode.INVALID_KEY) {
            return json(200, "{\"error\":[\"EAPI:Invalid key\"]}");
        }
        Map<String, String> form = form(request);
        long ofs = Long.parseLong(form.getOrDefault("ofs", "0"));
        return switch (path) {
            case "/0/private/Balance" -> json(200, "{\"error\":[],\"result\":{\"XXBT\":\"0.5000000000\","
                    + "\"ZUSD\":\"100.0000\"}}");
            case "/0/private/TradesHistory" -> {
                if (ofs == heldTradesOffset) {
                    held.countDown();
                    // bounded, so that a test that forgets to release never leaves a server thread behind
                    released.await(5, TimeUnit.MINUTES);
                }
                yield json(200, tradesPage(ofs));
            }
            case "/0/private/Ledgers" -> json(200, ofs == malformedLedgerOffset
                    ? "{\"error\":[],\"result\":{\"ledger\":{\"" + ledgerId((int) ofs) + "\":{\"refid\":"
                    : ledgerPage(ofs));
            case "/0/private/DepositStatus", "/0/private/WithdrawStatus" -> json(200, "{\"error\":[],\"result\":[]}");
            default -> json(404, "{\"error\":[\"EGeneral:Unknown method\"]}");
        };
    }

    private String tradesPage(long ofs) {
        List<String> rows = new ArrayList<>();
        for (int i = (int) ofs; i < Math.min(trades, ofs + pageSize); i++) {
            // newest first, as Kraken lists them
            int n = trades - 1 - i;
            rows.add(String.format(Locale.ROOT, "\"%s\":{\"ordertxid\":\"O%s-%04d\",\"pair\":\"XXBTZUSD\","
                    + "\"time\":%d.5,\"type\":\"%s\",\"ordertype\":\"market\",\"price\":\"30000.0\",\"cost\":\"%d.00\","
                    + "\"fee\":\"0.48\",\"vol\":\"0.0%02d00000\",\"margin\":\"0.00000\",\"misc\":\"\"}",
                    tradeId(n), idPrefix, n, FIRST_TRADE + n * 3600L, n % 3 == 2 ? "sell" : "buy", 30 * (n + 1), n + 1));
        }
        return "{\"error\":[],\"result\":{\"trades\":{" + String.join(",", rows) + "},\"count\":" + trades + "}}";
    }

    private String ledgerPage(long ofs) {
        List<String> rows = new ArrayList<>();
        for (int i = (int) ofs; i < Math.min(deposits, ofs + pageSize); i++) {
            int n = deposits - 1 - i;
            rows.add(String.format(Locale.ROOT, "\"%s\":{\"refid\":\"Q%s-%04d\",\"time\":%d.25,\"type\":\"deposit\","
                    + "\"subtype\":\"\",\"aclass\":\"currency\",\"asset\":\"ZUSD\",\"amount\":\"%d.0000\","
                    + "\"fee\":\"0.0000\",\"balance\":\"%d.0000\"}", ledgerId(n), idPrefix, n,
                    FIRST_TRADE - 86_400L + n * 60L, 100 + n, 100 * (n + 1)));
        }
        return "{\"error\":[],\"result\":{\"ledger\":{" + String.join(",", rows) + "},\"count\":" + deposits + "}}";
    }

    private static Map<String, String> form(RecordedRequest request) {
        Map<String, String> out = new HashMap<>();
        if (request.getBody() == null) {
            return out;
        }
        for (String pair : request.getBody().utf8().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
    }

    @Override
    public void close() {
        release();
        server.close();
    }
}
