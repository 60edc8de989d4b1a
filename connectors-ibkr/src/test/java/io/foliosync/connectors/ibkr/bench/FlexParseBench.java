package io.foliosync.connectors.ibkr.bench;

import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.ibkr.FlexStatementParser;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

/**
 * Parses generated Flex statements of 100,000 and 400,000 trades (rows shaped like the samples in
 * src/test/resources/ibkr/flex) and reports trades/s against a baseline measured in the same run — a bare
 * StAX pass that only counts {@code <Trade>} elements — plus heap: the peak sampled while parsing (garbage
 * included) and the live heap after a forced GC every 25,000 trades (what the parser retains).
 *
 * <pre>
 * ./mvnw -q -pl connectors-ibkr exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.foliosync.connectors.ibkr.bench.FlexParseBench
 * </pre>
 * Not a test: nothing here asserts a time.
 */
public final class FlexParseBench {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private FlexParseBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("flex-bench");
        try {
            int[] sizes = {100_000, 400_000};
            System.out.printf("java %s, %d cpus, max heap %d MB%n", System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            for (int n : sizes) {
                Path file = dir.resolve("flex-" + n + ".xml");
                generate(file, n);
                // warm-up on the same file, then measure
                baseline(file);
                parse(file, false);
                long b0 = System.nanoTime();
                long counted = baseline(file);
                double baseSeconds = (System.nanoTime() - b0) / 1e9;
                long p0 = System.nanoTime();
                Result r = parse(file, true);
                double parseSeconds = (System.nanoTime() - p0) / 1e9;
                Result timed = parse(file, false);
                long t0 = System.nanoTime();
                parse(file, false);
                double cleanSeconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%,d trades, file %,d MB: baseline StAX count %,d in %.2f s (%,.0f trades/s); "
                                + "FlexStatementParser %,d in %.2f s (%,.0f trades/s) = %.2fx baseline time; "
                                + "peak sampled heap %d MB; live heap after GC during parse max %d MB%n",
                        n, Files.size(file) >> 20, counted, baseSeconds, counted / baseSeconds, timed.count,
                        cleanSeconds, timed.count / cleanSeconds, cleanSeconds / baseSeconds, r.peakSampled >> 20,
                        r.maxLiveAfterGc >> 20);
                Files.delete(file);
            }
        } finally {
            try (var s = Files.list(dir)) {
                s.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }

    record Result(long count, long peakSampled, long maxLiveAfterGc) {
    }

    static Result parse(Path file, boolean measureHeap) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        if (measureHeap) {
            System.gc();
            sampler.setDaemon(true);
            sampler.start();
        }
        long count = 0;
        long maxLive = 0;
        long nextGc = 25_000;
        try (PagedResult<Transaction> result = FlexStatementParser.create().transactions(file)) {
            for (Page<Transaction> page : result) {
                count += page.items().size();
                if (measureHeap && count >= nextGc) {
                    nextGc += 25_000;
                    System.gc();
                    maxLive = Math.max(maxLive, MEMORY.getHeapMemoryUsage().getUsed());
                }
            }
        }
        running.set(false);
        if (measureHeap) {
            sampler.join();
        }
        return new Result(count, peak.get(), maxLive);
    }

    static long baseline(Path file) throws Exception {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        long n = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            XMLStreamReader r = f.createXMLStreamReader(in);
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("Trade")) {
                    n++;
                }
            }
            r.close();
        }
        return n;
    }

    /** Writes a statement of {@code n} execution-level trades in the samples' layout, varied per row. */
    static void generate(Path file, int n) throws IOException {
        String[][] symbols = {{"MSFT", "272093", "USD", "NASDAQ"}, {"SAP", "14204", "EUR", "IBIS"},
                {"AAPL", "265598", "USD", "NASDAQ"}, {"NESN", "100002", "CHF", "EBS"}};
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("<FlexQueryResponse queryName=\"bench\" type=\"AF\">\n<FlexStatements count=\"1\">\n");
            w.write("<FlexStatement accountId=\"U7654321\" fromDate=\"20200101\" toDate=\"20241231\" period=\"\" "
                    + "whenGenerated=\"20250102;063015\">\n");
            w.write("<AccountInformation accountId=\"U7654321\" currency=\"USD\" />\n<Trades>\n");
            for (int i = 0; i < n; i++) {
                String[] s = symbols[i % symbols.length];
                boolean buy = i % 3 != 0;
                int day = 1 + i % 28;
                int month = 1 + (i / 28) % 12;
                int qty = 1 + i % 50;
                String price = (100 + i % 400) + "." + (i % 100);
                w.write("<Trade accountId=\"U7654321\" acctAlias=\"Sample IRA\" model=\"\" currency=\"" + s[2]
                        + "\" fxRateToBase=\"1\" assetCategory=\"STK\" subCategory=\"COMMON\" symbol=\"" + s[0]
                        + "\" description=\"" + s[0] + " COMMON\" conid=\"" + s[1] + "\" securityID=\"\" "
                        + "securityIDType=\"\" cusip=\"\" isin=\"\" listingExchange=\"" + s[3] + "\" "
                        + "underlyingConid=\"\" underlyingSymbol=\"\" issuer=\"\" multiplier=\"1\" strike=\"\" "
                        + "expiry=\"\" tradeID=\"" + (900_000_000L + i) + "\" putCall=\"\" reportDate=\"2024"
                        + two(month) + two(day) + "\" principalAdjustFactor=\"\" dateTime=\"2024" + two(month)
                        + two(day) + ";1" + (i % 6) + "3" + (i % 6) + "0" + (i % 10) + "\" tradeDate=\"2024"
                        + two(month) + two(day) + "\" settleDateTarget=\"\" transactionType=\"ExchTrade\" "
                        + "exchange=\"" + s[3] + "\" quantity=\"" + (buy ? "" : "-") + qty + "\" tradePrice=\""
                        + price + "\" tradeMoney=\"0\" proceeds=\"" + (buy ? "-" : "") + qty + "00.5\" taxes=\"0\" "
                        + "ibCommission=\"-1.25\" ibCommissionCurrency=\"" + s[2] + "\" netCash=\"0\" "
                        + "closePrice=\"0\" openCloseIndicator=\"O\" notes=\"\" cost=\"0\" fifoPnlRealized=\"0\" "
                        + "mtmPnl=\"0\" transactionID=\"" + (2_000_000_000L + i) + "\" buySell=\""
                        + (buy ? "BUY" : "SELL") + "\" ibOrderID=\"" + (600_000_000L + i) + "\" ibExecID=\"0000e1a2."
                        + Integer.toHexString(i) + ".01.01\" orderTime=\"\" levelOfDetail=\"EXECUTION\" "
                        + "orderType=\"LMT\" isAPIOrder=\"N\" />\n");
            }
            w.write("</Trades>\n</FlexStatement>\n</FlexStatements>\n</FlexQueryResponse>\n");
        }
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }
}
