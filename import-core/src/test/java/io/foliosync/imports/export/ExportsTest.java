package io.foliosync.imports.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.json.Json;
import io.foliosync.imports.FakeConnector;
import io.foliosync.imports.ImportOrchestrator;
import io.foliosync.imports.TestDatabases;
import io.foliosync.imports.Tx;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.store.PortfolioStore;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** Issue 28: the exports, each read back with the rules of the tool that imports it. */
class ExportsTest {
    /**
     * Portfolio Performance's CSV import, as its source defines it (name.abuchen.portfolio: messages.properties
     * CSVColumn_*, labels.properties account.* and portfolio.*, CSVImporter's date and amount formats): the column
     * names its dialog maps by, the type names its enum fields parse, and the formats it offers.
     */
    static final Set<String> PP_ACCOUNT_COLUMNS = Set.of("Date", "Time", "ISIN", "Ticker Symbol", "WKN", "Value",
            "Transaction Currency", "Type", "Security Name", "Shares", "Note", "Taxes", "Fees", "Cash Account",
            "Offset Account", "Securities Account", "Gross Amount", "Currency Gross Amount", "Exchange Rate");
    static final Set<String> PP_PORTFOLIO_COLUMNS = Set.of("Date", "Time", "ISIN", "Ticker Symbol", "WKN",
            "Security Name", "Value", "Transaction Currency", "Fees", "Taxes", "Gross Amount",
            "Currency Gross Amount", "Exchange Rate", "Shares", "Type", "Note", "Cash Account", "Securities Account",
            "Offset securities account");
    static final Set<String> PP_ACCOUNT_TYPES = Set.of("Deposit", "Withdrawal", "Interest", "Interest Charge",
            "Dividend", "Fees", "Fees Refund", "Taxes", "Tax Refund", "Buy", "Sell", "Transfer (Inbound)",
            "Transfer (Outbound)");
    static final Set<String> PP_PORTFOLIO_TYPES = Set.of("Buy", "Sell", "Transfer (Inbound)", "Transfer (Outbound)",
            "Delivery (Inbound)", "Delivery (Outbound)");
    /** "0,000.00", written without grouping. */
    static final Pattern PP_AMOUNT = Pattern.compile("^\\d+(\\.\\d+)?$");

    @TempDir
    Path dir;

    private PortfolioStore store;

    private static Transaction.Builder cash(String id, TransactionType type, int minute, String amount) {
        return Transaction.builder().date(Tx.T0.plusSeconds(60L * minute)).type(type).quantity(new BigDecimal(amount))
                .amount(new BigDecimal(amount)).currency("USD").sourceId(id).accountId("ACC-1").source("src");
    }

    @BeforeEach
    void history() {
        store = PortfolioStore.open(DatabaseSettings.sqlite(dir.resolve("db.sqlite")));
        FakeConnector src = new FakeConnector("src");
        src.pageSize = 100;
        src.transactions = List.of(
                cash("D1", TransactionType.DEPOSIT, 0, "10000").build(),
                Tx.buy("src", "B1", 1).description("=HYPERLINK(\"http://x\",\"click\")").build(),
                Tx.buy("src", "B2", 2).fees(new BigDecimal("0.5")).build(),
                Tx.buy("src", "S1", 3).type(TransactionType.SELL).build(),
                Tx.dividend("src", 4).toBuilder().sourceId("V1").build(),
                cash("I1", TransactionType.INTEREST, 5, "0.87").build(),
                cash("F1", TransactionType.FEE, 6, "10").description("+cmd|' /C calc'!A0").build(),
                cash("W1", TransactionType.WITHDRAWAL, 7, "500").description("-2+3").build(),
                cash("X1", TransactionType.TAX, 8, "1.5").description("@SUM(A1)").build(),
                Tx.buy("src", "T1", 9).type(TransactionType.TRANSFER_IN).symbol("MSFT").amount(BigDecimal.ZERO)
                        .attribute(Transaction.AMOUNT_NOT_REPORTED, "true").fees(BigDecimal.ZERO).build());
        try (ImportOrchestrator sync = ImportOrchestrator.builder(store)
                .addConnector(src).build()) {
            assertThat(sync.sync("src").complete()).isTrue();
        }
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        store.close();
    }

