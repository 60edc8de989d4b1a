package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of {@code foliosync demo --serve} over real HTTP: the pages, the actions, and the requests the
 * console must refuse (no token, a wrong token, no CSRF token, another site's Origin, another Host).
 */
class ConsoleHttpTest {
    @TempDir
    static Path dir;
    static RunningConsole console;
    static HttpClient browser;
    static String csrf;

    @BeforeAll
    static void openTheDemoConsole() throws Exception {
        console = RunningConsole.start(Duration.ofSeconds(90), "demo", "--dir", dir.toString(), "--serve",
                "--port", "0");
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> first = browser.send(req(console.startUrl().toString()), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(303);
        csrf = csrfOf(get("/crypto").body());
    }

    @AfterAll
    static void stop() throws Exception {
        if (console != null) {
            console.close();
        }
    }

    // ---------------------------------------------------------------------------------- refused requests

    @Test
    void aRequestWithoutTheTokenIsRefused() throws Exception {
        HttpClient stranger = HttpClient.newHttpClient();
        for (String path : List.of("/", "/crypto", "/brokers", "/plugins", "/jobs", "/holdings", "/transactions",
                "/reconciliation", "/jobs/events", "/console.css")) {
            HttpResponse<String> r = stranger.send(req(path), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.body()).contains("open the address `foliosync serve` printed");
        }
        HttpResponse<String> post = stranger.send(post("/sync", "_csrf=" + csrf), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(401);
    }

    @Test
    void aWrongTokenIsRefusedAndSetsNoCookie() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(req("/?token=not-the-token"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void theStartAddressSetsAnHttpOnlyCookieAndDropsTheTokenFromTheAddress() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(req(console.startUrl().toString()),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains("/");
        assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly").contains("SameSite=Lax");
    }

    @Test
    void everyChangeWithoutTheCsrfTokenIsRefused() throws Exception {
        for (String path : List.of("/sync", "/sources/x/test", "/brokers/schwab/connect", "/plugins/install",
                "/plugins/chase/enable", "/plugins/chase/credentials")) {
            HttpResponse<String> none = browser.send(post(path, ""), HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).as(path).isEqualTo(403);
            assertThat(none.body()).contains("CSRF");
            HttpResponse<String> wrong = browser.send(post(path, "_csrf=forged"), HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).as(path).isEqualTo(403);
        }
    }

    @Test
    void aChangeFromAnotherSiteIsRefusedEvenWithTheCsrfToken() throws Exception {
        HttpRequest r = HttpRequest.newBuilder(console.base.resolve("/sync")).header("Origin", "http://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf)).build();
        HttpResponse<String> resp = browser.send(r, HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).isEqualTo(403);
        assertThat(resp.body()).contains("another site");
    }

    @Test
    void aRequestNamingAnotherHostIsRefused() throws Exception {
        // DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1
        String raw = "GET /crypto HTTP/1.1\r\nHost: evil.example:" + console.base.getPort() + "\r\nCookie: "
                + "foliosync_console=" + console.token + "\r\nConnection: close\r\n\r\n";
        try (Socket s = new Socket(console.base.getHost(), console.base.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(status).contains("403");
        }
    }

    // ---------------------------------------------------------------------------------- pages

    @Test
    void everyPageCarriesTheContentSecurityPolicyAndNoSecret() throws Exception {
        for (String path : List.of("/crypto", "/brokers", "/plugins", "/jobs", "/holdings", "/transactions",
                "/reconciliation")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("default-src 'none'").contains("script-src 'self'").contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
            // the demo's Kraken key and secret, the IBKR account's full number, the access token
            assertThat(r.body()).as(path).doesNotContain("demo-key").doesNotContain("ZGVtby1zZWNyZXQ")
                    .doesNotContain("7654321").doesNotContain(console.token).doesNotContain("<script>");
        }
    }

    @Test
    void theRootIsTheDashboard() throws Exception {
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<title>Dashboard · FolioSync</title>").contains("id=\"net-worth\"")
                .contains("/webjars/chart.js/4.5.1/dist/chart.umd.min.js");
        // the chart library is served from the jar, not a CDN
        assertThat(get("/webjars/chart.js/4.5.1/dist/chart.umd.min.js").statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownAddressAndABadFilterAnswerAPageWithTheNavigation() throws Exception {
        HttpResponse<String> missing = get("/no-such-page");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/html"));
        assertThat(missing.body()).contains("<nav>").contains("href=\"/transactions\"")
                .contains("no page at /no-such-page").doesNotContain("Endpoint GET");
        HttpResponse<String> bad = get("/transactions?from=yesterday");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("<nav>").contains("write the date as YYYY-MM-DD, not yesterday");
        // the error page's frame carries no CSRF token (a refusal never renders one either)
        assertThat(missing.body()).doesNotContain(csrf);
    }

    @Test
    void aBadCurrencyIsSaidInWords() throws Exception {
        HttpResponse<String> r = get("/?currency=dollars");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("three-letter ISO 4217 code");
    }

    @Test
    void cryptoShowsKeysAsSetTheLastSyncAndValuedBalances() throws Exception {
        String page = get("/crypto").body();
        assertThat(page).contains("data-source=\"kraken\"").contains("api_key</dt><dd class=\"ok\">set")
                .contains("api_secret</dt><dd class=\"ok\">set").contains("succeeded").contains("BTC")
                .contains("value USD");
    }

    @Test
    void testingKeysShowsWhetherTheExchangeAcceptedThem() throws Exception {
        String ref = refOf(get("/crypto").body(), "kraken");
        HttpResponse<String> r = browser.send(post("/sources/" + ref + "/test", "_csrf=" + csrf + "&back=/crypto"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains("/crypto");
        assertThat(get("/crypto").body()).contains("kraken: keys accepted").contains("accepted</span>");
    }

    @Test
    void anUnknownSourceReferenceIsABadRequest() throws Exception {
        HttpResponse<String> r = browser.send(post("/sources/0123456789abcdef/test", "_csrf=" + csrf),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        HttpResponse<String> sync = browser.send(post("/sync", "_csrf=" + csrf + "&source=nope"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sync.statusCode()).isEqualTo(400);
    }

    @Test
    void brokersShowsIbkrMaskedAndSchwabsCsvFallback() throws Exception {
        String page = get("/brokers").body();
        assertThat(page).contains("Interactive Brokers").contains("ibkr-…4321").contains("flex-activity.xml")
                .contains("Charles Schwab").contains("CSV fallback").contains("enabled")
                .contains("positions_file: positions-sample.csv");
    }

    @Test
    void pluginsListsTheShippedPluginsWithTheEnabledOne() throws Exception {
        String page = get("/plugins").body();
        assertThat(page).contains("id=\"plugin-chase\"").contains("stored (encrypted)")
                .contains("name=\"field.statement_dir\"").doesNotContain(dir.resolve("demo").toString());
    }

    @Test
    void syncNowRunsAJobWhoseProgressAndResultTheJobsPageShows() throws Exception {
        String ref = refOf(get("/crypto").body(), "kraken");
        int before = count(get("/jobs").body(), "<td>kraken</td>");
        HttpResponse<String> r = browser.send(post("/sync", "_csrf=" + csrf + "&source=" + ref),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains("/jobs");
        // the note is shown once, on the page the redirect leads to, however far the job has got by then
        assertThat(get("/jobs").body()).contains("sync of kraken started");
        Instant until = Instant.now().plusSeconds(30);
        String jobs = "";
        while (Instant.now().isBefore(until)) {
            jobs = get("/jobs").body();
            if (count(jobs, "<td>kraken</td>") > before && jobs.contains("finished-job")) {
                break;
            }
            RunningConsole.sleep(100);
        }
        assertThat(count(jobs, "<td>kraken</td>")).isGreaterThan(before);
        assertThat(jobs).contains("<b>kraken</b> succeeded");
    }

    /** Issue 21: a job that succeeded but rejected records reads as a partial import, not as "succeeded". */
    @Test
    void theJobsPageShowsAJobThatRejectedRecordsAsImportedButRejected() throws Exception {
        // a job as a sync of a statement with two invalid records leaves it: succeeded, records_failed 2
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:"
                + dir.resolve("foliosync-demo.db"));
             java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO import_jobs (source_type, source_name, "
                     + "status, attempt, started_at, completed_at, records_imported, records_failed) VALUES "
                     + "('broker', 'issue21-partial', 'succeeded', 1, ?, ?, 4, 2)")) {
            ps.setString(1, "2026-01-02T10:00:00.000000Z");
            ps.setString(2, "2026-01-02T10:00:01.000000Z");
            ps.executeUpdate();
        }
        String jobs = get("/jobs").body();
        assertThat(jobs).contains("<td>issue21-partial</td>")
                .contains("<td class=\"status-partial\">imported, but 2 records rejected (foliosync rejected)</td>");
    }

    @Test
    void theJobsPageShowsWhatEachSinkLastReceivedOfEachAccount() throws Exception {
        assertThat(get("/jobs").body()).doesNotContain("<h2>Sinks</h2>"); // no sink configured in the demo
        // what a Ghostfolio sink leaves: one account delivered, one whose last delivery failed
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:"
                + dir.resolve("foliosync-demo.db"));
             java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO sink_cursors (sink_id, source_name, "
                     + "account_id, last_job_id, last_row_id, snapshot_id, delivered_at, attempted_at, last_error) "
                     + "VALUES ('ghostfolio', ?, ?, 1, 1, 0, ?, ?, ?)")) {
            ps.setString(1, "crypto_exchanges");
            ps.setString(2, "kraken");
            ps.setString(3, "2026-01-02T10:00:00.000000Z");
            ps.setString(4, "2026-01-02T10:00:00.000000Z");
            ps.setString(5, null);
            ps.executeUpdate();
            ps.setString(1, "chase");
            ps.setString(2, "chase-5678");
            ps.setString(3, null);
            ps.setString(4, "2026-01-03T10:00:00.000000Z");
            ps.setString(5, "Ghostfolio could not be reached: connection refused");
            ps.executeUpdate();
        }
        String jobs = get("/jobs").body();
        assertThat(jobs).contains("<h2>Sinks</h2>").contains("<table id=\"sinks\">")
                .contains("<td>ghostfolio</td>").contains("never")
                .contains("<td>Ghostfolio could not be reached: connection refused</td>");
    }

    @Test
    void theEventStreamSendsTheProgressPanel() throws Exception {
        HttpRequest r = HttpRequest.newBuilder(console.base.resolve("/jobs/events")).timeout(Duration.ofSeconds(10))
                .header("Accept", "text/event-stream").GET().build(); // as EventSource asks
        HttpResponse<InputStream> resp = browser.send(r, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo("event: progress");
            assertThat(in.readLine()).startsWith("data: ").contains("id=\"progress-panel\"");
        }
    }

    @Test
    void holdingsAreValuedInTheBaseCurrencyWithAccountsMasked() throws Exception {
        String page = get("/holdings").body();
        assertThat(page).contains("value USD").contains("holdings-total").contains("…4321").contains("BTC");
    }

    @Test
    void transactionsFilterBySymbolAndPageByKey() throws Exception {
        String btc = get("/transactions?symbol=btc").body();
        List<String> symbols = cells(btc, "symbol");
        assertThat(symbols).isNotEmpty().allMatch(s -> s.equals("BTC"));

        String first = get("/transactions?size=20").body();
        assertThat(count(first, "<tr class=\"tx\">")).isEqualTo(20);
        Matcher next = Pattern.compile("id=\"tx-next\"|href=\"/transactions\\?after=([0-9-]+\\.[0-9]+)").matcher(first);
        String after = null;
        while (next.find()) {
            if (next.group(1) != null) {
                after = next.group(1);
            }
        }
        assertThat(after).as("a next page").isNotNull();
        assertThat(first).contains("size=20");
        String second = get("/transactions?after=" + after + "&size=20").body();
        assertThat(second).contains("id=\"tx-first\"");
        List<String> firstRows = rows(first);
        assertThat(rows(second)).isNotEmpty().noneMatch(firstRows::contains);
    }

    @Test
    void aMalformedFilterIsABadRequestThatSaysWhy() throws Exception {
        HttpResponse<String> r = get("/transactions?from=31/12/2024");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("YYYY-MM-DD");
        assertThat(get("/transactions?after=garbage").statusCode()).isEqualTo(400);
        assertThat(get("/transactions?type=NOPE").statusCode()).isEqualTo(400);
        assertThat(get("/transactions?size=5000").statusCode()).isEqualTo(400);
    }

    @Test
    void reconciliationListsEachAccountsAssets() throws Exception {
        String page = get("/reconciliation").body();
        assertThat(page).contains("reported").contains("kraken").contains("BTC");
    }

    @Test
    void theSchwabCallbackWithoutAPendingAuthorizationIsRefusedAndSaysWhy() throws Exception {
        // the demo's Schwab is CSV only: there is no authorization to complete
        HttpResponse<String> r = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                .send(req("/auth/schwab/callback?code=x&state=y"), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(get("/brokers").body()).contains("Schwab:");
    }

    @Test
    void theScriptsAreServedFromTheJarsWebjars() throws Exception {
        assertThat(get("/webjars/htmx.org/2.0.8/dist/htmx.min.js").statusCode()).isEqualTo(200);
        assertThat(get("/webjars/htmx-ext-sse/2.2.2/sse.js").statusCode()).isEqualTo(200);
        assertThat(get("/console.css").statusCode()).isEqualTo(200);
    }

    // ---------------------------------------------------------------------------------- helpers

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return browser.send(req(path), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest req(String pathOrUrl) {
        URI u = pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : URI.create(console.base + pathOrUrl);
        return HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(30)).GET().build();
    }

    static HttpRequest post(String path, String form) {
        return HttpRequest.newBuilder(URI.create(console.base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    static String csrfOf(String page) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(m.find()).as("a CSRF field").isTrue();
        return URLEncoder.encode(m.group(1), StandardCharsets.UTF_8);
    }

    /** @return the opaque reference the page's forms carry for the source shown as {@code label} */
    static String refOf(String page, String label) {
        int at = page.indexOf("data-source=\"" + label + "\"");
        assertThat(at).as("a card for " + label).isNotNegative();
        Matcher m = Pattern.compile("action=\"/sources/([0-9a-f]+)/test\"").matcher(page);
        assertThat(m.find(at)).isTrue();
        return m.group(1);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static List<String> cells(String page, String cssClass) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<td class=\"" + cssClass + "\">([^<]*)</td>").matcher(page);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static List<String> rows(String page) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<tr class=\"tx\">(.*?)</tr>").matcher(page);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
