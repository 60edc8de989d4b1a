package io.foliosync.plugins.chase;

import io.foliosync.connectors.api.BankStatement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.TransactionType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfxParserTest {
    @TempDir
    Path tmp;

    private static List<BankStatement> parse(String resource) {
        return ChasePlugin.parseFile(Resources.path(resource));
    }

    @Test
    void readsOfx1SgmlCheckingStatement() {
        BankStatement s = parse("ofx/ofxparse-checking.ofx").get(0);

        assertThat(s.accountId()).isEqualTo("chase-6877");
        assertThat(s.type()).isEqualTo(AccountType.CHECKING);
        assertThat(s.currency()).isEqualTo("USD");
        assertThat(s.transactions()).extracting(BankTransaction::sourceId).containsExactly("0000486", "0000487", "0000488");
        assertThat(s.transactions()).extracting(BankTransaction::amount)
                .containsExactly(new BigDecimal("0.01"), new BigDecimal("-34.51"), new BigDecimal("-25.00"));
        assertThat(s.transactions()).extracting(BankTransaction::postedDate).containsExactly(
                LocalDate.of(2011, 3, 31), LocalDate.of(2011, 4, 5), LocalDate.of(2011, 4, 7));
        BankTransaction first = s.transactions().get(0);
        assertThat(first.description()).isEqualTo("DIVIDEND EARNED FOR PERIOD OF 03/01/2011 THROUGH 03/31/2011 ANNUAL "
                + "PERCENTAGE YIELD EARNED IS 0.05%");
        assertThat(first.counterparty()).hasValue("DIVIDEND EARNED FOR PERIOD OF 03");
        assertThat(first.type()).isEqualTo(TransactionType.DEPOSIT);
        assertThat(first.rawType()).hasValue("CREDIT");
        assertThat(s.transactions().get(1).type()).isEqualTo(TransactionType.WITHDRAWAL);
        assertThat(s.transactions().get(2).description()).startsWith("RETURNED CHECK FEE, CHECK # 319 FOR $45.33");
        assertThat(s.transactions()).allSatisfy(t -> assertThat(t.balanceAfter()).isEmpty());
        assertThat(s.balance()).hasValueSatisfying(b -> {
            assertThat(b.amount()).isEqualByComparingTo("100.99");
            assertThat(b.available()).hasValueSatisfying(a -> assertThat(a).isEqualByComparingTo("75.99"));
            assertThat(b.asOf()).isEqualTo(Instant.parse("2013-05-25T22:57:31.258Z"));
        });
    }

    @Test
    void readsOfx2XmlWithTwoAccountsAndTimeZones() {
        List<BankStatement> list = parse("ofx/ofxparse-multiple-accounts-v2xml.ofx");

        assertThat(list).extracting(BankStatement::accountId).containsExactly("chase-9100", "chase-9200");
        assertThat(list).extracting(BankStatement::type).containsExactly(AccountType.CHECKING, AccountType.SAVINGS);
        assertThat(list.get(1).balance()).hasValueSatisfying(b -> {
            assertThat(b.amount()).isEqualByComparingTo("222");
            assertThat(b.available()).isEmpty();
            assertThat(b.asOf()).isEqualTo(Instant.parse("2012-06-03T20:32:20Z")); // 13:32:20 at -7 (PDT)
        });
        assertThat(list).allSatisfy(s -> assertThat(s.transactions()).isEmpty());
    }

    @Test
    void readsOfx2XmlWithCdataAndAnotherCurrency() {
        BankStatement s = parse("ofx/ofxparse-suncorp-v2xml.ofx").get(0);

        assertThat(s.currency()).isEqualTo("AUD");
        assertThat(s.transactions()).singleElement().satisfies(t -> {
            assertThat(t.sourceId()).isEqualTo("1");
            assertThat(t.amount()).isEqualByComparingTo("-16.85");
            assertThat(t.currency()).isEqualTo("AUD");
            assertThat(t.postedDate()).isEqualTo(LocalDate.of(2013, 12, 15));
            assertThat(t.description()).isEqualTo("EFTPOS WDL HANDYWAY ALDI STORE   GEELONG WEST VICAU");
            assertThat(t.description()).doesNotContain("(check");
        });
        assertThat(s.balance()).hasValueSatisfying(b -> {
            assertThat(b.amount()).isEqualByComparingTo("1234.12");
            assertThat(b.available()).hasValueSatisfying(a -> assertThat(a).isEqualByComparingTo("1234.12"));
        });
    }

    @Test
    void emptyTagsFallBackToHashIdTransactionCurrencyAndNoBalance() {
        BankStatement s = parse("ofx/ofxparse-v102-empty-tags.ofx").get(0);

        assertThat(s.currency()).isEqualTo("AUD");
        assertThat(s.balance()).isEmpty();
        assertThat(s.transactions()).singleElement().satisfies(t -> {
            assertThat(t.sourceId()).matches("h:[0-9a-f]{32}");
            assertThat(t.amount()).isEqualByComparingTo("12.34");
            assertThat(t.balanceAfter()).hasValueSatisfying(b -> assertThat(b).isEqualByComparingTo("123.45"));
            assertThat(t.description()).isEqualTo("CBA:Transfer");
            assertThat(t.counterparty()).isEmpty();
        });
        assertThat(parse("ofx/ofxparse-v102-empty-tags.ofx").get(0).transactions().get(0).sourceId())
                .as("stable across reads").isEqualTo(s.transactions().get(0).sourceId());
    }

    @Test
    void readsChaseCreditCardQfx() {
        BankStatement s = parse("chase-qfx/Chase5678_Activity_20230131.QFX").get(0);

        assertThat(s.accountId()).isEqualTo("chase-5678");
        assertThat(s.type()).isEqualTo(AccountType.CREDIT_CARD);
        assertThat(s.transactions()).hasSize(4);
        assertThat(s.transactions().get(0).sourceId()).isNotEqualTo(s.transactions().get(1).sourceId());
        assertThat(s.transactions().get(2).amount()).isEqualByComparingTo("250.00");
        assertThat(s.transactions().get(2).type()).isEqualTo(TransactionType.DEPOSIT);
        BankTransaction fee = s.transactions().get(3);
        assertThat(fee.type()).isEqualTo(TransactionType.FEE);
        assertThat(fee.postedDate()).as("the bank's own date, not shifted to UTC").isEqualTo(LocalDate.of(2023, 1, 31));
        assertThat(fee.description()).as("MEMO extends NAME, entity decoded").isEqualTo("LATE FEE & INTEREST");
        assertThat(s.balance()).hasValueSatisfying(b -> {
            assertThat(b.amount()).isEqualByComparingTo("-1234.56");
            assertThat(b.asOf()).isEqualTo(Instant.parse("2023-01-31T17:00:00Z"));
        });
    }

    @Test
    void investmentStatementIsRefusedWithAReason() {
        assertThatThrownBy(() -> parse("ofx/ofxparse-fidelity-investment.ofx"))
                .isInstanceOf(DataFetchException.class)
                .hasMessageContaining("ofxparse-fidelity-investment.ofx")
                .hasMessageContaining("holds no bank (STMTRS) or credit-card (CCSTMTRS) statement");
    }

    @Test
    void truncatedSgmlFileFailsNamingFileAndLine() throws Exception {
        String full = Files.readString(Resources.path("ofx/ofxparse-checking.ofx"), StandardCharsets.US_ASCII);
        String cut = full.substring(0, full.indexOf("<TRNAMT>-34.51") + "<TRNAMT>-3".length());
        Path file = Files.writeString(tmp.resolve("cut.ofx"), cut, StandardCharsets.US_ASCII);
        int lastLine = (int) cut.lines().count();

        assertThatThrownBy(() -> ChasePlugin.parseFile(file))
                .isInstanceOf(DataFetchException.class)
                .hasMessage("chase: " + file + ": record line " + lastLine + ": the file ends inside <STMTTRN> opened on "
                        + "line 54: it looks truncated; download the statement again");
    }

    @Test
    void truncatedXmlFileInsideATagFailsNamingTheLine() throws Exception {
        String full = Files.readString(Resources.path("ofx/ofxparse-suncorp-v2xml.ofx"), StandardCharsets.US_ASCII);
        String cut = full.substring(0, full.indexOf("<LEDGERBAL>") + 5);
        Path file = Files.writeString(tmp.resolve("cut.ofx"), cut, StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> ChasePlugin.parseFile(file))
                .hasMessageContaining(file + ": record line 45:")
                .hasMessageContaining("looks truncated");
    }

    @Test
    void missingAmountNamesLineAndField() throws Exception {
        String text = Files.readString(Resources.path("ofx/ofxparse-checking.ofx"), StandardCharsets.US_ASCII)
                .replace("<TRNAMT>-34.51", "");
        Path file = Files.writeString(tmp.resolve("no-amount.ofx"), text, StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> ChasePlugin.parseFile(file))
                .hasMessage("chase: " + file + ": record line 54: field 'TRNAMT': the transaction has no amount");
    }

    @Test
    void badDateNamesLineAndField() throws Exception {
        String text = Files.readString(Resources.path("ofx/ofxparse-checking.ofx"), StandardCharsets.US_ASCII)
                .replace("<DTPOSTED>20110405120000.000", "<DTPOSTED>2011-04-05");
        Path file = Files.writeString(tmp.resolve("bad-date.ofx"), text, StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> ChasePlugin.parseFile(file))
                .hasMessageContaining("record line 54: field 'DTPOSTED': '2011-04-05' is not an OFX date");
    }

    @Test
    void notAnOfxFileIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("x.ofx"), "hello");
        assertThatThrownBy(() -> ChasePlugin.parseFile(file)).hasMessageContaining("has no <OFX> element");
    }

    @Test
    void ofxDateFormsAndOffsets() {
        OfxParser p = new OfxParser("chase", tmp.resolve("x.ofx"), "USD");
        assertThat(p.instant("20230101120000.000[-5:EST]", 1, "D")).isEqualTo(Instant.parse("2023-01-01T17:00:00Z"));
        assertThat(p.instant("20230101", 1, "D")).isEqualTo(Instant.parse("2023-01-01T00:00:00Z"));
        assertThat(p.instant("202301011200", 1, "D")).isEqualTo(Instant.parse("2023-01-01T12:00:00Z"));
        assertThat(p.instant("20230101120000[+5.30:IST]", 1, "D")).isEqualTo(Instant.parse("2023-01-01T06:30:00Z"));
        assertThat(p.instant("20230101120000[-3.5:NST]", 1, "D")).isEqualTo(Instant.parse("2023-01-01T15:30:00Z"));
        assertThat(p.instant("20230101120000[0:GMT]", 1, "D")).isEqualTo(Instant.parse("2023-01-01T12:00:00Z"));
        assertThat(p.instant("20230101120000[-8]", 1, "D")).isEqualTo(Instant.parse("2023-01-01T20:00:00Z"));
        assertThat(p.instant("20180804093914:014", 1, "D")).isEqualTo(Instant.parse("2018-08-04T09:39:14.014Z"));
        assertThat(p.date("20230101235959.999[-5:EST]", 1, "D")).isEqualTo(LocalDate.of(2023, 1, 1));
        assertThat(OfxParser.offset("+5.45")).isEqualTo(ZoneOffset.ofHoursMinutes(5, 45));
        assertThatThrownBy(() -> p.date("20230231", 7, "DTPOSTED")).hasMessageContaining("record line 7: field "
                + "'DTPOSTED': '20230231' is not a calendar date");
    }

    @Test
    void amountsWithPlusSignOrDecimalComma() {
        OfxParser p = new OfxParser("chase", tmp.resolve("x.ofx"), "USD");
        assertThat(p.amount("+250.00", 1, "TRNAMT")).isEqualByComparingTo("250.00");
        assertThat(p.amount("-12,34", 1, "TRNAMT")).isEqualByComparingTo("-12.34");
        assertThatThrownBy(() -> p.amount("12.3.4", 9, "TRNAMT")).hasMessageContaining("record line 9: field 'TRNAMT'");
    }

    @Test
    void describeUsesMemoWhenItExtendsTheTruncatedName() {
        assertThat(OfxParser.describe(Optional.of("AB"), Optional.of("ABC"))).isEqualTo("ABC");
        assertThat(OfxParser.describe(Optional.of("AB"), Optional.of("XY"))).isEqualTo("AB / XY");
        assertThat(OfxParser.describe(Optional.empty(), Optional.of("XY"))).isEqualTo("XY");
        assertThat(OfxParser.describe(Optional.of("AB"), Optional.empty())).isEqualTo("AB");
    }
}
