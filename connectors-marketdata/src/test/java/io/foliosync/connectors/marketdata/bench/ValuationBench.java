package io.foliosync.connectors.marketdata.bench;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.connectors.marketdata.MarketDataConnector;
import io.foliosync.connectors.marketdata.Valuation;
import io.foliosync.connectors.marketdata.Valuator;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Values a 500-holding portfolio twice against a loopback server and reports the requests each pass made and
 * the time per valuation, the cached passes as a ratio of the cold pass measured in the same run.
 *
 * <p>Run: {@code ./mvnw -q -f connectors-marketdata/pom.xml exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.foliosync.connectors.marketdata.bench.ValuationBench}
 */
public final class ValuationBench {
    private static final int HOLDINGS = 500;
    private static final int WARM_PASSES = 50;

    private ValuationBench() {
    }

    public static void main(String[] args) throws Exception {
        String chart = yahooBody();
        String fred = "";
        System.out.printf(Locale.ROOT, "java %s, %d cpus, %d holdings%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), HOLDINGS);
        // JIT warm-up on a throwaway connector, not reported.
        run("warm-up", "tiingo", chart, fred, false);
        run("tiingo (IEX batch of 100) + fred FX", "tiingo", chart, fred, true);
        run("yahoo (one chart per symbol) + fred FX", "yahoo", chart, fred, true);
    }

    private static void run(String label, String primary, String chart, String fred, boolean report)
            throws IOException {
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest r) {
                    String path = r.getUrl().encodedPath();
                    if (path.equals("/iex/")) {
                        return json(iex(r.getUrl().queryParameter("tickers").split(",")));
                    }
                    if (path.startsWith("/v8/finance/chart/") && !path.endsWith("=X")) {
                        // FX pairs are left to FRED: the AAPL chart is no exchange rate
                        return json(chart);
                    }
                    if (path.equals("/fred/series/observations")) {
                        // one observation on the last day asked, whatever the day
                        return json(fredBody(LocalDate.parse(r.getUrl().queryParameter("observation_end"))));
                    }
                    return new MockResponse.Builder().code(404).body("{}").build();
                }
            });
            server.start();
            MarketDataConnector md = connector(server, primary);
            md.authenticate();
            Valuator valuator = Valuator.builder(md).baseCurrency("EUR").build();
            List<Holding> holdings = portfolio();

            // Baseline: the same number of plain OkHttp GETs of the same bodies on the same server.
            okhttp3.OkHttpClient raw = new okhttp3.OkHttpClient();
            int wire = primary.equals("yahoo") ? HOLDINGS : HOLDINGS / 100;
            long b0 = System.nanoTime();
            for (int i = 0; i < wire; i++) {
                String path = primary.equals("yahoo") ? "/v8/finance/chart/SYM" + i
                        : "/iex/?tickers=" + String.join(",", java.util.Collections.nCopies(100, "sym" + i));
                try (okhttp3.Response resp = raw.newCall(new okhttp3.Request.Builder().url(server.url(path))
                        .build()).execute()) {
                    resp.body().string();
                }
            }
            long rawNanos = System.nanoTime() - b0;

            int before = server.getRequestCount();
            long t0 = System.nanoTime();
            Valuation cold = valuator.value(holdings);
            long coldNanos = System.nanoTime() - t0;
            int coldRequests = server.getRequestCount() - before;

            before = server.getRequestCount();
            t0 = System.nanoTime();
            Valuation warm = valuator.value(holdings);
            long secondNanos = System.nanoTime() - t0;
            int secondRequests = server.getRequestCount() - before;

            t0 = System.nanoTime();
            for (int i = 0; i < WARM_PASSES; i++) {
                valuator.value(holdings);
            }
            long warmAvg = (System.nanoTime() - t0) / WARM_PASSES;
            int repeatRequests = server.getRequestCount() - before - secondRequests;

            if (!cold.complete() || !warm.complete() || cold.total().compareTo(warm.total()) != 0) {
                throw new IllegalStateException(label + ": valuation incomplete or passes disagree: "
                        + cold.unvalued().size() + " unvalued");
            }
            if (report) {
                System.out.printf(Locale.ROOT, "%n%s%n", label);
                System.out.printf(Locale.ROOT, "  raw OkHttp, %d GETs of the same bodies: %8.2f ms (pass 1 is %.2fx this)%n",
                        wire, rawNanos / 1e6, (double) coldNanos / rawNanos);
                System.out.printf(Locale.ROOT, "  pass 1 (cold):   %4d requests  %8.2f ms  (baseline 1.00)%n",
                        coldRequests, coldNanos / 1e6);
                System.out.printf(Locale.ROOT, "  pass 2 (cached): %4d requests  %8.2f ms  (%.4f of pass 1)%n",
                        secondRequests, secondNanos / 1e6, (double) secondNanos / coldNanos);
                System.out.printf(Locale.ROOT, "  %d more cached passes: %d requests, %.2f ms each (%.4f of pass 1)%n",
                        WARM_PASSES, repeatRequests, warmAvg / 1e6, (double) warmAvg / coldNanos);
            }
            if (report && primary.equals("yahoo")) {
                asOfPasses(server, valuator, holdings, coldNanos);
            }
        }
    }

    /** Valuation as of a day inside the served chart (2020-08-31..2020-11-06): daily closes, not quotes. */
    private static void asOfPasses(MockWebServer server, Valuator valuator, List<Holding> holdings,
                                   long latestColdNanos) {
        LocalDate asOf = LocalDate.of(2020, 11, 6);
        int before = server.getRequestCount();
        long t0 = System.nanoTime();
        Valuation cold = valuator.value(holdings, asOf);
        long coldNanos = System.nanoTime() - t0;
        int coldRequests = server.getRequestCount() - before;

        before = server.getRequestCount();
        t0 = System.nanoTime();
        Valuation warm = valuator.value(holdings, asOf);
        long warmNanos = System.nanoTime() - t0;
        int warmRequests = server.getRequestCount() - before;
        if (!cold.complete() || cold.total().compareTo(warm.total()) != 0) {
            throw new IllegalStateException("as-of valuation incomplete or passes disagree: "
                    + cold.unvalued().size() + " unvalued " + cold.unvalued().stream().findFirst()
                    .map(h -> h.problems().toString()).orElse(""));
        }
        System.out.printf(Locale.ROOT, "  as of %s, pass 1 (cold):   %4d requests  %8.2f ms  (%.2fx the latest-price pass 1)%n",
                asOf, coldRequests, coldNanos / 1e6, (double) coldNanos / latestColdNanos);
        System.out.printf(Locale.ROOT, "  as of %s, pass 2 (cached): %4d requests  %8.2f ms  (%.4f of its pass 1)%n",
                asOf, warmRequests, warmNanos / 1e6, (double) warmNanos / coldNanos);
    }

    private static MarketDataConnector connector(MockWebServer server, String primary) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("primary_provider", primary);
        s.put("fallback_providers", List.of("fred"));
        s.put("base_currency", "EUR");
        s.put("stale_after", "3650d");
        for (String id : List.of(primary, "fred")) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("base_url", server.url("/").toString());
            p.put("api_key", "bench-key");
            p.put("rate_limit_per_second", 1_000_000);
            p.put("retry_attempts", 1);
            s.put(id, p);
        }
        ConnectorContext ctx = new ConnectorContext(Clock.systemUTC(), Path.of("target", "bench"),
                SecretCipher.of(MasterKey.generate()), RateLimiterRegistry.isolated());
        return MarketDataConnector.fromConfig(new ConfigSection("market_data", s), ctx);
    }

    private static List<Holding> portfolio() {
        List<Holding> out = new ArrayList<>();
        for (int i = 0; i < HOLDINGS; i++) {
            out.add(Holding.builder().symbol("SYM" + i).quantity(BigDecimal.valueOf(10 + i)).currency("USD")
                    .accountId("U1").assetClass(AssetClass.STOCK).source("bench").build());
        }
        return out;
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
    }

    private static String iex(String[] tickers) {
        StringBuilder sb = new StringBuilder("[");
        String now = java.time.OffsetDateTime.now(ZoneOffset.UTC).toString();
        for (int i = 0; i < tickers.length; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"ticker\":\"").append(tickers[i].toUpperCase(Locale.ROOT))
                    .append("\",\"timestamp\":\"").append(now).append("\",\"tngoLast\":").append(100 + i)
                    .append(".25,\"last\":null,\"prevClose\":100.0,\"volume\":1000}");
        }
        return sb.append(']').toString();
    }

    private static String fredBody(LocalDate day) {
        return "{\"count\":1,\"observations\":[{\"realtime_start\":\"" + day + "\",\"realtime_end\":\"" + day
                + "\",\"date\":\"" + day + "\",\"value\":\"1.0436\"}]}";
    }

    /** The recorded AAPL chart body (MIT, gadicc/node-yahoo-finance2), served for every symbol. */
    private static String yahooBody() throws IOException {
        try (InputStream in = ValuationBench.class.getResourceAsStream(
                "/yahoo/chart-AAPL-2020-08-31-to-2020-11-07.json")) {
            String exchange = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            com.squareup.moshi.JsonReader r = com.squareup.moshi.JsonReader.of(new okio.Buffer().writeUtf8(exchange));
            r.beginObject();
            while (r.hasNext()) {
                if (!r.nextName().equals("response")) {
                    r.skipValue();
                    continue;
                }
                r.beginObject();
                while (r.hasNext()) {
                    if (r.nextName().equals("bodyJson")) {
                        return r.nextSource().readUtf8();
                    }
                    r.skipValue();
                }
            }
            throw new IllegalStateException("no bodyJson");
        }
    }
}
