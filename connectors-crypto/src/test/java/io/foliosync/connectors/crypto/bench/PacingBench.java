package io.foliosync.connectors.crypto.bench;

import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.crypto.CryptoExchangeConnector;
import io.foliosync.connectors.crypto.ExchangeSettings;
import io.foliosync.connectors.crypto.SupportedExchange;
import io.foliosync.connectors.crypto.pacing.ExchangePacing;
import io.foliosync.connectors.crypto.pacing.KrakenTier;
import io.foliosync.connectors.crypto.pacing.PacingModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Wall time of a sync against loopback stand-ins that enforce each exchange's documented limit and refuse calls
 * over it as the exchange does, next to the floor that limit allows for the same calls. Not a test: run with
 * {@code java -cp <test classpath> io.foliosync.connectors.crypto.bench.PacingBench} (see
 * {@code docs/performance/connectors-crypto.md}).
 *
 * <p>Kraken: a counter per API key (Starter 15 / 0.33 s⁻¹, Pro 20 / 1 s⁻¹; Ledgers and TradesHistory cost 2,
 * Balance 1), {@code EAPI:Rate limit exceeded} over it. A history of N Ledgers pages. N = 200 runs with time
 * sped up (stand-in and pacer alike, ×40 Starter, ×20 Pro) so that it takes seconds, not 20 minutes.
 * Gate.io: 200 requests per 10 s per endpoint per key, HTTP 429 {@code TOO_MANY_REQUESTS} over it; N 30-day
 * windows of each history endpoint.
 */
public final class PacingBench {
    static final String SECRET = Base64.getEncoder().encodeToString("bench".getBytes(StandardCharsets.UTF_8));
    static final List<String> ROWS = new ArrayList<>();

    record Result(String name, int calls, double floor, double wall, int refused) {
        /** @return this result with the floor raised to what the calls' own round trips take (no limit) */
        Result atLeast(double latencyOnly) {
            return new Result(name, calls, Math.max(floor, latencyOnly), wall, refused);
        }

        void print() {
            String ratio = floor < 0.5 ? "n/a (limit never binds)" : String.format("%.3f", wall / floor);
            System.out.printf("%-46s %6d %9.2f %9.2f  %-24s %7d%n", name, calls, floor, wall, ratio, refused);
            ROWS.add(String.format("| %s | %d | %.2f | %.2f | %s | %d |", name, calls, floor, wall, ratio, refused));
        }
    }

    // ---------------------------------------------------------------- Kraken

    /** Kraken's counter, per API key, as documented; time runs {@code speed} times faster. */
    static final class KrakenStandIn extends Dispatcher {
        final double max;
        final double perSecond;
        final int pages;
        final Map<String, double[]> counters = new HashMap<>();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        final String page;

        KrakenStandIn(KrakenTier tier, double speed, int pages) {
            this.max = tier.max();
            this.perSecond = tier.decayPerSecond() * speed;
            this.pages = pages;
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                b.append(i == 0 ? "" : ",").append("\"L").append(i).append("\":{\"refid\":\"R").append(i)
                        .append("\",\"time\":1700000000.5,\"type\":\"staking\",\"subtype\":\"\",\"aclass\":"
                                + "\"currency\",\"asset\":\"XXBT\",\"amount\":\"0.0001\",\"fee\":\"0\","
                                + "\"balance\":\"1\"}");
            }
            page = b.toString();
        }

        synchronized boolean charge(String key, double cost) {
            double[] c = counters.computeIfAbsent(key, k -> new double[] {0, System.nanoTime()});
            long now = System.nanoTime();
            c[0] = Math.max(0, c[0] - (now - c[1]) / 1e9 * perSecond);
            c[1] = now;
            if (c[0] + cost > max + 1e-9) {
                return false;
            }
            c[0] += cost;
            return true;
        }

