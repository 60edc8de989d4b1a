package io.foliosync.connectors.schwab.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.testing.SharedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchwabCsvTest {
    @TempDir
    Path dir;

    private Path sample(String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/schwab/csv/" + name)) {
            Files.copy(in, target);
        }
        return target;
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void positionsExportMapsQuotedFieldsDollarAmountsDashesCashAndSkipsTheTotal() throws IOException {
        List<Holding> holdings = SchwabCsv.parsePositions(sample("positions-sample.csv"), null);

        assertThat(holdings).extracting(Holding::symbol)
                .containsExactly("SAMPL", "SMPLX", "SMPL 04/17/2025 100.00 C", "USD");
        Holding stock = holdings.get(0);
        assertThat(stock.quantity()).isEqualByComparingTo("1200");
        assertThat(stock.currentPrice()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("12.50"));
        assertThat(stock.marketValue()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("15000"));
        assertThat(stock.costBasis()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("12000"));
        assertThat(stock.assetClass()).isEqualTo(AssetClass.STOCK);
        assertThat(stock.accountId()).isEqualTo("csv:Brokerage ...987");
        assertThat(stock.attributes()).containsEntry("asOf", "04:05 PM ET, 2025/03/21");
        Holding etf = holdings.get(1);
        assertThat(etf.name()).contains("SAMPLE BOND INDEX ETF, CLASS A");
        assertThat(etf.assetClass()).isEqualTo(AssetClass.ETF);
        Holding option = holdings.get(2);
        assertThat(option.quantity()).isEqualByComparingTo("-1");
        assertThat(option.marketValue()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("-125"));
        assertThat(option.assetClass()).isEqualTo(AssetClass.OPTION);
        Holding cash = holdings.get(3);
        assertThat(cash.assetClass()).isEqualTo(AssetClass.CASH);
        assertThat(cash.quantity()).isEqualByComparingTo("7235.00");
    }

    @Test
    void transactionsExportMapsEveryActionAndAsOfDates() throws IOException {
        List<Transaction> txs = SchwabCsv.parseTransactions(sample("transactions-sample.csv"), "HASH1");

        assertThat(txs).hasSize(12).allMatch(t -> t.accountId().equals("HASH1"));
        assertThat(txs).extracting(Transaction::type).containsExactly(
                TransactionType.BUY, TransactionType.SELL, TransactionType.INTEREST, TransactionType.BUY,
                TransactionType.DIVIDEND, TransactionType.DIVIDEND, TransactionType.DIVIDEND,
                TransactionType.DEPOSIT, TransactionType.WITHDRAWAL, TransactionType.TRANSFER_OUT,
                TransactionType.FEE, TransactionType.FEE);
        Transaction buy = txs.get(0);
        assertThat(buy.quantity()).isEqualByComparingTo("100");
        assertThat(buy.price()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("12.00"));
        assertThat(buy.fees()).isEqualByComparingTo("0.65");
        assertThat(buy.amount()).as("fees excluded").isEqualByComparingTo("-1200.00");
        Transaction sell = txs.get(1);
        assertThat(sell.quantity()).isEqualByComparingTo("-10");
        assertThat(sell.amount()).isEqualByComparingTo("725.00");
        assertThat(sell.name()).contains("SAMPLE BOND INDEX ETF, CLASS A");
        Transaction interest = txs.get(2);
        assertThat(interest.tradeDate()).isEqualTo(LocalDate.of(2025, 3, 15));
        assertThat(interest.attributes()).containsEntry("postedDate", "2025-03-18");
        assertThat(interest.symbol()).isEmpty();
        assertThat(interest.amount()).isEqualByComparingTo("0.42");
        assertThat(txs.get(7).amount()).isEqualByComparingTo("2500.00");
        assertThat(txs).allMatch(t -> t.rawType().isPresent() && t.sourceId().orElseThrow().startsWith("csv-"));
    }

    @Test
    void sourceIdsAreStableAcrossReimportsAndIdenticalRowsStayTwo() throws IOException {
        Path file = sample("transactions-sample.csv");
        List<Transaction> first = SchwabCsv.parseTransactions(file, null);
        List<Transaction> again = SchwabCsv.parseTransactions(file, null);
        assertThat(again).extracting(Transaction::sourceId)
                .containsExactlyElementsOf(first.stream().map(Transaction::sourceId).toList());
        assertThat(first.stream().map(Transaction::sourceId).distinct()).hasSize(12);
        // the two identical service fees are two records with different ids
        assertThat(first.get(10).sourceId()).isNotEqualTo(first.get(11).sourceId());

        // A later export that overlaps: the shared rows keep their ids.
        List<String> lines = Files.readAllLines(file);
        Path later = write("later.csv", String.join("\n", lines.get(0), lines.get(1),
                "\"03/21/2025\",\"Buy\",\"SAMPL\",\"SAMPLE WIDGETS INC\",\"1\",\"$12.10\",\"\",\"-$12.10\"",
                lines.get(2), lines.get(3)));
        List<Transaction> overlap = SchwabCsv.parseTransactions(later, null);
        assertThat(overlap.get(1).sourceId()).isEqualTo(first.get(0).sourceId());
        assertThat(overlap.get(2).sourceId()).isEqualTo(first.get(1).sourceId());
    }

    @Test
    void malformedAmountFailsNamingFileLineAndColumnAndReturnsNothing() throws IOException {
        Path file = write("bad.csv", """
                "Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"
                "03/20/2025","Buy","SAMPL","SAMPLE WIDGETS INC","100","$12.00","$0.65","-$1,200.65"
                "03/19/2025","Sell","SMPLX","SAMPLE BOND","10","$72.50","$0.02","twelve dollars"
                """);
        assertThatThrownBy(() -> SchwabCsv.parseTransactions(file, null))
                .isInstanceOf(DataFetchException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 3")
                .hasMessageContaining("column 8 (Amount)")
                .hasMessageContaining("twelve dollars");
    }

    @Test
    void malformedDateFailsNamingTheColumn() throws IOException {
        Path file = write("bad-date.csv", """
                "Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"
                "2025-03-20","Buy","SAMPL","SAMPLE WIDGETS INC","100","$12.00","$0.65","-$1,200.65"
                """);
        assertThatThrownBy(() -> SchwabCsv.parseTransactions(file, null))
                .isInstanceOf(DataFetchException.class)
                .hasMessageContaining("line 2").hasMessageContaining("column 1 (Date)");
    }

    @Test
    void unclosedQuoteFailsNamingTheLine() throws IOException {
        Path file = write("bad-quote.csv", """
                "Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"
                "03/20/2025","Buy","SAMPL","SAMPLE WIDGETS INC,"100","$12.00","$0.65","-$1,200.65"
                """);
        assertThatThrownBy(() -> SchwabCsv.parseTransactions(file, null))
                .isInstanceOf(DataFetchException.class).hasMessageContaining("line 2");
    }

    @Test
    void fileCutInsideQuotesFailsNamingTheLineItsLastRecordStartsOn() throws IOException {
        Path file = write("cut.csv", "\"Date\",\"Action\",\"Symbol\",\"Description\",\"Quantity\",\"Price\","
                + "\"Fees & Comm\",\"Amount\"\n\n\"03/20/2025\",\"Buy\",\"SAMPL\",\"SAMPLE\nWIDGETS\",\"100\",\"$12.0");
        assertThatThrownBy(() -> SchwabCsv.parseTransactions(file, null))
                .isInstanceOf(DataFetchException.class)
                .hasMessage("schwab: " + file + ": record line 3: field 'column 6 (Price)': a quoted field is never "
                        + "closed: the file looks cut off; download the export again");
    }

    @Test
    void rowCutAfterASeparatorFailsNamingTheFirstMissingColumnInsteadOfImportingATradeWithoutItsAmount()
            throws IOException {
        Path file = write("cut-row.csv", "\"Date\",\"Action\",\"Symbol\",\"Description\",\"Quantity\",\"Price\","
                + "\"Fees & Comm\",\"Amount\"\n\"03/20/2025\",\"Buy\",\"SAMPL\",\"SAMPLE WIDGETS INC\",\"100\",\"$12.00\"");
        assertThatThrownBy(() -> SchwabCsv.parseTransactions(file, null))
                .isInstanceOf(DataFetchException.class)
                .hasMessage("schwab: " + file + ": record line 2: field 'column 7 (Fees & Comm)': the row ends after "
                        + "6 of the header's 8 columns: the file looks cut off; download the export again");
    }

    @Test
    void positionsRowCutShortFailsButAStrayTrailingCommaInTheHeaderIsNotAColumn() throws IOException {
        Path ok = write("positions-ok.csv", """
                "Symbol","Description","Qty (Quantity)","Mkt Val (Market Value)",
                "SAMPL","SAMPLE","1","$1.00"
                """);
        assertThat(SchwabCsv.parsePositions(ok, null)).hasSize(1);
        Path cut = write("positions-cut.csv", """
                "Symbol","Description","Qty (Quantity)","Mkt Val (Market Value)",
                "SAMPL","SAMPLE","1"
                """);
        assertThatThrownBy(() -> SchwabCsv.parsePositions(cut, null))
                .isInstanceOf(DataFetchException.class).hasMessageContaining("line 2")
                .hasMessageContaining("column 4 (Mkt Val (Market Value))");
    }

    @Test
    void byteOrderMarkBlankLinesAndCrLfKeepEveryRecordsLine() throws IOException {
        Path file = write("bom.csv", "\uFEFF" + String.join("\r\n",
                "\"Transactions for account Brokerage ...987 as of 03/21/2025\"",
                "",
                "Date,Action,Symbol,Description,Quantity,Price,Fees & Comm,Amount",
                "03/20/2025,Journal,,\"TWO", "LINES\",,,,$1.00",
                "",
                " \"03/21/2025\" , \"Bank Interest\",,X,,,,$0.42"));
        List<Transaction> txs = SchwabCsv.parseTransactions(file, null);

        assertThat(txs).extracting(t -> t.attributes().get("csvLine")).containsExactly("4", "7");
        assertThat(txs.get(0).accountId()).isEqualTo("csv:Brokerage ...987");
        assertThat(txs.get(0).description()).contains("TWO\r\nLINES");
        assertThat(txs.get(1).type()).isEqualTo(TransactionType.INTEREST);
    }

    @Test
    void quotedFieldsMayHoldCommasQuotesAndLineBreaks() throws IOException {
        Path file = write("quotes.csv", "\"Date\",\"Action\",\"Symbol\",\"Description\",\"Quantity\",\"Price\","
                + "\"Fees & Comm\",\"Amount\"\r\n"
                + "\"03/05/2025\",\"Journal\",\"\",\"MEMO \"\"A, B\"\"\nSECOND LINE\",\"\",\"\",\"\",\"$1,000.00\"\r\n"
                + "\"03/06/2025\",\"Mystery Action\",\"\",\"X\",\"\",\"\",\"\",\"($5.00)\"\r\n");
        List<Transaction> txs = SchwabCsv.parseTransactions(file, null);
        assertThat(txs).hasSize(2);
        assertThat(txs.get(0).description()).contains("MEMO \"A, B\"\nSECOND LINE");
        assertThat(txs.get(0).amount()).isEqualByComparingTo("1000");
        assertThat(txs.get(1).type()).isEqualTo(TransactionType.OTHER);
        assertThat(txs.get(1).rawType()).contains("Mystery Action");
        assertThat(txs.get(1).amount()).isEqualByComparingTo("-5");
        assertThat(txs.get(1).attributes()).containsEntry("csvLine", "4");
    }

    @Test
    void exportKindIsToldFromContent() throws IOException {
        assertThat(SchwabCsv.kind(sample("positions-sample.csv"))).isEqualTo(SchwabCsv.Kind.POSITIONS);
        assertThat(SchwabCsv.kind(sample("transactions-sample.csv"))).isEqualTo(SchwabCsv.Kind.TRANSACTIONS);
        assertThat(SchwabCsv.kind(write("other.csv", "a,b\n1,2\n"))).isEqualTo(SchwabCsv.Kind.UNKNOWN);
    }

    @Test
    void positionsFileGivenAsTransactionsIsRefusedClearly() throws IOException {
        Path file = sample("positions-sample.csv");
        assertThatThrownBy(() -> SchwabCsv.parseTransactions(file, null)).isInstanceOf(DataFetchException.class)
                .hasMessageContaining("positions export where a transactions export was expected");
    }

    // ------------------------------------------------------------------ the published exports (GPL-3.0, not copied)

    private static Optional<Path> shared(String name) {
        return SharedFixtures.file("schwab-csv/" + name);
    }

    @Test
    void publishedBrokerageTransactionsExportParses() throws IOException {
        Optional<Path> file = shared("brokerage-transactions.csv");
        assumeTrue(file.isPresent(), "shared fixtures not present");
        List<Transaction> txs = SchwabCsv.parseTransactions(file.get(), null);

        assertThat(txs).hasSize(11);
        assertThat(txs).extracting(Transaction::type).containsExactly(
                TransactionType.BUY, TransactionType.TRANSFER_IN, TransactionType.TRANSFER_OUT, TransactionType.SELL,
                TransactionType.INTEREST, TransactionType.BUY, TransactionType.DIVIDEND, TransactionType.DIVIDEND,
                TransactionType.DIVIDEND, TransactionType.DEPOSIT, TransactionType.DEPOSIT);
        Transaction sell = txs.get(3);
        assertThat(sell.quantity()).isEqualByComparingTo("-10.065");
        assertThat(sell.fees()).isEqualByComparingTo("0.01");
        assertThat(sell.amount()).isEqualByComparingTo("738.82");
        assertThat(txs.get(4).tradeDate()).isEqualTo(LocalDate.of(2023, 4, 15));
        assertThat(txs.get(0).accountId()).isEqualTo("csv:General Investing ...XXX");
    }

    @Test
    void publishedBankAndBalancesExportsAreRefusedAsNotBrokerageExports() throws IOException {
        Optional<Path> checking = shared("checking-transactions.csv");
        Optional<Path> balances = shared("brokerage-balances.csv");
        assumeTrue(checking.isPresent() && balances.isPresent(), "shared fixtures not present");
        assertThatThrownBy(() -> SchwabCsv.parseTransactions(checking.get(), null))
                .isInstanceOf(DataFetchException.class).hasMessageContaining("checking-transactions.csv")
                .hasMessageContaining("line 1").hasMessageContaining("Action");
        assertThat(SchwabCsv.kind(balances.get())).isEqualTo(SchwabCsv.Kind.UNKNOWN);
        assertThatThrownBy(() -> SchwabCsv.parsePositions(balances.get(), null))
                .isInstanceOf(DataFetchException.class).hasMessageContaining("brokerage-balances.csv");
    }

    @Test
    void optionRowsCarryTheContractSizeSoAmountEqualsQuantityTimesPriceTimes100() throws IOException {
        Path file = write("options.csv", """
                "Transactions  for account Brokerage ...987 as of 03/21/2025 04:10:00 PM ET"
                "Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"
                "03/12/2025","Sell to Open","SMPL 04/17/2025 100.00 C","CALL SAMPLE WIDGETS $100 EXP 04/17/25","1","$2.00","$0.66","$199.34"
                "03/13/2025","Buy","SAMPL","SAMPLE WIDGETS INC","1","$12.00","$0.00","-$12.00"
                """);
        List<Transaction> txs = SchwabCsv.parseTransactions(file, "csv:Brokerage ...987");

        assertThat(txs).hasSize(2);
        Transaction option = txs.stream().filter(t -> t.symbol().orElse("").startsWith("SMPL ")).findFirst()
                .orElseThrow();
        assertThat(option.type()).isEqualTo(TransactionType.SELL);
        assertThat(option.attributes()).containsEntry("multiplier", "100");
        assertThat(option.amount()).isEqualByComparingTo(option.quantity().abs().multiply(option.price()
                .orElseThrow()).multiply(java.math.BigDecimal.valueOf(100)));
        // a share is no contract
        Transaction share = txs.stream().filter(t -> t.symbol().orElse("").equals("SAMPL")).findFirst()
                .orElseThrow();
        assertThat(share.attributes()).doesNotContainKey("multiplier");
    }

    @Test
    void rowsWithoutAnAmountAreQuantityOnlyEventsNotPurchasesAtPriceTimesQuantity() throws IOException {
        List<Transaction> txs = SchwabCsv.parseTransactions(sample("transactions-quantity-only.csv"), null);

        assertThat(txs).hasSize(4);
        Transaction split = txs.get(0);
        assertThat(split.type()).isEqualTo(TransactionType.SPLIT);
        assertThat(split.symbol()).contains("AVGO");
        assertThat(split.quantity()).isEqualByComparingTo("9");
        assertThat(split.amount()).as("not 9 × 170.07 = 1,530.63").isEqualByComparingTo("0");
        assertThat(split.attributes()).containsEntry(Transaction.AMOUNT_NOT_REPORTED, "true");
        Transaction in = txs.get(1);
        assertThat(in.type()).isEqualTo(TransactionType.TRANSFER_IN);
        assertThat(in.quantity()).isEqualByComparingTo("25");
        assertThat(in.amount()).isEqualByComparingTo("0");
        assertThat(in.attributes()).containsEntry(Transaction.AMOUNT_NOT_REPORTED, "true");
        Transaction out = txs.get(2);
        assertThat(out.type()).isEqualTo(TransactionType.TRANSFER_OUT);
        assertThat(out.quantity()).isEqualByComparingTo("-12");
        assertThat(out.amount()).isEqualByComparingTo("0");
        Transaction buy = txs.get(3);
        assertThat(buy.amount()).isEqualByComparingTo("-1402.15");
        assertThat(buy.attributes()).doesNotContainKey(Transaction.AMOUNT_NOT_REPORTED);
    }
}
