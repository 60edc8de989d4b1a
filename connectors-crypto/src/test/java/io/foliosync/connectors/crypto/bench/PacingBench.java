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
 * windows of each history endpoint. OKX: each endpoint its own limit per key (fills history 10 per 2 s), HTTP 429
 * {@code {"code":"50011"}} over it; N fills pages of 100. Coinbase: Advanced Trade private calls 30 a second per
 * user, HTTP 429 over it; N fills pages. HTX: signed calls 100 per 10 s per key, its {@code status: error} envelope
 * ({@code too-many-request}) over it; N full match-result pages of 500. Binance: request weight 6,000 per clock
 * minute per IP, HTTP 429 with {@code Retry-After} over it and {@code X-MBX-USED-WEIGHT-1M} on every answer; 100
 * markets' trades over 7 days (700 calls of weight 20), time sped up ×10. Answers are shaped as the module's test
 * recordings.
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

    // ---------------------------------------------------------------- the other exchanges

    /**
     * "At most {@code max} in any {@code window}", per key and bucket, as OKX, Coinbase and HTX document theirs; the
     * stand-in counts a call when it arrives and refuses what is over, without counting it.
     */
    static final class Windows {
        final Map<String, ArrayDeque<Long>> logs = new HashMap<>();

        synchronized boolean charge(String key, int max, long windowNanos) {
            ArrayDeque<Long> log = logs.computeIfAbsent(key, k -> new ArrayDeque<>());
            long now = System.nanoTime();
            while (!log.isEmpty() && log.peekFirst() + windowNanos <= now) {
                log.pollFirst();
            }
            if (log.size() >= max) {
                return false;
            }
            log.addLast(now);
            return true;
        }
    }

    /** A stand-in: counts calls and refusals; {@link #answer} enforces the limit and serves the history. */
    abstract static class StandIn extends Dispatcher {
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        final Windows windows = new Windows();
        final double speed;

        StandIn(double speed) {
            this.speed = speed;
        }

        long nanos(Duration d) {
            return (long) (d.toNanos() / speed);
        }

        abstract MockResponse answer(RecordedRequest r, String path);

        @Override
        public MockResponse dispatch(RecordedRequest r) {
            calls.incrementAndGet();
            return answer(r, r.getUrl().encodedPath());
        }

        MockResponse refuse(int code, String body) {
            refused.incrementAndGet();
            return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body)
                    .build();
        }
    }

    /** A recorded answer from connectors-crypto's test resources (JKorf's .txt: the body after 3 lines). */
    static String resource(String name) {
        try (java.io.InputStream in = PacingBench.class.getResourceAsStream("/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return name.endsWith(".txt") ? text.split("\\R", 4)[3] : text;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs {@code accounts} syncs against {@code standIn}, each with its own key. */
    static double serve(StandIn standIn, int accounts, Function<Integer, ExchangeSettings> settings,
                        Function<ExchangeSettings, PacingModel> pacing, TransactionQuery q) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.setServerSocketFactory(new NoDelay());
            server.setDispatcher(standIn);
            server.start();
            String base = server.url("/").toString().replaceAll("/$", "");
            RateLimiterRegistry registry = RateLimiterRegistry.isolated();
            return parallel(accounts, i -> run(settings.apply(i).withBaseUrl(base), registry, pacing, q));
        }
    }

    /** At most {@code max} calls in any window: call i can go at ⌊i / max⌋ windows at the earliest. */
    static double windowFloor(int calls, int max, Duration window, double speed) {
        return calls == 0 ? 0 : Math.floorDiv(calls - 1, max) * window.toNanos() / 1e9 / speed;
    }

    // OKX: each endpoint its own limit per user id; over it HTTP 429 with code 50011.

    static final class OkxStandIn extends StandIn {
        static final String EMPTY = "{\"code\":\"0\",\"msg\":\"\",\"data\":[]}";
        final int fills;
        final AtomicInteger fillCalls = new AtomicInteger();
        final String balance = resource("okx/account-balance-own.json");
        final String assets = resource("okx/v5-asset-balances.txt");

        OkxStandIn(double speed, int pages) {
            super(speed);
            this.fills = pages * 100 - 50;   // the last page half full: N calls
        }

        @Override
        MockResponse answer(RecordedRequest r, String path) {
            String key = r.getHeaders().get("OK-ACCESS-KEY");
            boolean ok = switch (path) {
                case "/api/v5/trade/fills-history", "/api/v5/account/balance" ->
                        windows.charge(key + path, 10, nanos(Duration.ofSeconds(2)));
                case "/api/v5/public/time" -> windows.charge("ip" + path, 10, nanos(Duration.ofSeconds(2)));
                default -> windows.charge(key + path, 6, nanos(Duration.ofSeconds(1)));
            };
            if (!ok) {
                return refuse(429, "{\"code\":\"50011\",\"msg\":\"Rate limit reached. Please try again later.\","
                        + "\"data\":[]}");
            }
            return json(switch (path) {
                case "/api/v5/account/balance" -> balance;
                case "/api/v5/asset/balances" -> assets;
                case "/api/v5/public/time" -> "{\"code\":\"0\",\"msg\":\"\",\"data\":[{\"ts\":\""
                        + System.currentTimeMillis() + "\"}]}";
                case "/api/v5/trade/fills-history" -> {
                    fillCalls.incrementAndGet();
                    yield fillsPage(r.getUrl().queryParameter("after"), fills);
                }
                default -> EMPTY;
            });
        }

        /** 100 fills a page, newest first, paged by {@code after} = the last bill id (OkxConnectorTest's shape). */
        static String fillsPage(String after, int total) {
            long top = 1_000_000L + total - 1;
            long start = after == null ? top : Long.parseLong(after) - 1;
            StringBuilder sb = new StringBuilder("{\"code\":\"0\",\"msg\":\"\",\"data\":[");
            int n = 0;
            for (long bill = start; bill >= 1_000_000L && n < 100; bill--, n++) {
                sb.append(n > 0 ? "," : "").append("{\"side\":\"buy\",\"fillSz\":\"0.01\",\"fillPx\":\"50000\","
                        + "\"fee\":\"-0.00001\",\"feeCcy\":\"BTC\",\"instId\":\"BTC-USDT\",\"instType\":\"SPOT\","
                        + "\"billId\":\"").append(bill).append("\",\"tradeId\":\"").append(bill + 5)
                        .append("\",\"ordId\":\"o").append(bill).append("\",\"fillTime\":\"")
                        .append(1_708_000_000_000L + bill).append("\",\"ts\":\"").append(1_708_000_000_000L + bill)
                        .append("\"}");
            }
            return sb.append("]}").toString();
        }
    }

    static Result okx(String name, double speed, int pages, int accounts) throws Exception {
        OkxStandIn standIn = new OkxStandIn(speed, pages);
        double wall = serve(standIn, accounts, i -> ExchangeSettings.of(SupportedExchange.OKX, "okx-key-" + i,
                "secret", Optional.of("pass")).withAccountId("okx_" + i).withQuoteCurrency("USD"),
                s -> ExchangePacing.okx().speedUp(speed), TransactionQuery.all());
        // Fills history binds (10 per 2 s); every other endpoint is called a few times, under its own limit.
        double floor = windowFloor(standIn.fillCalls.get() / accounts, 10, Duration.ofSeconds(2), speed);
        return new Result(name, standIn.calls.get(), floor, wall, standIn.refused.get());
    }

    // Coinbase: Advanced Trade private endpoints 30 a second per user, HTTP 429 over it.

    static final class CoinbaseStandIn extends StandIn {
        static final String EMPTY_V2 = "{\"pagination\":{\"next_uri\":null},\"data\":[]}";
        final int pages;
        final AtomicInteger privateCalls = new AtomicInteger();
        final String accounts1 = resource("coinbase/brokerage-accounts-page1-own.json");
        final String accounts2 = resource("coinbase/brokerage-accounts-page2-own.json");
        final String products = resource("coinbase/market-products-own.json");
        final String fills = resource("coinbase/fills-page1-own.json");

        CoinbaseStandIn(double speed, int pages) {
            super(speed);
            this.pages = pages;
        }

        @Override
        MockResponse answer(RecordedRequest r, String path) {
            boolean pub = path.startsWith("/api/v3/brokerage/market/") || path.equals("/api/v3/brokerage/time");
            // One user per run: the JWT changes on every call, so the stand-in counts per run, not per token.
            boolean ok = pub ? windows.charge("ip", 10, nanos(Duration.ofSeconds(1)))
                    : path.startsWith("/api/v3/") ? windows.charge("user-v3", 30, nanos(Duration.ofSeconds(1)))
                    : windows.charge("user-v2", 10_000, nanos(Duration.ofHours(1)));
            if (!ok) {
                return refuse(429, "{\"error\":\"RATE_LIMIT_EXCEEDED\",\"message\":\"Too many requests\"}");
            }
            if (!pub && path.startsWith("/api/v3/")) {
                privateCalls.incrementAndGet();
            }
            String cursor = r.getUrl().queryParameter("cursor");
            return json(switch (path) {
                case "/api/v3/brokerage/accounts" -> cursor == null ? accounts1 : accounts2;
                case "/api/v3/brokerage/market/products" -> products;
                case "/api/v3/brokerage/time" -> "{\"iso\":\"" + Instant.now() + "\",\"epochSeconds\":\""
                        + Instant.now().getEpochSecond() + "\",\"epochMillis\":\"" + System.currentTimeMillis()
                        + "\"}";
                case "/api/v3/brokerage/orders/historical/fills" -> {
                    // The recorded page, its cursor leading to the next of N pages; the last has none.
                    int page = cursor == null ? 1 : Integer.parseInt(cursor.substring(1)) + 1;
                    yield fills.replace("\"cursor\": \"f2-own\"", page < pages
                            ? "\"cursor\": \"p" + page + "\"" : "\"cursor\": \"\"");
                }
                default -> EMPTY_V2;
            });
        }
    }

    static Result coinbase(String name, double speed, int pages, int accounts) throws Exception {
        CoinbaseStandIn standIn = new CoinbaseStandIn(speed, pages);
        String pem;
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                g.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        double wall = serve(standIn, accounts, i -> ExchangeSettings.of(SupportedExchange.COINBASE,
                "organizations/bench/apiKeys/key-" + i, pem, Optional.empty()).withAccountId("coinbase_" + i),
                s -> ExchangePacing.coinbase().speedUp(speed), TransactionQuery.all());
        double floor = windowFloor(standIn.privateCalls.get(), 30, Duration.ofSeconds(1), speed);
        return new Result(name, standIn.calls.get(), floor, wall, standIn.refused.get());
    }

    // HTX: signed calls 100 per 10 s per API key; over it HTX's error envelope.

    static final class HtxStandIn extends StandIn {
        final int pages;
        final AtomicInteger fullPages = new AtomicInteger();
        final AtomicInteger privateCalls = new AtomicInteger();
        final String accounts = resource("htx/accounts-own.json");
        final String spot = resource("htx/balance-spot-own.json");
        final String point = resource("htx/balance-point-own.json");
        final String symbols = resource("htx/symbols-own.json");

        HtxStandIn(double speed, int pages) {
            super(speed);
            this.pages = pages;
        }

        @Override
        MockResponse answer(RecordedRequest r, String path) {
            boolean pub = path.startsWith("/market/") || path.startsWith("/v1/common/")
                    || path.startsWith("/v2/reference/");
            if (!pub) {
                if (!windows.charge(r.getUrl().queryParameter("AccessKeyId"), 100, nanos(Duration.ofSeconds(10)))) {
                    return refuse(200, "{\"status\":\"error\",\"err-code\":\"too-many-request\",\"err-msg\":"
                            + "\"Too many requests, please try again later\",\"data\":null}");
                }
                privateCalls.incrementAndGet();
            }
            return json(switch (path) {
                case "/v1/account/accounts" -> accounts;
                case "/v1/account/accounts/10000001/balance" -> spot;
                case "/v1/account/accounts/10000002/balance" -> point;
                case "/v1/common/symbols" -> symbols;
                case "/v1/common/timestamp" -> "{\"status\":\"ok\",\"data\":" + System.currentTimeMillis() + "}";
                case "/v1/order/matchresults" -> {
                    // N full pages of 500 in the newest window read first, each ending where the last began.
                    long end = Long.parseLong(r.getUrl().queryParameter("end-time"));
                    yield fullPages.getAndIncrement() < pages ? matches(end - 1, 500, end)
                            : "{\"status\":\"ok\",\"data\":[]}";
                }
                default -> "{\"status\":\"ok\",\"data\":[]}";
            });
        }

        /** HtxConnectorTest's shape: {@code count} match results, newest first. */
        static String matches(long newest, int count, long firstId) {
            StringBuilder sb = new StringBuilder("{\"status\":\"ok\",\"data\":[");
            for (int i = 0; i < count; i++) {
                sb.append(i > 0 ? "," : "").append("{\"id\":").append(firstId + i).append(",\"symbol\":\"ethusdt\","
                        + "\"type\":\"buy-market\",\"price\":\"2500\",\"filled-amount\":\"0.01\",\"filled-fees\":"
                        + "\"0.00002\",\"fee-currency\":\"eth\",\"created-at\":").append(newest - i).append('}');
            }
            return sb.append("]}").toString();
        }
    }

    static Result htx(String name, double speed, int pages, int accounts) throws Exception {
        HtxStandIn standIn = new HtxStandIn(speed, pages);
        // The last 30 days: 15 windows of 48 h, N full pages in the one read first.
        TransactionQuery q = TransactionQuery.since(Instant.now().minus(Duration.ofDays(30)));
        double wall = serve(standIn, accounts, i -> ExchangeSettings.of(SupportedExchange.HTX, "htx-key-" + i,
                "secret", Optional.empty()).withAccountId("htx_" + i).withQuoteCurrency("USDT"),
                s -> ExchangePacing.htx().speedUp(speed), q);
        double floor = windowFloor(standIn.privateCalls.get() / accounts, 100, Duration.ofSeconds(10), speed);
        return new Result(name, standIn.calls.get(), floor, wall, standIn.refused.get());
    }

    // Binance: request weight per IP per clock minute; 429 with Retry-After over it; X-MBX-USED-WEIGHT-1M.

    static final class BinanceStandIn extends StandIn {
        final long windowMillis;
        final int markets;
        final Map<Long, Integer> used = new HashMap<>();
        long startMillis;
        int weight;

        BinanceStandIn(double speed, int markets) {
            super(speed);
            this.windowMillis = Math.round(60_000 / speed);
            this.markets = markets;
        }

        static int weight(String path) {
            return switch (path) {
                case "/api/v3/account", "/api/v3/myTrades", "/api/v3/exchangeInfo" -> 20;
                case "/api/v3/ticker/price" -> 4;
                default -> path.startsWith("/api/v3/") ? 1 : 0;   // /sapi counts other budgets, not binding here
            };
        }

        @Override
        MockResponse answer(RecordedRequest r, String path) {
            int w = weight(path);
            long index;
            int now;
            synchronized (this) {
                long wall = System.currentTimeMillis();
                index = Math.floorDiv(wall, windowMillis);
                now = used.getOrDefault(index, 0);
                if (now + w > 6000) {
                    long retry = (index + 1) * windowMillis - wall;
                    refused.incrementAndGet();
                    return new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                            .addHeader("Retry-After", Long.toString(Math.max(1, (retry + 999) / 1000)))
                            .addHeader("X-MBX-USED-WEIGHT-1M", Integer.toString(now))
                            .body("{\"code\":-1003,\"msg\":\"Too much request weight used; current limit is 6000 "
                                    + "request weight per 1 MINUTE.\"}").build();
                }
                now += w;
                used.put(index, now);
                weight += w;
            }
            String body = switch (path) {
                case "/api/v3/account" -> {
                    StringBuilder b = new StringBuilder("{\"canTrade\":true,\"balances\":[");
                    for (int i = 0; i < markets; i++) {
                        b.append(i > 0 ? "," : "").append("{\"asset\":\"A").append(100 + i)
                                .append("\",\"free\":\"1\",\"locked\":\"0\"}");
                    }
                    yield b.append("]}").toString();
                }
                case "/api/v3/exchangeInfo" -> {
                    StringBuilder b = new StringBuilder("{\"symbols\":[");
                    for (int i = 0; i < markets; i++) {
                        b.append(i > 0 ? "," : "").append("{\"symbol\":\"A").append(100 + i).append("USDT\","
                                + "\"status\":\"TRADING\",\"baseAsset\":\"A").append(100 + i)
                                .append("\",\"quoteAsset\":\"USDT\"}");
                    }
                    yield b.append("]}").toString();
                }
                case "/api/v3/time" -> "{\"serverTime\":" + System.currentTimeMillis() + "}";
                case "/sapi/v1/asset/assetDividend" -> "{\"rows\":[],\"total\":0}";
                case "/sapi/v1/asset/dribblet" -> "{\"total\":0,\"userAssetDribblets\":[]}";
                default -> "[]";
            };
            return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .addHeader("X-MBX-USED-WEIGHT-1M", Integer.toString(now)).body(body).build();
        }

        /** The fastest the weight allows: the calls of the last window cannot start before it opens. */
        double floor() {
            int windows = (weight + 5999) / 6000;
            long firstWindow = Math.floorDiv(startMillis, windowMillis);
            return windows <= 1 ? 0 : ((firstWindow + windows - 1) * windowMillis - startMillis) / 1e3;
        }
    }

    static Result binance(String name, double speed, int markets) throws Exception {
        BinanceStandIn standIn = new BinanceStandIn(speed, markets);
        standIn.startMillis = System.currentTimeMillis();
        // The last 7 days: myTrades in 24-hour windows, 7 calls of weight 20 per market.
        TransactionQuery q = TransactionQuery.since(Instant.now().minus(Duration.ofDays(7)).plusSeconds(60));
        double wall = serve(standIn, 1, i -> ExchangeSettings.of(SupportedExchange.BINANCE, "bn-key-" + i,
                "secret", Optional.empty()).withAccountId("binance_" + i).withQuoteCurrency("USDT"),
                s -> ExchangePacing.binance().speedUp(speed), q);
        return new Result(name, standIn.calls.get(), standIn.floor(), wall, standIn.refused.get());
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

    /**
     * @param args {@code quick} skips the N = 200 Kraken runs; exchange names ({@code kraken okx ...}) run only
     *             those
     */
    public static void main(String[] args) throws Exception {
        List<String> only = new ArrayList<>(List.of(args));
        boolean quick = only.remove("quick");
        java.util.function.Predicate<String> runs = e -> only.isEmpty() || only.contains(e);
        // Warm-up: class loading and JIT, against limits too wide to bind.
        kraken("warm-up", KrakenTier.PRO, 1000, 20, 1);
        gate("warm-up", 1000, Optional.of(5), 1);
        okx("warm-up", 1000, 5, 1);
        coinbase("warm-up", 1000, 5, 1);
        htx("warm-up", 1000, 5, 1);
        binance("warm-up", 1000, 3);
        ROWS.clear();
        System.out.printf("%-46s %6s %9s %9s  %-24s %7s%n", "run", "calls", "floor s", "wall s", "wall/floor",
                "refused");
        // Each floor: the larger of what the documented limit allows and what the same calls take with the limit
        // out of the way (time x10,000: round trips only).
        if (runs.test("kraken")) {
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
        }
        if (runs.test("gateio")) {
            gate("gateio full lookback (2013-), ~170 windows", 1, Optional.empty(), 1)
                    .atLeast(gate("", 1e4, Optional.empty(), 1).wall()).print();
            Result gate1 = gate("gateio N=450 windows (time x10)", 10, Optional.of(450), 1)
                    .atLeast(gate("", 1e4, Optional.of(450), 1).wall());
            gate1.print();
            Result gate2 = gate("gateio N=450 windows (time x10), two accounts", 10, Optional.of(450), 2)
                    .atLeast(gate("", 1e4, Optional.of(450), 2).wall());
            gate2.print();
            System.out.printf("gateio two accounts / one account: %.3f%n", gate2.wall() / gate1.wall());
        }
        if (runs.test("okx")) {
            okx("okx N=60 fills pages", 1, 60, 1).atLeast(okx("", 1e4, 60, 1).wall()).print();
        }
        if (runs.test("coinbase")) {
            coinbase("coinbase N=300 fills pages", 1, 300, 1).atLeast(coinbase("", 1e4, 300, 1).wall()).print();
        }
        if (runs.test("htx")) {
            htx("htx N=200 match-result pages", 1, 200, 1).atLeast(htx("", 1e4, 200, 1).wall()).print();
        }
        if (runs.test("binance")) {
            // 100 markets x 7 daily windows x weight 20 = 14,000 weight: three clock minutes, sped up x10.
            binance("binance 100 markets x 7 days (time x10)", 10, 100)
                    .atLeast(binance("", 1e4, 100).wall()).print();
        }
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