        @Override
        public MockResponse dispatch(RecordedRequest r) {
            String path = r.getUrl().encodedPath();
            calls.incrementAndGet();
            double cost = path.equals("/0/private/Ledgers") || path.equals("/0/private/TradesHistory") ? 2 : 1;
            if (path.startsWith("/0/private/") && !charge(r.getHeaders().get("API-Key"), cost)) {
                refused.incrementAndGet();
                return json("{\"error\":[\"EAPI:Rate limit exceeded\"]}");
            }
            String body = switch (path) {
                case "/0/private/Balance" -> "{\"error\":[],\"result\":{\"ZUSD\":\"10.0\"}}";
                case "/0/private/TradesHistory" -> "{\"error\":[],\"result\":{\"trades\":{},\"count\":0}}";
                case "/0/private/Ledgers" -> "{\"error\":[],\"result\":{\"ledger\":{" + page + "},\"count\":"
                        + pages * 50 + "}}";
                default -> "{\"error\":[\"EGeneral:Unknown method\"]}";
            };
            return json(body);
        }
    }

    static Result kraken(String name, KrakenTier tier, double speed, int pages, int accounts) throws Exception {
        KrakenStandIn standIn = new KrakenStandIn(tier, speed, pages);
        try (MockWebServer server = new MockWebServer()) {
            server.setServerSocketFactory(new NoDelay());
            server.setDispatcher(standIn);
            server.start();
            String base = server.url("/").toString().replaceAll("/$", "");
            RateLimiterRegistry registry = RateLimiterRegistry.isolated();
            Function<Integer, ExchangeSettings> settings = i -> ExchangeSettings.of(SupportedExchange.KRAKEN,
                    "bench-key-" + i, SECRET, Optional.empty()).withBaseUrl(base).withTier(tier)
                    .withAccountId("kraken_" + i);
            double wall = parallel(accounts, i -> run(settings.apply(i), registry,
                    s -> ExchangePacing.kraken(tier).speedUp(speed), TransactionQuery.all()));
            // Units per account: Balance 1 + TradesHistory 2 + 2 per Ledgers page; the counter starts at 0.
            double units = 1 + 2 + 2.0 * pages;
            double floor = Math.max(0, units - tier.max()) / (tier.decayPerSecond() * speed);
            return new Result(name, standIn.calls.get(), floor, wall, standIn.refused.get());
        }
    }

    // ---------------------------------------------------------------- Gate.io

    /** Gate.io: 200 requests per 10 s per endpoint per key (sliding), HTTP 429 over it. */
    static final class GateStandIn extends Dispatcher {
        final long window;
        final Map<String, ArrayDeque<Long>> logs = new HashMap<>();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();

        GateStandIn(double speed) {
            this.window = (long) (10e9 / speed);
        }

        synchronized boolean charge(String key) {
            ArrayDeque<Long> log = logs.computeIfAbsent(key, k -> new ArrayDeque<>());
            long now = System.nanoTime();
            while (!log.isEmpty() && log.peekFirst() + window <= now) {
                log.pollFirst();
            }
            if (log.size() >= 200) {
                return false;
            }
            log.addLast(now);
            return true;
        }

        @Override
        public MockResponse dispatch(RecordedRequest r) {
            String path = r.getUrl().encodedPath();
            calls.incrementAndGet();
            String key = (r.getHeaders().get("KEY") == null ? "ip" : r.getHeaders().get("KEY")) + path;
            if (!charge(key)) {
                refused.incrementAndGet();
                return new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                        .body("{\"label\":\"TOO_MANY_REQUESTS\",\"message\":\"Request Rate Limit Exceeded\"}")
                        .build();
            }
            return json("[]");
        }
    }

    static Result gate(String name, double speed, Optional<Integer> windows, int accounts) throws Exception {
        GateStandIn standIn = new GateStandIn(speed);
        try (MockWebServer server = new MockWebServer()) {
            server.setServerSocketFactory(new NoDelay());
            server.setDispatcher(standIn);
            server.start();
            String base = server.url("/").toString().replaceAll("/$", "");
            RateLimiterRegistry registry = RateLimiterRegistry.isolated();
            Instant now = Instant.now();
            TransactionQuery q = windows.map(n -> TransactionQuery.since(now.minus(Duration.ofDays(30L * n))
                    .plusSeconds(60))).orElse(TransactionQuery.all());
            double wall = parallel(accounts, i -> run(ExchangeSettings.of(SupportedExchange.GATEIO,
                    "gate-key-" + i, "secret", Optional.empty()).withBaseUrl(base).withAccountId("gateio_" + i)
                    .withFundingOverlap(Duration.ZERO), registry, s -> ExchangePacing.gateio().speedUp(speed), q));
            // Per account, each of the 3 history endpoints is read window by window, one after the other: each
            // endpoint's own 200 per 10 s binds only past 200 calls.
            int perEndpoint = (standIn.calls.get() / accounts - 1) / 3;
            double floor = 3 * Math.floor((perEndpoint - 1) / 200.0) * 10 / speed;
            return new Result(name, standIn.calls.get(), floor, wall, standIn.refused.get());
        }
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * Accepted sockets with TCP_NODELAY: MockWebServer writes a response's head and body separately, and with
     * Nagle's algorithm against the client's delayed ACK every GET on loopback took 40 ms more (measured: 47 ms
     * per GET with a bare OkHttp loop, 2-4 ms with this).
     */
    static final class NoDelay extends javax.net.ServerSocketFactory {
        @Override
        public java.net.ServerSocket createServerSocket() throws IOException {
            return new java.net.ServerSocket() {
                @Override
                public java.net.Socket accept() throws IOException {
                    java.net.Socket socket = super.accept();
                    socket.setTcpNoDelay(true);
                    return socket;
                }
            };
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port) throws IOException {
            java.net.ServerSocket s = createServerSocket();
            s.bind(new java.net.InetSocketAddress(port));
            return s;
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return createServerSocket(port);
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port, int backlog, java.net.InetAddress a)
                throws IOException {
            java.net.ServerSocket s = createServerSocket();
            s.bind(new java.net.InetSocketAddress(a, port), backlog);
            return s;
        }
    }

    interface Sync {
        void run(int account) throws Exception;
    }

    static double parallel(int accounts, Sync sync) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(accounts);
        try {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 1; i <= accounts; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    sync.run(n);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    static void run(ExchangeSettings s, RateLimiterRegistry registry, Function<ExchangeSettings, PacingModel> pacing,
                    TransactionQuery q) {
        try (CryptoExchangeConnector c = CryptoExchangeConnector.builder().exchange(s).rateLimiters(registry)
                .pacing(pacing).build()) {
            if (!c.authenticate().success()) {
                throw new IllegalStateException("authenticate failed: " + c.authenticationReport());
            }
            c.getTransactions(q).toList();
        }
    }

    static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("quick");
        // Warm-up: class loading and JIT, against limits too wide to bind.
        kraken("warm-up", KrakenTier.PRO, 1000, 20, 1);
        gate("warm-up", 1000, Optional.of(5), 1);
        ROWS.clear();
        System.out.printf("%-46s %6s %9s %9s  %-24s %7s%n", "run", "calls", "floor s", "wall s", "wall/floor",
                "refused");
        // Each floor: the larger of what the documented limit allows and what the same calls take with the limit
        // out of the way (time x10,000: round trips only).
        Result starter10 = kraken("kraken Starter, N=10", KrakenTier.STARTER, 1, 10, 1)
                .atLeast(kraken("", KrakenTier.STARTER, 1e4, 10, 1).wall());
        starter10.print();
        kraken("kraken Pro, N=10", KrakenTier.PRO, 1, 10, 1)
                .atLeast(kraken("", KrakenTier.PRO, 1e4, 10, 1).wall()).print();
        if (!quick) {
            kraken("kraken Starter, N=200 (time x40)", KrakenTier.STARTER, 40, 200, 1)
                    .atLeast(kraken("", KrakenTier.STARTER, 1e4, 200, 1).wall()).print();
            kraken("kraken Pro, N=200 (time x20)", KrakenTier.PRO, 20, 200, 1)
                    .atLeast(kraken("", KrakenTier.PRO, 1e4, 200, 1).wall()).print();
        }
        Result two = kraken("kraken Starter, N=10, two accounts (2 keys)", KrakenTier.STARTER, 1, 10, 2)
                .atLeast(kraken("", KrakenTier.STARTER, 1e4, 10, 2).wall());
        two.print();
        System.out.printf("kraken two accounts / one account: %.3f%n", two.wall() / starter10.wall());
        gate("gateio full lookback (2013-), ~170 windows", 1, Optional.empty(), 1)
                .atLeast(gate("", 1e4, Optional.empty(), 1).wall()).print();
        gate("gateio N=10 windows", 1, Optional.of(10), 1)
                .atLeast(gate("", 1e4, Optional.of(10), 1).wall()).print();
        Result gate1 = gate("gateio N=450 windows (time x10)", 10, Optional.of(450), 1)
                .atLeast(gate("", 1e4, Optional.of(450), 1).wall());
        gate1.print();
        Result gate2 = gate("gateio N=450 windows (time x10), two accounts", 10, Optional.of(450), 2)
                .atLeast(gate("", 1e4, Optional.of(450), 2).wall());
        gate2.print();
        System.out.printf("gateio two accounts / one account: %.3f%n", gate2.wall() / gate1.wall());
        System.out.println();
        ROWS.forEach(System.out::println);
    }

    private PacingBench() {
    }

    static {
        // Keep the stand-ins' and connectors' logs quiet.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    static void unused(IOException e) {
    }
}
