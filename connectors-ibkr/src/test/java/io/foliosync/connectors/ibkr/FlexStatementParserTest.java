package io.foliosync.connectors.ibkr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.ContractTerms;
import io.foliosync.connectors.api.FxRate;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.HoldingsReport;
import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlexStatementParserTest {
    private final FlexStatementParser parser = FlexStatementParser.create();
    private final Path single = FlexTestSupport.resource("flex/activity-single-account.xml");

    private List<Transaction> all(Path file) {
        try (PagedResult<Transaction> result = parser.transactions(file)) {
            return result.toList();
        }
    }

    private Map<String, Transaction> byId(Path file) {
        return all(file).stream().collect(Collectors.toMap(t -> t.sourceId().orElseThrow(), Function.identity()));
    }

    @Test
    void buyKeepsCommissionAsNonNegativeFeeWithItsCurrencyAndTradeIdAsSourceId() {
        Transaction buy = byId(single).get("700000101");
        assertThat(buy.type()).isEqualTo(TransactionType.BUY);
        assertThat(buy.symbol()).contains("MSFT");
        assertThat(buy.quantity()).isEqualByComparingTo("10");
        assertThat(buy.price()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("404.52"));
        assertThat(buy.amount()).isEqualByComparingTo("-4045.2");
        assertThat(buy.fees()).isEqualByComparingTo("1");
        assertThat(buy.feeCurrency()).contains("USD");
        assertThat(buy.accountId()).isEqualTo("U7654321");
        assertThat(buy.source()).isEqualTo("ibkr");
        assertThat(buy.attributes()).containsEntry("conid", "272093").containsEntry("ibExecID",
                "0000e1a2.65ef1b2c.01.01");
        // 10:15:02 New York (EDT, UTC-4) on 2024-03-11
        assertThat(buy.date()).isEqualTo(Instant.parse("2024-03-11T14:15:02Z"));
        assertThat(buy.tradeDate()).isEqualTo(LocalDate.of(2024, 3, 11));
    }

    @Test
    void sellInForeignCurrencyReadsSeparateTradeDateAndTradeTime() {
        Transaction sell = byId(single).get("700000102");
        assertThat(sell.type()).isEqualTo(TransactionType.SELL);
        assertThat(sell.quantity()).isEqualByComparingTo("-5");
        assertThat(sell.amount()).isEqualByComparingTo("864.5");
        assertThat(sell.currency()).isEqualTo("EUR");
        assertThat(sell.fees()).isEqualByComparingTo("3");
        assertThat(sell.feeCurrency()).contains("EUR");
        assertThat(sell.date()).isEqualTo(Instant.parse("2024-05-20T08:30:11Z"));
    }

    @Test
    void onlyExecutionLevelTradesAreRead() {
        List<Transaction> trades = all(single).stream()
                .filter(t -> t.type() == TransactionType.BUY || t.type() == TransactionType.SELL).toList();
        assertThat(trades).extracting(t -> t.sourceId().orElseThrow())
                .containsExactly("700000101", "700000102", "700000103", "700000104");
        Transaction option = byId(single).get("700000103");
        assertThat(option.attributes()).containsEntry("multiplier", "100").containsEntry("putCall", "C");
    }

    @Test
    void everyCashTransactionTypeMapsToItsTransactionType() {
        Map<String, Transaction> tx = byId(single);
        assertThat(tx.get("2200000201").type()).isEqualTo(TransactionType.DIVIDEND);
        assertThat(tx.get("2200000202").type()).isEqualTo(TransactionType.TAX);
        assertThat(tx.get("2200000202").amount()).isEqualByComparingTo("-1.13");
        assertThat(tx.get("2200000203").type()).isEqualTo(TransactionType.TAX); // a refund keeps its + sign
        assertThat(tx.get("2200000203").amount()).isEqualByComparingTo("0.38");
        Transaction inLieu = tx.get("2200000204");
        assertThat(inLieu.type()).isEqualTo(TransactionType.DIVIDEND);
        assertThat(inLieu.rawType()).contains("Payment In Lieu Of Dividends");
        assertThat(tx.get("2200000205").type()).isEqualTo(TransactionType.INTEREST);
        Transaction debitInterest = tx.get("2200000206");
        assertThat(debitInterest.type()).isEqualTo(TransactionType.FEE);
        assertThat(debitInterest.rawType()).contains("Broker Interest Paid");
        assertThat(debitInterest.currency()).isEqualTo("EUR");
        assertThat(tx.get("2200000207").type()).isEqualTo(TransactionType.DEPOSIT);
        assertThat(tx.get("2200000208").type()).isEqualTo(TransactionType.WITHDRAWAL);
        assertThat(tx.get("2200000211").type()).isEqualTo(TransactionType.FEE);
        assertThat(tx.get("2200000212").type()).isEqualTo(TransactionType.FEE);
        assertThat(tx.get("2200000213").type()).isEqualTo(TransactionType.INTEREST);
        assertThat(tx.get("2200000214").type()).isEqualTo(TransactionType.OTHER);
        assertThat(tx.get("2200000214").rawType()).contains("Price Adjustments");
        List<Transaction> otherFees = all(single).stream()
                .filter(t -> t.rawType().orElse("").equals("Other Fees")).toList();
        assertThat(otherFees).hasSize(2).allSatisfy(t -> assertThat(t.type()).isEqualTo(TransactionType.FEE));
    }

    @Test
    void refundsReversalsAndCorrectionsKeepTheirTypeAndSayTheirDirection() {
        Map<String, Transaction> tx = byId(FlexTestSupport.resource("flex/reversals.xml"));
        // id -> expected type, direction
        Map<String, List<Object>> expected = Map.of(
                "3100000001", List.of(TransactionType.DIVIDEND, "in"),
                "3100000002", List.of(TransactionType.DIVIDEND, "out"),   // dividend reversal
                "3100000003", List.of(TransactionType.TAX, "out"),        // tax withheld
                "3100000004", List.of(TransactionType.TAX, "in"),         // withholding-tax refund
                "3100000005", List.of(TransactionType.INTEREST, "in"),
                "3100000006", List.of(TransactionType.INTEREST, "out"),   // interest correction
                "3100000007", List.of(TransactionType.FEE, "out"),        // debit interest charged
                "3100000008", List.of(TransactionType.FEE, "in"));        // debit interest reversed
        assertThat(tx.keySet()).containsAll(expected.keySet());
        expected.forEach((id, e) -> {
            Transaction t = tx.get(id);
            assertThat(t.type()).as(id).isEqualTo(e.get(0));
            assertThat(t.attributes()).as(id).containsEntry("direction", (String) e.get(1));
        });
        assertThat(tx.get("3100000009").attributes()).as("a zero amount moves nothing").doesNotContainKey("direction");
    }

    @Test
    void directionSurvivesANormalizerThatDropsTheSign() {
        // import-core's normalizer makes quantity and amount non-negative and keeps attributes; the direction must
        // still tell a refund from a withholding and a reversal from a payment.
        List<Transaction> cash = new ArrayList<>(all(FlexTestSupport.resource("flex/reversals.xml")));
        cash.addAll(all(single).stream().filter(t -> !t.attributes().containsKey("transactionType")
                && t.amount().signum() != 0 && t.type() != TransactionType.SPLIT
                && t.type() != TransactionType.OTHER).toList());
        for (Transaction t : cash) {
            if (t.amount().signum() == 0) {
                continue;
            }
            Transaction normalized = t.toBuilder().quantity(t.quantity().abs()).amount(t.amount().abs()).build();
            String direction = normalized.attributes().get("direction");
            assertThat(direction).as(t.sourceId() + " " + t.rawType()).isNotNull();
            BigDecimal signed = direction.equals("in") ? normalized.amount() : normalized.amount().negate();
            assertThat(signed).as(t.sourceId().orElseThrow()).isEqualByComparingTo(t.amount());
        }
        assertThat(byId(single).get("2200000203").attributes()).containsEntry("direction", "in");
        assertThat(byId(single).get("2300000301").attributes()).containsEntry("direction", "in");
        assertThat(byId(single).get("2300000302").attributes()).containsEntry("direction", "out");
    }

    @Test
    void summaryLevelCashRowsAreSkippedSoNothingCountsTwice() {
        long dividends = all(single).stream().filter(t -> t.type() == TransactionType.DIVIDEND).count();
        assertThat(dividends).isEqualTo(2); // the MSFT dividend and the payment in lieu; not the SUMMARY row
    }

    @Test
    void rowsWithoutIbkrIdsGetStableDistinctIdsAcrossTwoImports() {
        List<String> first = all(single).stream().map(t -> t.sourceId().orElseThrow()).toList();
        List<String> second = all(single).stream().map(t -> t.sourceId().orElseThrow()).toList();
        assertThat(second).isEqualTo(first);
        assertThat(first).doesNotHaveDuplicates();
        List<String> feeIds = all(single).stream().filter(t -> t.rawType().orElse("").equals("Other Fees"))
                .map(t -> t.sourceId().orElseThrow()).toList();
        assertThat(feeIds).hasSize(2).allSatisfy(id -> assertThat(id).startsWith("cash-"));
        assertThat(feeIds.get(1)).isEqualTo(feeIds.get(0) + "-2");
    }

    @Test
    void transfersMapToTransferInAndOut() {
        Map<String, Transaction> tx = byId(single);
        Transaction in = tx.get("2300000301");
        assertThat(in.type()).isEqualTo(TransactionType.TRANSFER_IN);
        assertThat(in.symbol()).contains("VTI");
        assertThat(in.quantity()).isEqualByComparingTo("25");
        assertThat(in.rawType()).contains("ACATS");
        Transaction out = tx.get("2300000302");
        assertThat(out.type()).isEqualTo(TransactionType.TRANSFER_OUT);
        assertThat(out.symbol()).isEmpty();
        assertThat(out.amount()).isEqualByComparingTo("-1000");
        assertThat(out.attributes()).containsEntry("account", "U7654322");
    }

    @Test
    void forwardSplitBecomesSplitAndOtherCorporateActionsKeepTheirCode() {
        Map<String, Transaction> tx = byId(single);
        Transaction split = tx.get("2400000401");
        assertThat(split.type()).isEqualTo(TransactionType.SPLIT);
        assertThat(split.symbol()).contains("NVDA");
        assertThat(split.quantity()).isEqualByComparingTo("27");
        Transaction merger = tx.get("2400000402");
        assertThat(merger.type()).isEqualTo(TransactionType.OTHER);
        assertThat(merger.rawType()).contains("TC");
        // "2024-10-01, 20:25:00" New York = 2024-10-02T00:25Z, trade date stays the source's calendar day
        assertThat(merger.date()).isEqualTo(Instant.parse("2024-10-02T00:25:00Z"));
        assertThat(merger.tradeDate()).isEqualTo(LocalDate.of(2024, 10, 1));
    }

    @Test
    void openPositionsKeepShortSignAndSkipLots() {
        List<Holding> holdings = parser.openPositions(single);
        assertThat(holdings).hasSize(2);
        Holding vti = holdings.get(0);
        assertThat(vti.assetClass()).isEqualTo(AssetClass.ETF);
        assertThat(vti.externalId()).contains("12340041");
        assertThat(vti.costBasis()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("5879.25"));
        Holding call = holdings.get(1);
        assertThat(call.assetClass()).isEqualTo(AssetClass.OPTION);
        assertThat(call.quantity()).isEqualByComparingTo("-1");
        assertThat(call.costBasis()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("-314.32"));
    }

    @Test
    void bondsAndBillsArePricedInPercentOfParAndOptionsPerShare() {
        Path bonds = FlexTestSupport.resource("flex/bonds-and-bills.xml");
        Map<String, Transaction> tx = byId(bonds);
        // IBKR quotes a bill or bond in percent of face value: 10,000 at 98.50 is 9,850.00
        for (String id : List.of("710000001", "710000002", "710000003")) {
            Transaction t = tx.get(id);
            assertThat(t.terms()).as(id).isEqualTo(ContractTerms.PERCENT_OF_PAR);
            assertThat(t.terms().value(t.quantity(), t.price().orElseThrow()).negate()).as(id)
                    .isEqualByComparingTo(t.amount());
        }
        Transaction call = tx.get("710000004");
        assertThat(call.terms()).isEqualTo(ContractTerms.US_EQUITY_OPTION);
        assertThat(call.terms().value(call.quantity(), call.price().orElseThrow())).isEqualByComparingTo("630");

        List<Holding> positions = parser.openPositions(bonds);
        assertThat(positions).extracting(Holding::symbol)
                .containsExactly("B 06/26/25", "T 4 1/4 12/31/26", "AAPL  250321C00250000");
        for (Holding h : positions) {
            // every position's worth by its terms is the value IBKR states for it
            assertThat(h.valueAt(h.currentPrice().orElseThrow())).as(h.symbol())
                    .isEqualByComparingTo(h.marketValue().orElseThrow());
            // the mark is the statement's, of its report date, not of the moment the file is read
            assertThat(h.priceAsOf()).as(h.symbol()).contains(Instant.parse("2025-04-01T00:00:00Z"));
        }
    }

    private static String statement(String account, String toDate, String generated, String body) {
        return "<FlexQueryResponse><FlexStatements><FlexStatement accountId=\"" + account + "\" toDate=\"" + toDate
                + "\" whenGenerated=\"" + generated + "\">" + body + "</FlexStatement></FlexStatements>"
                + "</FlexQueryResponse>";
    }

    private static String position(String account, String symbol, String qty) {
        return "<OpenPosition accountId=\"" + account + "\" currency=\"USD\" assetCategory=\"STK\" symbol=\""
                + symbol + "\" position=\"" + qty + "\" markPrice=\"10\" levelOfDetail=\"SUMMARY\"/>";
    }

    private static String cash(String account, String currency, String amount) {
        return "<CashReportCurrency accountId=\"" + account + "\" currency=\"" + currency
                + "\" levelOfDetail=\"Currency\" endingCash=\"" + amount + "\"/>";
    }

    @Test
    void holdingsComeFromEachAccountsLatestStatementWhateverTheFileOrder(@TempDir Path dir) throws Exception {
        Path older = dir.resolve("2023.xml");
        Files.writeString(older, statement("U7654321", "20231229", "20240102;060000",
                "<OpenPositions>" + position("U7654321", "AAPL", "3") + "</OpenPositions>"
                        + "<CashReport>" + cash("U7654321", "USD", "100") + cash("U7654321", "CHF", "7") + "</CashReport>"));
        Path other = dir.resolve("other-account.xml");
        Files.writeString(other, statement("U9000009", "20230630", "20230701;060000",
                "<OpenPositions>" + position("U9000009", "KO", "8") + "</OpenPositions>"));
        // newer than the sample but without OpenPositions or CashReport: says nothing about holdings
        Path tradesOnly = dir.resolve("2025-trades-only.xml");
        Files.writeString(tradesOnly, statement("U7654321", "20250131", "20250201;060000", "<Trades/>"));
        // a regenerated statement for the same day: the later whenGenerated wins; its empty section means "none"
        Path regenerated = dir.resolve("2023-regenerated.xml");
        Files.writeString(regenerated, statement("U9000009", "20230630", "20230705;060000", "<OpenPositions/>"));

        List<Holding> holdings = parser.holdings(List.of(single, older, other, tradesOnly));
        assertThat(holdings).extracting(h -> h.accountId() + ":" + h.symbol()).containsExactly(
                "U7654321:VTI", "U7654321:MSFT  240621C00450000", "U9000009:KO", "U7654321:USD", "U7654321:EUR");
        assertThat(parser.holdings(List.of(older, other, single, tradesOnly))).containsExactlyInAnyOrderElementsOf(holdings);
        assertThat(parser.holdings(List.of(other, regenerated))).isEmpty();
        assertThat(parser.holdings(List.of(older))).extracting(Holding::symbol).containsExactly("AAPL", "USD", "CHF");
    }

    @Test
    void anAccountNoneOfWhoseStatementsHasOpenPositionsIsNamedAsNotReportedNotAsHoldingNothing(@TempDir Path dir)
            throws Exception {
        Path cashOnly = dir.resolve("cash-only.xml");
        Files.writeString(cashOnly, statement("U2100022", "20240628", "20240701;060000",
                "<Trades/><CashReport>" + cash("U2100022", "USD", "1908") + "</CashReport>"));
        Path none = dir.resolve("none.xml");
        Files.writeString(none, statement("U9000009", "20230630", "20230705;060000", "<OpenPositions/>"));

        HoldingsReport report = parser.holdingsReport(List.of(cashOnly, none));
        assertThat(report.accountsWithoutPositions()).containsExactly("U2100022");
        assertThat(report.positionsReported("U9000009")).isTrue(); // an empty section: it holds none
        assertThat(report.holdings()).extracting(h -> h.accountId() + ":" + h.symbol()).containsExactly("U2100022:USD");
        // a later statement without the section does not unsay an earlier one's positions
        Path older = dir.resolve("older.xml");
        Files.writeString(older, statement("U2100022", "20231229", "20240102;060000",
                "<OpenPositions>" + position("U2100022", "AAPL", "6") + "</OpenPositions>"));
        assertThat(parser.holdingsReport(List.of(cashOnly, older)).accountsWithoutPositions()).isEmpty();
    }

    @Test
    void cashReportGivesOneCashHoldingPerCurrencySkippingTheBaseSummaryAndZeroBalances() {
        List<Holding> cash = new ArrayList<>();
        parser.read(single, new FlexStatementHandler() {
            @Override public void cashBalance(Holding h) { cash.add(h); }
        });
        assertThat(cash).extracting(Holding::symbol).containsExactly("USD", "EUR");
        assertThat(cash).allSatisfy(h -> {
            assertThat(h.assetClass()).isEqualTo(AssetClass.CASH);
            assertThat(h.currency()).isEqualTo(h.symbol());
            assertThat(h.currentPrice()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("1"));
            assertThat(h.marketValue()).contains(h.quantity());
        });
    }

    @Test
    void baseCurrencyAndConversionRatesAreReported() {
        List<FlexAccount> accounts = new ArrayList<>();
        List<FxRate> rates = new ArrayList<>();
        List<FlexStatementInfo> statements = new ArrayList<>();
        parser.read(single, new FlexStatementHandler() {
            @Override public void account(FlexAccount a) { accounts.add(a); }
            @Override public void conversionRate(FxRate r) { rates.add(r); }
            @Override public void statement(FlexStatementInfo s) { statements.add(s); }
        });
        assertThat(accounts).singleElement().satisfies(a -> {
            assertThat(a.baseCurrency()).isEqualTo("USD");
            assertThat(a.alias()).contains("Sample IRA");
        });
        assertThat(rates).hasSize(2); // the -1 "no rate" row is dropped
        assertThat(rates.get(1).rate()).isEqualByComparingTo("1.0389");
        assertThat(statements.get(0).toDate()).contains(LocalDate.of(2024, 12, 31));
        assertThat(statements.get(0).whenGenerated()).contains(Instant.parse("2025-01-02T11:30:15Z"));
    }

    @Test
    void multiAccountStatementAssignsEachRecordToItsAccountWithIsoDates() {
        List<Transaction> tx = all(FlexTestSupport.resource("flex/multi-account.xml"));
        assertThat(tx).extracting(Transaction::accountId)
                .containsExactly("U1000001", "U1000001", "U1000002", "U1000002");
        assertThat(tx.get(0).date()).isEqualTo(Instant.parse("2025-07-14T13:31:07Z"));
        assertThat(tx.get(3).type()).isEqualTo(TransactionType.DEPOSIT);
        assertThat(tx.get(3).currency()).isEqualTo("CHF");
        assertThat(parser.accounts(FlexTestSupport.resource("flex/multi-account.xml")))
                .extracting(FlexAccount::baseCurrency).containsExactly("EUR", "CHF");
    }

    @Test
    void truncatedFileFailsNamingTheElementAndLine() {
        assertThatThrownBy(() -> all(FlexTestSupport.resource("flex/truncated.xml")))
                .isInstanceOf(DataFetchException.class)
                .hasMessageContaining("truncated.xml")
                .hasMessageContaining("<Trade")
                .hasMessageContaining("line 8")
                .hasMessageContaining("Trades");
    }

    @Test
    void transactionsArePagedLazily() {
        FlexStatementParser small = FlexStatementParser.create(FlexStatementParser.DEFAULT_ZONE, 3);
        try (PagedResult<Transaction> result = small.transactions(single)) {
            Iterator<Page<Transaction>> pages = result.iterator();
            assertThat(result.pagesFetched()).isZero();
            Page<Transaction> first = pages.next();
            assertThat(first.items()).hasSize(3);
            assertThat(result.pagesFetched()).isEqualTo(1);
            int total = first.items().size();
            while (pages.hasNext()) {
                total += pages.next().items().size();
            }
            assertThat(total).isEqualTo(all(single).size());
        }
    }

    @Test
    void externalEntitiesAreNeverResolved(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<FlexQueryResponse><FlexStatements><FlexStatement accountId=\"U1\">"
                + "<CashTransaction currency=\"USD\" type=\"Other Fees\" dateTime=\"20240101\" amount=\"-1\" "
                + "description=\"&x;\"/></FlexStatement></FlexStatements></FlexQueryResponse>";
        List<Transaction> seen = new ArrayList<>();
        try {
            parser.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "xxe.xml",
                    new FlexStatementHandler() {
                        @Override public void transaction(Transaction t) { seen.add(t); }
                    });
        } catch (DataFetchException e) {
            assertThat(e.getMessage()).doesNotContain("TOP-SECRET-CONTENT");
        }
        assertThat(seen).allSatisfy(t -> assertThat(t.toString()).doesNotContain("TOP-SECRET-CONTENT"));
    }

    @Test
    void ambiguousDateFormatIsRefusedNamingTheField() {
        String xml = "<FlexQueryResponse><FlexStatements><FlexStatement accountId=\"U1\">"
                + "<CashTransaction currency=\"USD\" type=\"Dividends\" dateTime=\"03/04/2024\" amount=\"1\" "
                + "transactionID=\"9\"/></FlexStatement></FlexStatements></FlexQueryResponse>";
        assertThatThrownBy(() -> parser.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                "dates.xml", new FlexStatementHandler() { }))
                .isInstanceOf(DataFetchException.class)
                .hasMessageContaining("dateTime")
                .hasMessageContaining("03/04/2024")
                .hasMessageContaining("yyyyMMdd");
    }

    @Test
    void aDocumentThatIsNotAFlexQueryResponseIsRefused() {
        String xml = "<FlexStatementResponse><Status>Fail</Status></FlexStatementResponse>";
        assertThatThrownBy(() -> parser.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                "x.xml", new FlexStatementHandler() { }))
                .isInstanceOf(DataFetchException.class)
                .hasMessageContaining("FlexStatementResponse");
    }

    @Test
    void amountsKeepEveryDigit() {
        Transaction buy = byId(single).get("700000101");
        assertThat(buy.amount()).isEqualTo(new BigDecimal("-4045.2"));
    }
}
