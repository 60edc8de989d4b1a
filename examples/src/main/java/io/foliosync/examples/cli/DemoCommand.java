package io.foliosync.examples.cli;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.http.ApiClient;
import io.foliosync.connectors.api.http.HttpClients;
import io.foliosync.connectors.api.http.RetryPolicy;
import io.foliosync.connectors.api.json.Json;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Request;
import picocli.CommandLine.Command;

/** Runs FolioSync offline against loopback servers replaying recorded responses. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs FolioSync offline against local servers replaying recorded API responses.")
final class DemoCommand implements Callable<Integer> {
    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        try (MockWebServer exchange = new MockWebServer()) {
            exchange.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build());
            exchange.enqueue(new MockResponse.Builder()
                    .body("{\"error\":[],\"result\":{\"XXBT\":\"0.5000000000\",\"XETH\":\"3.2500000000\"}}").build());
            exchange.start();
            out.println("Replaying a recorded balance at " + exchange.url("/"));

            ApiClient api = ApiClient.of("demo-exchange", HttpClients.builder("demo-exchange")
                    .retryPolicy(RetryPolicy.builder().maxAttempts(3).build()).build());
            @SuppressWarnings("unchecked")
            Map<String, Object> tree = (Map<String, Object>) api.executeTree(
                    new Request.Builder().url(exchange.url("/0/private/Balance")).build());
            out.println("Fetched after " + exchange.getRequestCount() + " requests (the first answered 429 and was retried)");

            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) tree.get("result");
            List<Holding> holdings = new ArrayList<>();
            result.forEach((asset, qty) -> holdings.add(Holding.builder()
                    .symbol(asset.substring(1).replace("XBT", "BTC")).quantity(new BigDecimal(qty.toString()))
                    .currency("USD").accountId("spot").source("demo-exchange").assetClass(AssetClass.CRYPTO).build()));
            holdings.forEach(h -> out.printf("  holding %-4s %s%n", h.symbol(), h.quantity().toPlainString()));

            PagedResult<Integer> pages = PagedResult.of(cursor -> {
                int n = cursor.map(Integer::parseInt).orElse(0);
                return n < 2 ? Page.of(List.of(n), String.valueOf(n + 1)) : Page.last(List.of(n));
            });
            int count = 0;
            for (Page<Integer> page : pages) {
                count += page.items().size();
            }
            out.println("Paged through " + pages.pagesFetched() + " pages (" + count + " records), one at a time");

            SecretCipher cipher = SecretCipher.of(MasterKey.generate());
            String stored = cipher.encrypt("api-secret", "demo");
            out.println("Stored a secret encrypted (" + stored.length() + " chars, AES-256-GCM), read it back: "
                    + cipher.decrypt(stored, "demo").equals("api-secret"));
            out.println("JSON decimals stay exact: " + Json.moshi().adapter(BigDecimal.class).fromJson("0.1"));
        }
        return 0;
    }
}
