package io.foliosync.plugins.icbc;

import io.foliosync.connectors.api.BankStatement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.TransactionType;
import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IcbcCsvParserTest {
    static final Charset GBK = Charset.forName("GBK");

    @TempDir
    Path tmp;

    static Path sample() {
        try {
            return Path.of(IcbcCsvParserTest.class.getResource("/icbc/icbc-history-2023-01-gbk.csv").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BankStatement parse(Path file) {
        return IcbcPlugin.parseFile(file, "auto", ColumnMapping.defaultMapping(), Optional.empty());
    }

    @Test
    void theSampleReallyIsGbkAndNotUtf8() throws Exception {
        byte[] bytes = Files.readAllBytes(sample());
        assertThatThrownBy(() -> StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)))
                .isInstanceOf(CharacterCodingException.class);
        assertThat(new String(bytes, GBK)).contains("交易日期,摘要");
    }

    @Test
    void readsAGbkExport() {
        BankStatement s = parse(sample());

        assertThat(s.accountId()).isEqualTo("icbc-7890");
        assertThat(s.currency()).isEqualTo("CNY");
        List<BankTransaction> t = s.transactions();
        assertThat(t).hasSize(6);
        assertThat(t).extracting(BankTransaction::amount).usingElementComparator(BigDecimalCompare.INSTANCE)
                .containsExactly(dec("12000.00"), dec("-35.50"), dec("-35.50"), dec("-2000.00"), dec("-2.00"), dec("3.21"));
        assertThat(t).extracting(x -> x.balanceAfter().orElseThrow()).usingElementComparator(BigDecimalCompare.INSTANCE)
                .containsExactly(dec("15000.00"), dec("14964.50"), dec("14929.00"), dec("12929.00"), dec("12927.00"),
                        dec("12930.21"));
        assertThat(t).extracting(BankTransaction::type).containsExactly(TransactionType.DEPOSIT,
                TransactionType.WITHDRAWAL, TransactionType.WITHDRAWAL, TransactionType.TRANSFER_OUT, TransactionType.FEE,
                TransactionType.INTEREST);
        BankTransaction salary = t.get(0);
        assertThat(salary.postedDate()).as("tab padding trimmed").isEqualTo(LocalDate.of(2023, 1, 3));
        assertThat(salary.description()).isEqualTo("工资 代发工资");
        assertThat(salary.rawType()).hasValue("工资");
        assertThat(salary.counterparty()).hasValue("北京某某科技有限公司");
        assertThat(salary.currency()).isEqualTo("CNY");
        assertThat(t.get(4).counterparty()).isEmpty();
        assertThat(t).extracting(BankTransaction::sourceId).doesNotHaveDuplicates();
        assertThat(s.balance()).hasValueSatisfying(b -> {
            assertThat(b.amount()).isEqualByComparingTo("12930.21");
            assertThat(b.asOf()).isEqualTo(Instant.parse("2023-01-20T16:00:00Z")); // midnight in Beijing
        });
    }

    @Test
    void utf8WithBomAndPlainUtf8GiveTheSameLinesAsGbk() throws Exception {
        String text = new String(Files.readAllBytes(sample()), GBK);
        ByteArrayOutputStream bom = new ByteArrayOutputStream();
        bom.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bom.write(text.getBytes(StandardCharsets.UTF_8));
        Path withBom = Files.write(tmp.resolve("bom.csv"), bom.toByteArray());
        Path plain = Files.write(tmp.resolve("plain.csv"), text.getBytes(StandardCharsets.UTF_8));

        List<BankTransaction> expected = parse(sample()).transactions();
        assertThat(parse(withBom).transactions()).isEqualTo(expected);
        assertThat(parse(plain).transactions()).isEqualTo(expected);
    }

    @Test
    void explicitEncodingIsHonoured() {
        assertThat(IcbcPlugin.parseFile(sample(), "GBK", ColumnMapping.defaultMapping(), Optional.empty())
                .transactions()).hasSize(6);
        assertThatThrownBy(() -> IcbcPlugin.parseFile(sample(), "UTF-8", ColumnMapping.defaultMapping(), Optional.empty()))
                .hasMessageContaining("has no header row with a date column (交易日期 or 记账日期)");
    }

    @Test
    void columnMappingOverrideReadsANewLayout() throws Exception {
        Path file = Files.writeString(tmp.resolve("new-layout.csv"),
                "日期,交易摘要,金额,账户余额,对方\n2024/03/01,存入,+500.00,500.00,王五\n20240302,取出,-100,400.00,\n");
        ColumnMapping mapping = ColumnMapping.withOverrides("date=日期; description=交易摘要\namount=金额 ;counterparty=对方|对方户名");

        BankStatement s = IcbcPlugin.parseFile(file, "auto", mapping, Optional.of("icbc-main"));

        assertThat(s.accountId()).as("no card number in the file: account_id is used").isEqualTo("icbc-main");
        assertThat(s.transactions()).extracting(BankTransaction::postedDate)
                .containsExactly(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 2));
        assertThat(s.transactions().get(0).amount()).isEqualByComparingTo("500.00");
        assertThat(s.transactions().get(1).amount()).isEqualByComparingTo("-100");
        assertThat(s.transactions().get(1).balanceAfter()).hasValueSatisfying(b -> assertThat(b).isEqualByComparingTo("400"));
        assertThat(s.transactions().get(0).counterparty()).hasValue("王五");
        assertThatThrownBy(() -> parse(file)).hasMessageContaining("has no header row with a date column");
    }

    @Test
    void mappingOverrideErrorsNameThePart() {
        assertThatThrownBy(() -> ColumnMapping.withOverrides("datum=日期"))
                .hasMessage("column_mapping: unknown field 'datum' (fields: date, description, place, income, expense, "
                        + "amount, balance, counterparty, currency)");
        assertThatThrownBy(() -> ColumnMapping.withOverrides("date"))
                .hasMessage("column_mapping: 'date' is not field=Header");
    }

    @Test
    void twoIdenticalLinesWithoutBalanceStayTwoRows() throws Exception {
        Path file = Files.writeString(tmp.resolve("卡号1234.csv"),
                "记账日期,摘要,发生额\n2024-03-01,消费,-35.50\n2024-03-01,消费,-35.50\n");
        BankStatement s = parse(file);

        assertThat(s.accountId()).isEqualTo("icbc-卡号1234");
        assertThat(s.transactions()).hasSize(2);
        assertThat(s.transactions().get(0).sourceId()).isNotEqualTo(s.transactions().get(1).sourceId());
        assertThat(parse(file).transactions().get(1).sourceId()).isEqualTo(s.transactions().get(1).sourceId());
    }

    @Test
    void truncatedGbkFileFailsNamingFileAndLine() throws Exception {
        byte[] bytes = Files.readAllBytes(sample());
        byte[] marker = "2023-01-10,".getBytes(GBK);
        int at = indexOf(bytes, marker) + marker.length + "跨行汇款,".getBytes(GBK).length;
        Path file = Files.write(tmp.resolve("cut.csv"), Arrays.copyOf(bytes, at));

        assertThatThrownBy(() -> parse(file))
                .isInstanceOf(DataFetchException.class)
                .hasMessage("icbc: " + file + ": record line 9: has 3 of 13 columns: the file looks truncated or edited; "
                        + "export it again");
    }

    @Test
    void fileCutInsideAQuotedAmountFailsNamingTheLine() throws Exception {
        byte[] bytes = Files.readAllBytes(sample());
        int at = indexOf(bytes, "\"2,000".getBytes(GBK)) + 3;
        Path file = Files.write(tmp.resolve("cut.csv"), Arrays.copyOf(bytes, at));

        assertThatThrownBy(() -> parse(file))
                .hasMessageContaining("cut.csv: record line 9: a quoted field is never closed: the file looks truncated");
    }

    @Test
    void badValuesNameLineAndColumn() throws Exception {
        Path date = Files.writeString(tmp.resolve("d.csv"), "交易日期,摘要,记账金额\n2024-13-01,消费,-1\n");
        assertThatThrownBy(() -> parse(date))
                .hasMessageContaining("record line 2: field '交易日期': '2024-13-01' is not a date");
        Path amount = Files.writeString(tmp.resolve("a.csv"), "交易日期,摘要,记账金额\n2024-01-01,消费,abc\n");
        assertThatThrownBy(() -> parse(amount))
                .hasMessageContaining("record line 2: field '记账金额': 'abc' is not an amount");
        Path none = Files.writeString(tmp.resolve("n.csv"), "交易日期,摘要,备注\n2024-01-01,消费,x\n");
        assertThatThrownBy(() -> parse(none)).hasMessageContaining("record line 1: has no amount column");
        Path currency = Files.writeString(tmp.resolve("c.csv"), "交易日期,摘要,记账金额,币种\n2024-01-01,消费,-1,金币\n");
        assertThatThrownBy(() -> parse(currency))
                .hasMessageContaining("record line 2: field '币种': '金币' is not a currency this plugin knows");
    }

    @Test
    void otherCurrenciesAreMapped() throws Exception {
        Path file = Files.writeString(tmp.resolve("usd.csv"), "交易日期,摘要,记账金额,币种\n2024-01-01,结汇,-10.00,美元\n");
        assertThat(parse(file).transactions().get(0).currency()).isEqualTo("USD");
    }

    @Test
    void newestBalanceDoesNotDependOnTheLineOrder() throws Exception {
        String header = "交易日期,摘要,记账金额,余额\n";
        String a = "2024-03-01,消费,-10.00,90.00\n";
        String b = "2024-03-01,消费,-10.00,80.00\n";
        String c = "2024-02-28,存入,100.00,100.00\n";
        Path oldestFirst = Files.writeString(tmp.resolve("o.csv"), header + c + a + b);
        Path newestFirst = Files.writeString(tmp.resolve("n.csv"), header + b + a + c);

        assertThat(parse(oldestFirst).balance().orElseThrow().amount()).isEqualByComparingTo("80.00");
        assertThat(parse(newestFirst).balance().orElseThrow().amount()).isEqualByComparingTo("80.00");
    }

    private static java.math.BigDecimal dec(String s) {
        return new java.math.BigDecimal(s);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("marker not found");
    }

    enum BigDecimalCompare implements java.util.Comparator<java.math.BigDecimal> {
        INSTANCE;

        @Override
        public int compare(java.math.BigDecimal a, java.math.BigDecimal b) {
            return a.compareTo(b);
        }
    }
}
