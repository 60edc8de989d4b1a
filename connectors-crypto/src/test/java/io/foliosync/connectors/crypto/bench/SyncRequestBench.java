package io.foliosync.connectors.crypto.bench;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.crypto.CryptoExchangeConnector;
import io.foliosync.connectors.crypto.ExchangeSettings;
import io.foliosync.connectors.crypto.SupportedExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Counts the requests a full and an incremental sync cost against a loopback Kraken with 500 listed markets and
 * an account that traded 1,000 times in 3 of them, next to the seed's approach (one trades call for each of the
 * first 50 listed markets). Not a test: run with
 * {@code ./mvnw -q -pl connectors-crypto exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.foliosync.connectors.crypto.bench.SyncRequestBench}.
 */
public final class SyncRequestBench {
    static final int MARKETS = 500;
    static final int TRADES = 1_000;
    static final int[] TRADED = {7, 120, 480};
    static final long FIRST_TRADE = 1_690_000_000L;

    record FakeTrade(String id, String pair, long time) {
    }

    public static void main(String[] args) throws IOException {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < MARKETS; i++) {
            pairs.add(String.format("C%03dZUSD", i));
        }
        List<FakeTrade> trades = new ArrayList<>();
        for (int i = 0; i < TRADES; i++) {
            trades.add(new FakeTrade(String.format("T%05d-BENCH-TRADE", i), pairs.get(TRADED[i % 3]),
                    FIRST_TRADE + i * 600L));
        }
        trades.sort(Comparator.comparingLong(FakeTrade::time).reversed());
        Map<String, AtomicInteger> counts = new LinkedHashMap<>();

        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest r) {
                    String path = r.getUrl().encodedPath();
                    counts.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
                    Map<String, String> form = form(r);
                    String body = switch (path) {
                        case "/0/private/Balance" -> "{\"error\":[],\"result\":{\"ZUSD\":\"10.0\"}}";
                        case "/0/public/AssetPairs" -> assetPairs(pairs);
                        case "/0/private/TradesHistory" -> tradesPage(trades, form);
                        case "/0/private/Ledgers" -> "{\"error\":[],\"result\":{\"ledger\":{},\"count\":0}}";
                        case "/seed/myTrades" -> seedTrades(trades, r.getUrl().queryParameter("symbol"));
                        default -> "{\"error\":[\"EGeneral:Unknown method\"]}";
                    };
                    return new MockResponse.Builder().code(200).body(body).build();
                }
            });
            server.start();
            String base = server.url("/").toString().replaceAll("/$", "");

            CryptoExchangeConnector connector = CryptoExchangeConnector.builder()
                    .exchange(ExchangeSettings.of(SupportedExchange.KRAKEN, "bench-key",
                                    Base64.getEncoder().encodeToString("bench".getBytes(StandardCharsets.UTF_8)),
                                    Optional.empty()).withBaseUrl(base)
                            .withRateLimit(new RateLimit(100_000, Duration.ofSeconds(1))))
                    .rateLimiters(RateLimiterRegistry.isolated())
                    .build();
            connector.authenticate();
            int afterAuth = total(counts);

            List<Transaction> full = connector.getTransactions(TransactionQuery.all()).toList();
            int fullRequests = total(counts) - afterAuth;
            int pages = (TRADES + 49) / 50;
            Instant cursor = full.stream().map(Transaction::date).max(Comparator.naturalOrder()).orElseThrow()
                    .plusMillis(1);

            int beforeResync = total(counts);
            List<Transaction> resync = connector.getTransactions(TransactionQuery.since(cursor)).toList();
            int resyncRequests = total(counts) - beforeResync;
            connector.close();

            // The seed: one trades call per listed market, first 50 only.
            OkHttpClient http = new OkHttpClient();
            int beforeSeed = total(counts);
            int seedFound = 0;
            for (int i = 0; i < 50; i++) {
                try (Response response = http.newCall(new Request.Builder()
                        .url(base + "/seed/myTrades?symbol=" + pairs.get(i)).build()).execute()) {
                    String text = response.body().string();
                    seedFound += text.isEmpty() ? 0 : text.split(",").length;
                }
            }
            int seedRequests = total(counts) - beforeSeed;

            System.out.printf("markets listed: %d, traded in: %d, trades: %d%n", MARKETS, TRADED.length, TRADES);
            System.out.printf("%-34s %9s %14s%n", "approach", "requests", "trades found");
            System.out.printf("%-34s %9d %14d%n", "seed: per market, first 50", seedRequests, seedFound);
            System.out.printf("%-34s %9d %14d%n", "FolioSync full sync", fullRequests, full.size());
            System.out.printf("%-34s %9d %14d%n", "FolioSync incremental re-sync", resyncRequests, resync.size());
            System.out.printf("authenticate(): %d request(s)%n", afterAuth);
            System.out.printf("full sync: %d requests = %d TradesHistory pages + %d (AssetPairs once, Ledgers)%n",
                    fullRequests, pages, fullRequests - pages);
            System.out.printf("requests vs seed: full %.2fx, re-sync %.2fx; trades missed by the seed: %d of %d%n",
                    (double) fullRequests / seedRequests, (double) resyncRequests / seedRequests,
                    TRADES - seedFound, TRADES);
            System.out.println("requests by path: " + counts);
        }
    }

    static int total(Map<String, AtomicInteger> counts) {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    static Map<String, String> form(RecordedRequest r) {
        Map<String, String> out = new LinkedHashMap<>();
        String body = r.getBody() == null ? "" : r.getBody().utf8();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static String assetPairs(List<String> pairs) {
        StringBuilder sb = new StringBuilder("{\"error\":[],\"result\":{");
        for (int i = 0; i < pairs.size(); i++) {
            String p = pairs.get(i);
            sb.append(i == 0 ? "" : ",").append('"').append(p).append("\":{\"altname\":\"").append(p)
                    .append("\",\"base\":\"").append(p, 0, 4).append("\",\"quote\":\"ZUSD\"}");
        }
        return sb.append("}}").toString();
    }

    static String tradesPage(List<FakeTrade> all, Map<String, String> form) {
        long start = form.containsKey("start") ? Long.parseLong(form.get("start")) : Long.MIN_VALUE;
        List<FakeTrade> inRange = all.stream().filter(t -> t.time() > start).toList();
        int ofs = Integer.parseInt(form.getOrDefault("ofs", "0"));
        StringBuilder sb = new StringBuilder("{\"error\":[],\"result\":{\"trades\":{");
        List<FakeTrade> page = inRange.subList(Math.min(ofs, inRange.size()), Math.min(ofs + 50, inRange.size()));
        for (int i = 0; i < page.size(); i++) {
            FakeTrade t = page.get(i);
            sb.append(i == 0 ? "" : ",").append('"').append(t.id()).append("\":{\"ordertxid\":\"O").append(t.id())
                    .append("\",\"pair\":\"").append(t.pair()).append("\",\"time\":").append(t.time())
                    .append(".25,\"type\":\"buy\",\"ordertype\":\"limit\",\"price\":\"1.5\",\"cost\":\"15\","
                            + "\"fee\":\"0.02\",\"vol\":\"10\",\"margin\":\"0\",\"misc\":\"\"}");
        }
        return sb.append("},\"count\":").append(inRange.size()).append("}}").toString();
    }

    static String seedTrades(List<FakeTrade> all, String symbol) {
        return String.join(",", all.stream().filter(t -> t.pair().equals(symbol)).map(FakeTrade::id).toList());
    }
}
