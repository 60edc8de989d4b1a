package io.foliosync.examples.bench;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Properties;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

/**
 * The CLI bench's baseline (not a test): the rows of a Flex statement inserted straight into a migrated
 * {@code transactions} table, as a process of its own like the CLI. A streaming (StAX) read of the file, for each
 * {@code <Trade>} and {@code <CashTransaction>} the row the store would hold (the source's transaction id as
 * identity, a SHA-256 content hash, amounts and dates as the store writes them), bound into batches of 1,000, one
 * transaction each; SQLite with the store's pragmas (WAL, synchronous NORMAL, 64 MiB cache), PostgreSQL with its
 * driver properties (multi-row inserts). No duplicate lookup, validation, normalization or job bookkeeping.
 *
 * <pre>java -cp foliosync.jar:examples/target/test-classes io.foliosync.examples.bench.RawFlexInsert FILE JDBC_URL [SCHEMA]</pre>
 */
public final class RawFlexInsert {
    private static final DateTimeFormatter FLEX_TIME = DateTimeFormatter.ofPattern("yyyyMMdd;HHmmss");
    private static final DateTimeFormatter FLEX_DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private RawFlexInsert() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String url = args[1];
        boolean sqlite = url.startsWith("jdbc:sqlite:");
        Properties p = new Properties();
        if (sqlite) {
            p.setProperty("journal_mode", "WAL");
            p.setProperty("synchronous", "NORMAL");
            p.setProperty("cache_size", "-65536");
        } else {
            p.setProperty("user", "postgres");
            p.setProperty("reWriteBatchedInserts", "true");
            p.setProperty("currentSchema", args[2]);
        }
        long rows = 0;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        String now = TS.format(Instant.now());
        try (Connection c = DriverManager.getConnection(url, p);
             InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            c.setAutoCommit(false);
            XMLInputFactory f = XMLInputFactory.newFactory();
            f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            XMLStreamReader r = f.createXMLStreamReader(in);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO transactions (source_type, source_name, "
                    + "source_id, account_id, date, trade_date, symbol, name, transaction_type, quantity, price, "
                    + "amount, currency, fees, fee_currency, description, raw_type, attributes, content_hash, job_id, "
                    + "imported_at, updated_at, portfolio_id) VALUES (?, ?, ?, ?, "
                    + (sqlite ? "?, ?" : "CAST(? AS TIMESTAMPTZ), CAST(? AS DATE)")
                    + ", ?, ?, ?, " + (sqlite ? "?, ?, ?" : "CAST(? AS NUMERIC), CAST(? AS NUMERIC), CAST(? AS NUMERIC)")
                    + ", ?, " + (sqlite ? "?" : "CAST(? AS NUMERIC)") + ", ?, ?, ?, '{}', ?, 1, "
                    + (sqlite ? "?, ?" : "CAST(? AS TIMESTAMPTZ), CAST(? AS TIMESTAMPTZ)") + ", 'default')")) {
                while (r.hasNext()) {
                    if (r.next() != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    String element = r.getLocalName();
                    boolean trade = element.equals("Trade");
                    if (!trade && !element.equals("CashTransaction")) {
                        continue;
                    }
                    StringBuilder all = new StringBuilder();
                    for (int i = 0; i < r.getAttributeCount(); i++) {
                        all.append(r.getAttributeValue(i)).append('\u001f');
                    }
                    String hash = HexFormat.of().formatHex(sha.digest(all.toString().getBytes(StandardCharsets.UTF_8)));
                    Instant at = LocalDateTime.parse(r.getAttributeValue(null, "dateTime"), FLEX_TIME)
                            .toInstant(ZoneOffset.UTC);
                    LocalDate day = LocalDate.parse(trade ? r.getAttributeValue(null, "tradeDate")
                            : r.getAttributeValue(null, "reportDate"), FLEX_DATE);
                    ps.setString(1, "BROKER");
                    ps.setString(2, "ibkr");
                    ps.setString(3, r.getAttributeValue(null, "transactionID"));
                    ps.setString(4, r.getAttributeValue(null, "accountId"));
                    ps.setString(5, TS.format(at));
                    ps.setString(6, day.toString());
                    ps.setString(7, r.getAttributeValue(null, "symbol"));
                    ps.setString(8, r.getAttributeValue(null, "description"));
                    if (trade) {
                        boolean buy = "BUY".equals(r.getAttributeValue(null, "buySell"));
                        ps.setString(9, buy ? "BUY" : "SELL");
                        ps.setString(10, r.getAttributeValue(null, "quantity").replace("-", ""));
                        ps.setString(11, r.getAttributeValue(null, "tradePrice"));
                        ps.setString(12, r.getAttributeValue(null, "proceeds"));
                        ps.setString(14, r.getAttributeValue(null, "ibCommission").replace("-", ""));
                        ps.setString(15, r.getAttributeValue(null, "ibCommissionCurrency"));
                        ps.setString(17, "ExchTrade");
                    } else {
                        ps.setString(9, "DIVIDEND");
                        ps.setString(10, "0");
                        ps.setString(11, null);
                        ps.setString(12, r.getAttributeValue(null, "amount"));
                        ps.setString(14, "0");
                        ps.setString(15, null);
                        ps.setString(17, r.getAttributeValue(null, "type"));
                    }
                    ps.setString(13, r.getAttributeValue(null, "currency"));
                    ps.setString(16, r.getAttributeValue(null, "description"));
                    ps.setString(18, hash);
                    ps.setString(19, now);
                    ps.setString(20, now);
                    ps.addBatch();
                    if (++rows % 1_000 == 0) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
            r.close();
        }
        System.out.println(rows);
    }
}