    /** RFC 4180, as PP's and any spreadsheet's CSV reader takes it. */
    static List<Map<String, String>> readCsv(Path file) throws Exception {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                cell.append(c);
            }
        }
        assertThat(cell.length()).as("the file ends with a line end").isZero();
        List<String> header = rows.get(0);
        List<Map<String, String>> out = new ArrayList<>();
        for (List<String> r : rows.subList(1, rows.size())) {
            assertThat(r).hasSameSizeAs(header);
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                m.put(header.get(i), r.get(i));
            }
            out.add(m);
        }
        return out;
    }

    private static List<String> header(Path file) throws Exception {
        return List.of(Files.readAllLines(file).get(0).split(","));
    }

    @Test
    void portfolioPerformanceFilesUseItsColumnsTypesAndFormatsAndHoldEveryRecordOnce() throws Exception {
        List<Path> files = Exports.of(store).portfolioPerformance(dir.resolve("pp"), ExportFilter.ALL);
        assertThat(files).extracting(f -> f.getFileName().toString()).containsExactly(
                "src_ACC-1.account-transactions.csv", "src_ACC-1.portfolio-transactions.csv");
        assertThat(PP_ACCOUNT_COLUMNS).containsAll(header(files.get(0)));
        assertThat(PP_PORTFOLIO_COLUMNS).containsAll(header(files.get(1)));

        List<Map<String, String>> account = readCsv(files.get(0));
        List<Map<String, String>> portfolio = readCsv(files.get(1));
        for (Map<String, String> r : account) {
            assertThat(PP_ACCOUNT_TYPES).contains(r.get("Type"));
        }
        for (Map<String, String> r : portfolio) {
            assertThat(PP_PORTFOLIO_TYPES).contains(r.get("Type"));
        }
        for (Map<String, String> r : concat(account, portfolio)) {
            LocalDate.parse(r.get("Date"), DateTimeFormatter.ofPattern("yyyy-MM-dd"));
            LocalTime.parse(r.get("Time"), DateTimeFormatter.ofPattern("HH:mm"));
            assertThat(r.get("Value")).matches(PP_AMOUNT);
            for (String n : List.of("Shares", "Fees", "Taxes")) {
                if (!r.getOrDefault(n, "").isEmpty()) {
                    assertThat(r.get(n)).matches(PP_AMOUNT);
                }
            }
            assertThat(r.get("Cash Account")).isEqualTo("src/ACC-1");
        }
        // every record of the account in exactly one of the two files, found by the id in its note
        List<String> ids = concat(account, portfolio).stream().map(r -> r.get("Note").split(" ")[1]).toList();
        assertThat(ids).containsExactlyInAnyOrder("D1", "B1", "B2", "S1", "V1", "I1", "F1", "W1", "X1", "T1");
        assertThat(account).extracting(r -> r.get("Type")).containsExactly("Deposit", "Dividend", "Interest", "Fees",
                "Withdrawal", "Taxes");
        assertThat(portfolio).extracting(r -> r.get("Type")).containsExactly("Buy", "Buy", "Sell",
                "Delivery (Inbound)");
        // a buy's Value is what the cash account paid: price plus fees
        Map<String, String> b2 = portfolio.get(1);
        assertThat(new BigDecimal(b2.get("Value"))).isEqualByComparingTo("301.00");
        assertThat(new BigDecimal(b2.get("Fees"))).isEqualByComparingTo("0.5");
        assertThat(new BigDecimal(b2.get("Shares"))).isEqualByComparingTo("2");
        assertThat(b2.get("Ticker Symbol")).isEqualTo("AAPL");
        // a delivery whose amount the source did not report is valued at its price
        assertThat(new BigDecimal(portfolio.get(3).get("Value"))).isEqualByComparingTo("300.50");
    }

    private static List<Map<String, String>> concat(List<Map<String, String>> a, List<Map<String, String>> b) {
        List<Map<String, String>> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void csvHoldsEveryRecordAndNoCellASpreadsheetWouldRun() throws Exception {
        Path file = Exports.of(store).csv(dir.resolve("csv"), ExportFilter.ALL);
        List<Map<String, String>> rows = readCsv(file);
        assertThat(header(file)).isEqualTo(Exports.CSV_COLUMNS);
        assertThat(rows).hasSize(10);
        for (Map<String, String> r : rows) {
            for (String cell : r.values()) {
                assertThat(cell).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("-")
                        .doesNotStartWith("@").doesNotStartWith("\t").doesNotStartWith("\r");
            }
        }
        Map<String, String> b1 = rows.stream().filter(r -> r.get("record_id").equals("B1")).findFirst().orElseThrow();
        assertThat(b1.get("description")).isEqualTo("'=HYPERLINK(\"http://x\",\"click\")");
        assertThat(rows.stream().filter(r -> r.get("record_id").equals("W1")).findFirst().orElseThrow()
                .get("description")).isEqualTo("'-2+3");
        assertThat(new BigDecimal(b1.get("amount"))).isEqualByComparingTo("300.50");

        Path from = Exports.of(store).csv(dir.resolve("csv-window"), new ExportFilter(Optional.of("src"),
                Optional.of(LocalDate.parse("2024-03-01")), Optional.of(LocalDate.parse("2024-03-01"))));
        assertThat(readCsv(from)).hasSize(10);
        Path none = Exports.of(store).csv(dir.resolve("csv-none"), new ExportFilter(Optional.of("other"),
                Optional.empty(), Optional.empty()));
        assertThat(readCsv(none)).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonHoldsEveryRecordWithExactDecimals() throws Exception {
        Path file = Exports.of(store).json(dir.resolve("json"), ExportFilter.ALL);
        List<Object> rows = (List<Object>) Json.readTree(Files.readString(file));
        assertThat(rows).hasSize(10);
        Map<String, Object> v1 = rows.stream().map(o -> (Map<String, Object>) o)
                .filter(m -> m.get("record_id").equals("V1")).findFirst().orElseThrow();
        assertThat(v1.get("amount")).isEqualTo(new BigDecimal("12.34"));
        assertThat(v1.get("type")).isEqualTo("DIVIDEND");
        assertThat(v1).doesNotContainKey("price");
    }

    @Test
    void ofxIsWellFormedXmlWithAStatementOfTheAccountsRecords() throws Exception {
        Path file = Exports.of(store).ofx(dir.resolve("ofx"), ExportFilter.ALL);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(Files.readString(file))));
        assertThat(doc.getElementsByTagName("INVSTMTRS").getLength()).isEqualTo(1);
        assertThat(doc.getElementsByTagName("BUYSTOCK").getLength()).isEqualTo(2);
        assertThat(doc.getElementsByTagName("SELLSTOCK").getLength()).isEqualTo(1);
        assertThat(doc.getElementsByTagName("INCOME").getLength()).isEqualTo(1);
        assertThat(doc.getElementsByTagName("TRANSFER").getLength()).isEqualTo(1);
        assertThat(doc.getElementsByTagName("INVBANKTRAN").getLength()).isEqualTo(5);
        assertThat(doc.getElementsByTagName("FITID").getLength()).isEqualTo(10);
        assertThat(doc.getElementsByTagName("ACCTID").item(0).getTextContent()).isEqualTo("ACC-1");
        // a buy's total leaves the account: negative, price plus fees
        assertThat(new BigDecimal(((org.w3c.dom.Element) doc.getElementsByTagName("BUYSTOCK").item(1))
                .getElementsByTagName("TOTAL").item(0).getTextContent())).isEqualByComparingTo("-301.00");
    }
}
