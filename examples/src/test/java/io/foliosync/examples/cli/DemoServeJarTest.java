package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar foliosync.jar demo --serve} as a newcomer runs it: the shaded jar starts Jetty (its service
 * files merged), renders the precompiled templates (no template compiler at run time) and serves the webjars,
 * and stops on SIGTERM (Ctrl-C's path: the shutdown hook).
 */
class DemoServeJarTest {
    @TempDir
    Path dir;

    @Test
    void theDemoConsoleServesItsPagesFromTheShadedJarAndStopsOnTerm() throws Exception {
        ShadedJar.Started demo = ShadedJar.start(dir, "demo", "--dir", dir.resolve("data").toString(), "--serve",
                "--port", "0");
        try {
            Matcher open = Pattern.compile("open: (http://127\\.0\\.0\\.1:\\d+)/\\?token=(\\S+)").matcher("");
            Instant until = Instant.now().plusSeconds(ShadedJar.PROCESS_TIMEOUT_SECONDS);
            while (Instant.now().isBefore(until) && !open.reset(Files.readString(demo.log())).find()) {
                assertThat(demo.process().isAlive()).as(Files.readString(demo.log())).isTrue();
                Thread.sleep(200);
            }
            assertThat(open.find(0)).as(Files.readString(demo.log())).isTrue();
            String base = open.group(1);
            HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                    .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> home = browser.send(HttpRequest.newBuilder(URI.create(base + "/?token="
                    + open.group(2))).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.uri().getPath()).isEqualTo("/");
            assertThat(home.body()).contains("<title>Dashboard · FolioSync</title>").contains("id=\"net-worth\"");
            HttpResponse<String> crypto = browser.send(HttpRequest.newBuilder(URI.create(base + "/crypto")).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(crypto.body()).contains("<title>Crypto · FolioSync</title>").contains("data-source=\"kraken\"");
            // the charts' library, its drawing script and the value over time come from the jar
            for (String path : new String[] {"/transactions", "/jobs", "/webjars/htmx.org/2.0.8/dist/htmx.min.js",
                "/webjars/htmx-ext-sse/2.2.2/sse.js", "/console.css", "/webjars/chart.js/4.5.1/dist/chart.umd.min.js",
                "/charts.js", "/history.json", "/history"}) {
                assertThat(browser.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as(path).isEqualTo(200);
            }
        } finally {
            demo.process().destroy(); // SIGTERM
            assertThat(demo.process().waitFor(60, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        }
    }
}
