package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code foliosync serve} over HTTP: Schwab's authorization through the console's own callback, and plugins. */
class ConsoleServeHttpTest {
    @TempDir
    Path dir;
    ServeFixture fixture;
    HttpClient browser;
    String csrf;

    @BeforeEach
    void start() throws Exception {
        fixture = new ServeFixture(dir);
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        assertThat(send(HttpRequest.newBuilder(fixture.console.startUrl()).GET().build()).statusCode()).isEqualTo(303);
        csrf = ConsoleHttpTest.csrfOf(get("/brokers").body());
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void testingTheKeysOfAnExchangeThatIsDownSaysUnreachableInWordsNotAccepted() throws Exception {
        String ref = ConsoleHttpTest.refOf(get("/crypto").body(), "kraken");
        HttpResponse<String> r = send(post("/sources/" + ref + "/test", "_csrf=" + csrf + "&back=/crypto"));
        assertThat(r.statusCode()).isEqualTo(303);
        String page = get("/crypto").body();
        assertThat(page).contains("kraken: unreachable, so the keys were not checked").contains("connection refused")
                .contains("unreachable</span>").doesNotContain("keys accepted").doesNotContain("java.net")
                .doesNotContain("console-test-kraken-key");
        // a second test asks again (no session is taken for an answer): still unreachable
        send(post("/sources/" + ref + "/test", "_csrf=" + csrf + "&back=/crypto"));
        assertThat(get("/crypto").body()).contains("kraken: unreachable");
    }

    @Test
    void connectingToSchwabThroughTheConsolesCallbackStoresTheTokensAndShowsTheReauthorizationDate() throws Exception {
        String before = get("/brokers").body();
        assertThat(before).contains("not authorized").contains("/auth/schwab/callback");

        HttpResponse<String> connect = send(post("/brokers/schwab/connect", "_csrf=" + csrf));
        assertThat(connect.statusCode()).isEqualTo(303);
        HttpUrl authorize = HttpUrl.get(connect.headers().firstValue("Location").orElseThrow());
        assertThat(authorize.toString()).startsWith(fixture.schwab.baseUrl() + "/v1/oauth/authorize");
        assertThat(authorize.queryParameter("redirect_uri")).isEqualTo(fixture.console.base + "/auth/schwab/callback");
        // the form's redirect to the authorization server must be allowed by the page's policy
        assertThat(get("/brokers").headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("form-action 'self' " + fixture.schwab.baseUrl());

        String signIn = HttpClient.newHttpClient().send(HttpRequest.newBuilder(authorize.uri()).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher allow = Pattern.compile("href=\"([^\"]+)\"").matcher(signIn);
        assertThat(allow.find()).isTrue();
        HttpResponse<String> callback = send(HttpRequest.newBuilder(URI.create(allow.group(1).replace("&amp;", "&")))
                .GET().build());
        assertThat(callback.statusCode()).isEqualTo(303);
        assertThat(callback.headers().firstValue("Location")).contains("/brokers");

        assertThat(fixture.schwab.tokenRequests).hasSize(1);
        RecordedRequest exchange = fixture.schwab.tokenRequests.get(0);
        assertThat(exchange.getHeaders().get("Authorization")).isEqualTo(Credentials.basic("console-test-client",
                "console-test-secret-never-shown", StandardCharsets.UTF_8));
        String after = get("/brokers").body();
        assertThat(after).contains("Schwab authorized until").doesNotContain("not authorized")
                .contains("connect again before then")
                .doesNotContain(SchwabStandIn.ACCESS).doesNotContain(SchwabStandIn.REFRESH)
                .doesNotContain("console-test-secret-never-shown");
    }

    @Test
    void aCallbackWhoseStateIsNotTheConsolesIsRefused() throws Exception {
        send(post("/brokers/schwab/connect", "_csrf=" + csrf));
        HttpResponse<String> forged = send(HttpRequest.newBuilder(URI.create(fixture.console.base
                + "/auth/schwab/callback?code=stolen&state=forged")).GET().build());
        assertThat(forged.statusCode()).isEqualTo(303);
        assertThat(get("/brokers").body()).contains("does not match").contains("not authorized");
        assertThat(fixture.schwab.tokenRequests).isEmpty();
    }

    @Test
    void installingAPluginJarChecksItAndCopiesItIntoThePluginFolder() throws Exception {
        Path jar = ServeFixture.shippedPlugin("bank-plugin-template.jar");
        HttpResponse<String> r = send(multipart("/plugins/install", "bank-plugin-template.jar", Files.readAllBytes(jar),
                true));
        assertThat(r.statusCode()).isEqualTo(303);
        String page = get("/plugins").body();
        assertThat(page).contains("installed template").contains("id=\"plugin-template\"");
        assertThat(fixture.plugins.resolve("bank-plugin-template.jar")).exists();
    }

    @Test
    void aJarThatIsNotAPluginIsNotInstalledAndTheProblemsAreListed() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("not a plugin".getBytes(StandardCharsets.UTF_8));
        }
        send(multipart("/plugins/install", "junk.jar", bytes.toByteArray(), true));
        assertThat(get("/plugins").body()).contains("cannot install junk.jar");
        assertThat(fixture.plugins.resolve("junk.jar")).doesNotExist();
    }

    @Test
    void anUploadWithoutTheCsrfTokenIsRefusedAndNothingIsInstalled() throws Exception {
        Path jar = ServeFixture.shippedPlugin("bank-plugin-template.jar");
        HttpResponse<String> r = send(multipart("/plugins/install", "bank-plugin-template.jar", Files.readAllBytes(jar),
                false));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(fixture.plugins.resolve("bank-plugin-template.jar")).doesNotExist();
    }

    @Test
    void enablingAPluginEditsOnlyTheEnabledLineOfTheConfiguration() throws Exception {
        send(multipart("/plugins/install", "bank-plugin-template.jar",
                Files.readAllBytes(ServeFixture.shippedPlugin("bank-plugin-template.jar")), true));
        HttpResponse<String> r = send(post("/plugins/template/enable", "_csrf=" + csrf));
        assertThat(r.statusCode()).isEqualTo(303);
        String yaml = Files.readString(fixture.config);
        assertThat(yaml).contains("  enabled: [template]").contains("# written by ServeFixture")
                .contains("# installs go here");
        assertThat(get("/plugins").body()).contains("template enabled in data_sources.yaml");
        assertThat(send(post("/plugins/nope/enable", "_csrf=" + csrf)).statusCode()).isEqualTo(400);
    }

    @Test
    void pluginCredentialsAreStoredEncryptedAndNeverShownAgain() throws Exception {
        send(multipart("/plugins/install", "bank-plugin-template.jar",
                Files.readAllBytes(ServeFixture.shippedPlugin("bank-plugin-template.jar")), true));
        Path statements = Files.createDirectories(dir.resolve("statements-folder-xyz"));
        HttpResponse<String> r = send(post("/plugins/template/credentials", "_csrf=" + csrf + "&field.statement_dir="
                + java.net.URLEncoder.encode(statements.toString(), StandardCharsets.UTF_8)));
        assertThat(r.statusCode()).isEqualTo(303);
        String page = get("/plugins").body();
        assertThat(page).contains("stored (encrypted)").contains("stored 1 field(s) for template")
                .doesNotContain("statements-folder-xyz");
        assertThat(new String(Files.readAllBytes(dir.resolve("foliosync.db")), StandardCharsets.ISO_8859_1))
                .doesNotContain("statements-folder-xyz");
    }

    @Test
    void anUploadOverTheLimitIsAnswered413WithAMessageWhetherItsLengthIsDeclaredOrNot() throws Exception {
        // with its Content-Length: answered before a byte of its body is read, so this client sends none (an HTTP
        // client that went on sending 65 MB would race the server's close and may see a broken pipe instead)
        URI base = fixture.console.base;
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /plugins/install HTTP/1.1\r\nHost: " + base.getAuthority()
                    + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: " + (65L << 20)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                    socket.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();
            long length = -1;
            for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(h.substring(h.indexOf(':') + 1).trim());
                }
            }
            assertThat(status).startsWith("HTTP/1.1 413");
            StringBuilder page = new StringBuilder();
            if (length >= 0) {
                char[] buffer = new char[(int) length];
                for (int n; page.length() < length && (n = in.read(buffer, 0, (int) length - page.length())) > 0; ) {
                    page.append(buffer, 0, n);
                }
            } else { // chunked: the error page up to its end
                for (String l = in.readLine(); l != null && !l.contains("</html>"); l = in.readLine()) {
                    page.append(l).append('\n');
                }
            }
            assertThat(page).contains("64 MB").doesNotContain("Exception").doesNotContain("\tat ");
        }
        byte[] tooLarge = new byte[64 * 1024 * 1024];
        // chunked, without a length: cut off where it passes the limit. The jar is 64 MB, so only the multipart
        // envelope lies beyond the limit and the whole body is sent before the answer
        HttpRequest sized = multipart("/plugins/install", "huge.jar", tooLarge, true);
        byte[] body = sized.bodyPublisher().map(p -> {
            java.util.concurrent.CompletableFuture<byte[]> all = new java.util.concurrent.CompletableFuture<>();
            ByteArrayOutputStream collected = new ByteArrayOutputStream();
            p.subscribe(new java.util.concurrent.Flow.Subscriber<java.nio.ByteBuffer>() {
                @Override
                public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                    subscription.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(java.nio.ByteBuffer item) {
                    byte[] b = new byte[item.remaining()];
                    item.get(b);
                    collected.writeBytes(b);
                }

                @Override
                public void onError(Throwable throwable) {
                    all.completeExceptionally(throwable);
                }

                @Override
                public void onComplete() {
                    all.complete(collected.toByteArray());
                }
            });
            return all.join();
        }).orElseThrow();
        HttpResponse<String> chunked = send(HttpRequest.newBuilder(sized.uri())
                .header("Content-Type", sized.headers().firstValue("Content-Type").orElseThrow())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build());
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertThat(chunked.body()).contains("64 MB").doesNotContain("Exception");
        // and the console still serves
        assertThat(get("/plugins").statusCode()).isEqualTo(200);
        assertThat(fixture.console.output()).doesNotContain("\tat io.javalin");
    }

    @Test
    void credentialsUnderAnotherMasterKeyAreShownWithTheRemedyAndCanBeEnteredAgain() throws Exception {
        send(multipart("/plugins/install", "bank-plugin-template.jar",
                Files.readAllBytes(ServeFixture.shippedPlugin("bank-plugin-template.jar")), true));
        Path statements = Files.createDirectories(dir.resolve("statements"));
        String form = "&field.statement_dir=" + java.net.URLEncoder.encode(statements.toString(), StandardCharsets.UTF_8);
        assertThat(send(post("/plugins/template/credentials", "_csrf=" + csrf + form)).statusCode()).isEqualTo(303);
        // the console restarted with another master key than the one the credentials were stored with
        fixture.console.close();
        Path keyFile = dir.resolve("master.key");
        Files.delete(keyFile);
        io.foliosync.connectors.api.secrets.MasterKey.generate().writeTo(keyFile);
        try (RunningConsole again = RunningConsole.start(Duration.ofSeconds(60), "serve", "--config",
                fixture.config.toString(), "--port", Integer.toString(RunningConsole.freePort()))) {
            HttpClient other = HttpClient.newBuilder().cookieHandler(new CookieManager())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            assertThat(other.send(HttpRequest.newBuilder(again.startUrl()).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(303);
            HttpResponse<String> page = other.send(HttpRequest.newBuilder(URI.create(again.base + "/plugins")).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("the current master key cannot read them")
                    .contains("Restore the key they were stored with").contains("enter them again below")
                    .contains("foliosync keys reset").contains("action=\"/plugins/template/credentials\"");
            String otherCsrf = ConsoleHttpTest.csrfOf(page.body());
            HttpResponse<String> saved = other.send(HttpRequest.newBuilder(URI.create(again.base
                    + "/plugins/template/credentials")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + otherCsrf + form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(saved.statusCode()).isEqualTo(303);
            String after = other.send(HttpRequest.newBuilder(URI.create(again.base + "/plugins")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(after).contains("stored (encrypted)").doesNotContain("cannot read them");
            assertThat(again.output()).doesNotContain("\tat ");
        }
    }

    // ---------------------------------------------------------------------------------- helpers

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(fixture.console.base + path)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest r) throws IOException, InterruptedException {
        return browser.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest post(String path, String form) {
        return HttpRequest.newBuilder(URI.create(fixture.console.base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    private HttpRequest multipart(String path, String filename, byte[] content, boolean withCsrf) throws IOException {
        String boundary = "----console-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (withCsrf) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n"
                    + java.net.URLDecoder.decode(csrf, StandardCharsets.UTF_8) + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jar\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(fixture.console.base + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    }
}
