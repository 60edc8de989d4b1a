package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, driven through
 * Selenium WebDriver): the demo's pages, a sync watched to its end over server-sent events, the transaction
 * filters, a plugin jar installed through the file input, and a Schwab authorization against a loopback stand-in
 * of the authorization server. Skips, saying why, where no Chromium is installed.
 *
 * <p>Each page is saved as a PNG in {@code target/console-screenshots}, or in the folder the
 * {@code console.screenshots} system property names (the docs' screenshots come from here).
 */
class ConsoleBrowserTest {
    @TempDir
    static Path demoDir;
    static RunningConsole demo;
    static Path chromium;
    static Path chromedriver;

    @TempDir
    Path serveDir;
    // one Chromium for the class (it takes seconds to start); each test starts without cookies
    static WebDriver browser;

    @BeforeAll
    static void findChromiumAndOpenTheDemo() {
        chromium = executable("CHROME_BIN", "/usr/bin/chromium", "/usr/bin/chromium-browser").orElse(null);
        chromedriver = executable("CHROMEDRIVER", "/usr/bin/chromedriver").orElse(null);
        Assumptions.assumeTrue(chromium != null && chromedriver != null, "browser tests skipped: no chromium and "
                + "chromedriver (apt-get install chromium chromium-driver, or set CHROME_BIN and CHROMEDRIVER)");
        demo = RunningConsole.start(Duration.ofSeconds(90), "demo", "--dir", demoDir.toString(), "--serve", "--port",
                "0");
        openChromium();
    }

    @AfterAll
    static void closeTheDemo() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (demo != null) {
                demo.close();
            }
        }
    }

    @BeforeEach
    void withoutCookies() {
        browser.manage().deleteAllCookies();
    }

    static void openChromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir="
                        + demoDir.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @Test
    void theDemoOpensInOneAddressAndEveryPageRenders() throws IOException {
        browser.get(demo.startUrl().toString());
        // the token left the address bar for a cookie
        assertThat(browser.getCurrentUrl()).isEqualTo(demo.base + "/").doesNotContain("token");
        assertThat(browser.getTitle()).isEqualTo("Dashboard · FolioSync");
        browser.findElement(By.linkText("Crypto")).click();
        wait(10).until(ExpectedConditions.urlToBe(demo.base + "/crypto"));
        assertThat(browser.findElement(By.cssSelector("[data-source=kraken]")).getText()).contains("api_key")
                .contains("set").contains("BTC");
        screenshot("crypto");
        for (String page : List.of("brokers", "plugins", "jobs", "holdings", "transactions", "reconciliation")) {
            browser.findElement(By.linkText(Character.toUpperCase(page.charAt(0)) + page.substring(1))).click();
            wait(10).until(ExpectedConditions.urlToBe(demo.base + "/" + page));
            assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualToIgnoringCase(page);
            assertThat(browser.getPageSource()).doesNotContain("7654321").doesNotContain("demo-key");
            screenshot(page);
        }
    }

    @Test
    void holdingsCryptoAndBrokersShowTheNumbersValuePrints() {
        // the demo printed `value`'s table and total for the same database, through the same market data
        String printed = demo.output();
        String table = printed.substring(printed.indexOf("Valued holdings"), printed.indexOf("Requests served"));
        String totalLine = table.lines().filter(l -> l.startsWith("Total USD ")).findFirst().orElseThrow();
        browser.get(demo.startUrl().toString());
        browser.findElement(By.linkText("Holdings")).click();
        wait(10).until(ExpectedConditions.urlToBe(demo.base + "/holdings"));
        assertThat(totalLine).startsWith("Total " + browser.findElement(By.id("holdings-total")).getText() + " of ");
        assertThat(totalLine).contains(browser.findElement(By.id("holdings-left-out")).getText());
        List<WebElement> rows = browser.findElements(By.cssSelector("main table tbody tr"));
        assertThat(rows).hasSize(15);
        for (WebElement row : rows) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            String symbol = cells.get(2).getText();
            String value = cells.get(7).getText();
            String line = table.lines().filter(l -> cell(table, l, "source", "account").equals(cells.get(0).getText())
                    && cell(table, l, "symbol", "quantity").equals(symbol)).findFirst()
                    .orElseThrow(() -> new AssertionError(symbol + " not in " + table));
            String printedValue = cell(table, line, "fx_source", "value_usd");
            if (value.isEmpty()) {
                assertThat(printedValue).as(symbol).isEmpty();
                assertThat(line).as(symbol).contains("left out");
            } else {
                assertThat(new BigDecimal(printedValue)).as(symbol + " in: " + line)
                        .isEqualByComparingTo(new BigDecimal(value.replace(",", "")));
            }
        }
        // each card's total is the sum of value's rows of that source, rounded once
        browser.findElement(By.linkText("Crypto")).click();
        wait(10).until(ExpectedConditions.urlToBe(demo.base + "/crypto"));
        assertThat(browser.findElement(By.cssSelector("[data-source=kraken] .source-total")).getText())
                .isEqualTo(sumOf(table, "crypto_exchanges"));
        assertThat(browser.findElement(By.cssSelector("[data-source=kraken] .source-left-out")).getText())
                .contains("1 without a price (XTZ)");
        browser.findElement(By.linkText("Brokers")).click();
        wait(10).until(ExpectedConditions.urlToBe(demo.base + "/brokers"));
        WebElement ibkr = browser.findElements(By.cssSelector("section.source")).stream()
                .filter(e -> e.getText().contains("SAP")).findFirst().orElseThrow();
        assertThat(ibkr.findElement(By.cssSelector(".source-total")).getText()).isEqualTo(sumOf(table, "ibkr"));
        // EUR cash and SAP are valued at the rate IBKR's ledger reported, as `value` values them
        assertThat(ibkr.findElements(By.cssSelector(".source-left-out"))).isEmpty();
        assertThat(ibkr.getText()).contains("3,399.31");
        WebElement schwab = browser.findElements(By.cssSelector("section.source")).stream()
                .filter(e -> e.getText().contains("SMPLX")).findFirst().orElseThrow();
        assertThat(schwab.getText()).contains("x100").contains("-125.00");
        assertThat(schwab.findElement(By.cssSelector(".source-total")).getText()).isEqualTo(sumOf(table, "schwab"));
    }

    @Test
    void theDashboardsNetWorthIsValuesTotalAndEachAllocationAddsUpToIt() {
        String printed = demo.output();
        String table = printed.substring(printed.indexOf("Valued holdings"), printed.indexOf("Requests served"));
        String totalLine = table.lines().filter(l -> l.startsWith("Total USD ")).findFirst().orElseThrow();
        String total = totalLine.substring("Total USD ".length(), totalLine.indexOf(" of "));
        browser.get(demo.startUrl().toString());
        assertThat(browser.findElement(By.id("net-worth")).getText()).isEqualTo("USD " + total);
        assertThat(totalLine).contains(browser.findElement(By.id("net-worth-left-out")).getText()
                .substring("Left out: ".length()));
        BigDecimal netWorth = new BigDecimal(total.replace(",", ""));
        List<WebElement> tables = browser.findElements(By.cssSelector("table.allocation-table"));
        assertThat(tables).extracting(t -> t.getAttribute("id")).containsExactly("by-class", "by-account",
                "by-currency");
        for (WebElement t : tables) {
            List<WebElement> slices = t.findElements(By.cssSelector("tr.slice"));
            assertThat(slices).as(t.getAttribute("id")).hasSizeGreaterThan(1);
            BigDecimal sum = slices.stream().map(r -> new BigDecimal(r.getAttribute("data-value")))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(sum).as(t.getAttribute("id")).isEqualByComparingTo(netWorth);
            // the table shows what the chart draws: the shown figures are the data's, grouped
            BigDecimal shown = slices.stream().map(r -> new BigDecimal(r.findElements(By.tagName("td")).get(1)
                    .getText().replace(",", ""))).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(shown).as(t.getAttribute("id")).isEqualByComparingTo(netWorth);
        }
        // Chart.js drew each chart from its table (a canvas with a chart attached)
        wait(10).until(d -> Boolean.TRUE.equals(js(d, "return typeof Chart !== 'undefined' && "
                + "Array.from(document.querySelectorAll('canvas.bar-chart')).every(c => Chart.getChart(c))")));
        // the accounts are the account allocation's parts, named as everywhere else
        List<String> accounts = browser.findElements(By.cssSelector("tr.account td:first-child")).stream()
                .map(WebElement::getText).toList();
        assertThat(accounts).contains("kraken").noneMatch(a -> a.contains("7654321"));
        // the base-currency switch values the same holdings in EUR through FX
        new Select(browser.findElement(By.id("currency"))).selectByValue("EUR");
        browser.findElement(By.id("currency-apply")).click();
        wait(20).until(ExpectedConditions.urlContains("currency=EUR"));
        assertThat(browser.findElement(By.id("net-worth")).getText()).startsWith("EUR ");
    }

    /** Each page at a desktop's, a small laptop's and a phone's width; the 1,400 and 390 px views are saved. */
    @Test
    void theValueOverTimeHasAPointPerDayOfTheDemosHistoryEndingOnTodaysNetWorth() throws Exception {
        String printed = demo.output();
        String table = printed.substring(printed.indexOf("Valued holdings"), printed.indexOf("Requests served"));
        String totalLine = table.lines().filter(l -> l.startsWith("Total USD ")).findFirst().orElseThrow();
        BigDecimal netWorth = new BigDecimal(totalLine.substring("Total USD ".length(), totalLine.indexOf(" of "))
                .replace(",", ""));
        java.time.LocalDate first;
        Path db;
        try (var files = Files.walk(demoDir)) {
            db = files.filter(f -> f.getFileName().toString().endsWith(".db")).findFirst().orElseThrow();
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement();
             var rs = st.executeQuery("SELECT MIN(trade_date) FROM transactions")) {
            rs.next();
            first = java.time.LocalDate.parse(rs.getString(1).substring(0, 10));
        }
        browser.get(demo.startUrl().toString());
        wait(60).until(d -> "true".equals(js(d, "var s = document.getElementById('history-status');"
                + "return s && s.dataset.loaded")));
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> data = (java.util.Map<String, Object>) ((JavascriptExecutor) browser)
                .executeAsyncScript("var done = arguments[arguments.length - 1];"
                        + "fetch('/history.json').then(function (r) { return r.json(); }).then(done);");
        @SuppressWarnings("unchecked")
        List<java.util.Map<String, Object>> points = (List<java.util.Map<String, Object>>) data.get("points");
        java.time.LocalDate today = java.time.LocalDate.now();
        assertThat(points.get(0).get("day")).isEqualTo(first.toString());
        assertThat(points).hasSize((int) java.time.temporal.ChronoUnit.DAYS.between(first, today) + 1);
        for (int i = 0; i < points.size(); i++) {
            assertThat(points.get(i).get("day")).isEqualTo(first.plusDays(i).toString());
        }
        assertThat(new BigDecimal((String) points.get(points.size() - 1).get("value")))
                .isEqualByComparingTo(netWorth);
        // a day without a price is a null value (a gap), never a 0; the chart says how many there are
        long gaps = points.stream().filter(p -> p.get("value") == null).count();
        assertThat(points).allSatisfy(p -> assertThat(p).containsKey("value"));
        if (gaps > 0) {
            assertThat(browser.findElement(By.id("history-gaps")).getText())
                    .contains(String.format(java.util.Locale.US, "%,d of %,d days", gaps, points.size()));
        }
        // the chart drew every day (gaps included); the table view lists the same days
        assertThat(js(browser, "return document.getElementById('history-chart').dataset.points"))
                .isEqualTo(String.valueOf(points.size()));
        browser.findElement(By.id("history-table-link")).click();
        wait(10).until(ExpectedConditions.urlContains("/history"));
        // a quarter a page, newest first: today's row is the net worth, the next page goes on the day before
        List<WebElement> days = browser.findElements(By.cssSelector("#history-table tr.day"));
        assertThat(days).hasSize(Math.min(92, points.size()));
        assertThat(days.get(0).findElements(By.tagName("td")).get(0).getText()).isEqualTo(today.toString());
        assertThat(days.get(0).findElements(By.tagName("td")).get(1).getText())
                .isEqualTo(io.foliosync.examples.valuation.HoldingValues.money(netWorth));
        browser.findElement(By.id("history-older")).click();
        assertThat(browser.findElement(By.cssSelector("#history-table tr.day td")).getText())
                .isEqualTo(today.minusDays(92).toString());
    }

    @Test
    void noPageScrollsSidewaysAt800Or390PixelsWide() throws IOException {
        browser.get(demo.startUrl().toString());
        try {
            for (int width : new int[] {1400, 800, 390}) {
                viewport(width, 900);
                for (String page : PAGES) {
                    browser.get(demo.base + "/" + page);
                    assertThat(js(browser, "return window.innerWidth")).as(page).isEqualTo((long) width);
                    Object overflow = js(browser, "return document.documentElement.scrollWidth - "
                            + "document.documentElement.clientWidth");
                    assertThat(((Number) overflow).longValue()).as("/" + page + " at " + width + " px scrolls sideways by")
                            .isLessThanOrEqualTo(0);
                    if (width != 800) {
                        if (page.isEmpty()) { // the chart is drawn once its data arrived
                            wait(60).until(d -> "true".equals(js(d, "return document.getElementById("
                                    + "'history-status').dataset.loaded")));
                        }
                        long height = ((Number) js(browser, "return document.documentElement.scrollHeight")).longValue();
                        viewport(width, (int) Math.min(Math.max(height, 600), 5000));
                        screenshot((page.isEmpty() ? "dashboard" : page) + "-" + width);
                        viewport(width, 900);
                    }
                }
            }
        } finally {
            resetViewport();
        }
    }

    @Test
    void axeCoreFindsNoSeriousOrCriticalViolationOnAnyPage() throws IOException {
        String axe;
        try (var in = getClass().getClassLoader()
                .getResourceAsStream("META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
            assertThat(in).as("axe-core webjar on the test class path").isNotNull();
            axe = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        browser.get(demo.startUrl().toString());
        List<String> found = new java.util.ArrayList<>();
        List<String> pages = new java.util.ArrayList<>(PAGES);
        pages.add("no-such-page");
        for (String page : pages) {
            browser.get(demo.base + "/" + page);
            // injected through the driver, not the page: the console's CSP rightly refuses any other script
            js(browser, axe);
            Object r = ((JavascriptExecutor) browser).executeAsyncScript("var done = arguments[arguments.length - 1];"
                    + "axe.run(document).then(function (r) { done(r.violations.filter(function (v) {"
                    + "return v.impact === 'serious' || v.impact === 'critical'; }).map(function (v) {"
                    + "return v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.slice(0, 3).map(function (n) {"
                    + "return n.target.join(' '); }).join(', '); })); }, function (e) { done(['axe failed: ' + e]); });");
            @SuppressWarnings("unchecked")
            List<String> violations = (List<String>) r;
            violations.forEach(v -> found.add("/" + page + ": " + v));
        }
        assertThat(found).isEmpty();
    }

    /** Every page of the console, as the navigation links them. */
    static final List<String> PAGES = List.of("", "crypto", "brokers", "plugins", "jobs", "holdings", "transactions",
            "reconciliation", "history");

    private static void viewport(int width, int height) {
        ((ChromeDriver) browser).executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of("width",
                width, "height", height, "deviceScaleFactor", 1, "mobile", width < 500));
    }

    private static void resetViewport() {
        ((ChromeDriver) browser).executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
    }

    /**
     * @return a cell of value's printed table: a text column's cell starts under its header and runs to the next
     *         column's; a number is right-aligned, ending under its header, so it is the last token before that end
     */
    private static String cell(String table, String line, String column, String next) {
        String header = table.lines().filter(l -> l.startsWith("source ")).findFirst().orElseThrow();
        if (next.startsWith("value_")) {
            int end = Math.min(header.indexOf(" " + next) + next.length() + 1, line.length());
            String[] tokens = line.substring(header.indexOf(" " + column + " ") + 1, end).trim().split("\\s+");
            String last = tokens[tokens.length - 1];
            return last.matches("-?[0-9]+(\\.[0-9]+)?") ? last : "";
        }
        int from = column.equals("source") ? 0 : header.indexOf(" " + column + " ") + 1;
        int to = header.indexOf(" " + next + " ") + 1;
        return line.length() <= from ? "" : line.substring(from, Math.min(to, line.length())).trim();
    }

    /** @return the value column's sum over a source's rows of value's table, as the console formats money */
    private static String sumOf(String table, String source) {
        BigDecimal sum = table.lines().filter(l -> l.startsWith(source + " "))
                .map(l -> cell(table, l, "fx_source", "value_usd")).filter(v -> !v.isEmpty()).map(BigDecimal::new)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return io.foliosync.examples.valuation.HoldingValues.money(sum);
    }

    @Test
    void aSyncStartedFromTheJobsPageIsWatchedToItsEndWithoutReloading() throws IOException {
        browser.get(demo.startUrl().toString());
        browser.get(demo.base + "/jobs");
        // the event stream is open before the sync starts
        wait(10).until(d -> js(d, "return document.querySelector('#progress').getAttribute('sse-connect') != null "
                + "&& typeof htmx !== 'undefined'"));
        js(browser, "window.consoleTestMarker = 'same page';");
        int finishedBefore = browser.findElements(By.cssSelector(".finished-job")).size();
        int historyBefore = browser.findElements(By.cssSelector("tr.history-job")).size();
        new Select(browser.findElement(By.id("sync-source"))).selectByVisibleText("kraken");
        browser.findElement(By.id("sync-start")).click();

        wait(30).until(d -> d.findElements(By.cssSelector(".finished-job")).size() > finishedBefore);
        WebElement finished = browser.findElements(By.cssSelector(".finished-job")).get(0);
        assertThat(finished.getText()).startsWith("kraken succeeded");
        // the database's job history gained the sync's row in the same redraw
        List<WebElement> history = browser.findElements(By.cssSelector("tr.history-job"));
        assertThat(history.size()).isEqualTo(Math.min(50, historyBefore + 1));
        assertThat(history.get(0).getText()).startsWith("kraken").contains("succeeded");
        // htmx posted the form and the server-sent event redrew the panel: the page itself never reloaded
        assertThat(js(browser, "return window.consoleTestMarker")).isEqualTo("same page");
        screenshot("jobs-after-sync");
    }

    @Test
    void transactionsAreFilteredAndPaged() throws IOException {
        browser.get(demo.startUrl().toString());
        browser.get(demo.base + "/transactions?size=10");
        assertThat(browser.findElements(By.cssSelector("tr.tx"))).hasSize(10);
        browser.findElement(By.id("tx-next")).click();
        assertThat(browser.findElements(By.cssSelector("tr.tx"))).isNotEmpty();
        assertThat(browser.findElement(By.id("tx-first")).isDisplayed()).isTrue();

        browser.get(demo.base + "/transactions");
        browser.findElement(By.id("f-symbol")).sendKeys("btc");
        new Select(browser.findElement(By.id("f-source"))).selectByVisibleText("crypto_exchanges");
        browser.findElement(By.id("f-apply")).click();
        wait(10).until(ExpectedConditions.urlContains("symbol=btc"));
        List<WebElement> symbols = browser.findElements(By.cssSelector("tr.tx td.symbol"));
        assertThat(symbols).isNotEmpty().allSatisfy(td -> assertThat(td.getText()).isEqualTo("BTC"));
        assertThat(browser.findElement(By.id("f-symbol")).getAttribute("value")).isEqualTo("BTC");
        screenshot("transactions-filtered");
    }

    @Test
    void aPluginJarIsInstalledThroughTheFileInput() throws Exception {
        try (ServeFixture serve = new ServeFixture(serveDir)) {
            browser.get(serve.console.startUrl().toString());
            browser.get(serve.console.base + "/plugins");
            Path jar = ServeFixture.shippedPlugin("bank-plugin-template.jar").toAbsolutePath();
            browser.findElement(By.id("plugin-jar")).sendKeys(jar.toString());
            browser.findElement(By.id("plugin-install")).click();
            wait(20).until(ExpectedConditions.presenceOfElementLocated(By.id("plugin-template")));
            assertThat(browser.findElement(By.id("note")).getText()).startsWith("installed template");
            assertThat(serve.plugins.resolve("bank-plugin-template.jar")).exists();
            screenshot("plugins-installed");
        }
    }

    @Test
    void aSchwabAuthorizationCompletesThroughTheConsolesOwnCallback() throws Exception {
        try (ServeFixture serve = new ServeFixture(serveDir)) {
            browser.get(serve.console.startUrl().toString());
            browser.get(serve.console.base + "/brokers");
            assertThat(browser.findElement(By.id("schwab-expiry")).getText()).contains("not authorized");
            browser.findElement(By.id("schwab-connect")).click();
            // the stand-in's sign-in page: the form's redirect there was allowed by the console's policy
            wait(10).until(ExpectedConditions.titleContains("Schwab sign-in"));
            assertThat(browser.getCurrentUrl()).startsWith(serve.schwab.baseUrl() + "/v1/oauth/authorize");
            browser.findElement(By.id("allow")).click();
            wait(20).until(ExpectedConditions.urlToBe(serve.console.base + "/brokers"));
            assertThat(browser.findElement(By.id("note")).getText()).startsWith("Schwab authorized until");
            assertThat(browser.findElement(By.id("schwab-expiry")).getText()).doesNotContain("not authorized")
                    .contains("7 days");
            assertThat(serve.schwab.tokenRequests).hasSize(1);
            assertThat(browser.getPageSource()).doesNotContain(SchwabStandIn.ACCESS)
                    .doesNotContain(SchwabStandIn.REFRESH);
            screenshot("brokers-schwab-connected");
        }
    }

    // ---------------------------------------------------------------------------------- helpers

    private void screenshot(String name) throws IOException {
        Path dir = Path.of(System.getProperty("console.screenshots", "target/console-screenshots"));
        Files.createDirectories(dir);
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private WebDriverWait wait(int seconds) {
        WebDriverWait w = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        w.withMessage(() -> "on " + browser.getCurrentUrl() + ": " + abbreviate(browser.getPageSource()));
        return w;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 3000 ? s.substring(0, 3000) + "…" : s;
    }

    private static Object js(WebDriver d, String script) {
        return ((JavascriptExecutor) d).executeScript(script);
    }

    private static Optional<Path> executable(String env, String... candidates) {
        String fromEnv = System.getenv(env);
        if (fromEnv != null && Files.isExecutable(Path.of(fromEnv))) {
            return Optional.of(Path.of(fromEnv));
        }
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return Optional.of(Path.of(c));
            }
        }
        return Optional.empty();
    }
}
