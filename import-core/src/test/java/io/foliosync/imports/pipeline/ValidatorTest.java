package io.foliosync.imports.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.ContractTerms;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.imports.Tx;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The {@link Validator}'s rules on single records; ValidationQuarantineTest follows rejections into the store. */
class ValidatorTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void warningKeepsTheRecord() {
        Validator v = Validator.defaults(CLOCK);
        Transaction free = Tx.buy("src", "X", 1).price(BigDecimal.ZERO).amount(BigDecimal.ZERO).build();
        assertThat(v.validate(free)).singleElement().satisfies(i -> {
            assertThat(i.rule()).isEqualTo(ValidationRule.PRICE_SIGN);
            assertThat(i.isError()).isFalse();
        });
    }

    @Test
    void textThatIsNotWhatTheSourceWroteIsAnErrorNamingTheFieldAndPosition() {
        Validator v = Validator.defaults(CLOCK);
        // what a UTF-8 decoder makes of a cp1252 byte, and a NUL, in two fields; the text itself is not quoted
        Transaction garbled = Tx.buy("src", "X", 1).description("CAF\uFFFD DE PARIS").build();
        Transaction nul = Tx.buy("src", "Y", 1).attribute("memo", "a\0b").build();

        assertThat(v.validate(garbled)).singleElement().satisfies(i -> {
            assertThat(i.rule()).isEqualTo(ValidationRule.TEXT_ENCODING);
            assertThat(i.isError()).isTrue();
            assertThat(i.field()).contains("description");
            assertThat(i.message()).contains("U+FFFD at position 4").doesNotContain("PARIS");
        });
        assertThat(v.validate(nul)).singleElement().satisfies(i -> {
            assertThat(i.field()).contains("memo");
            assertThat(i.message()).contains("NUL character at position 2");
        });
        assertThat(v.validate(Tx.buy("src", "Z", 1).description("Café – Zürich 東京").build())).isEmpty();
    }

    @Test
    void optionAmountCountsTheContractMultiplier() {
        Validator v = Validator.defaults(CLOCK);
        // 1 contract at 3.15 per share, 100 shares a contract: 315 plus fees, as IBKR reports it.
        Transaction option = Tx.buy("src", "OPT-1", 1).symbol("MSFT 240621C00450000").quantity(BigDecimal.ONE).price(new BigDecimal("3.15"))
                .amount(new BigDecimal("315")).fees(new BigDecimal("0.68")).terms(ContractTerms.US_EQUITY_OPTION).build();
        assertThat(v.validate(option)).isEmpty();
        assertThat(v.validate(option.toBuilder().terms(ContractTerms.PER_UNIT).build()))
                .extracting(ValidationIssue::rule).containsExactly(ValidationRule.AMOUNT_MATCHES);
    }

    @Test
    void bondAndBillAmountsArePercentOfPar() {
        Validator v = Validator.defaults(CLOCK);
        // IBKR Flex: 10,000 face value of a T-bill bought at 98.50 (percent of par) for 9,850.00.
        Transaction bill = Tx.buy("src", "BILL-1", 1).symbol("B 03/27/25").quantity(new BigDecimal("10000"))
                .price(new BigDecimal("98.50")).amount(new BigDecimal("9850.00")).fees(BigDecimal.ZERO)
                .terms(ContractTerms.PERCENT_OF_PAR).build();
        assertThat(v.validate(bill)).isEmpty();
        assertThat(v.validate(bill.toBuilder().terms(ContractTerms.PER_UNIT).build()))
                .singleElement().satisfies(i -> {
                    assertThat(i.rule()).isEqualTo(ValidationRule.AMOUNT_MATCHES);
                    assertThat(i.message()).contains("985000");
                });
    }

    @Test
    void anExchangesOwnTickersAreKnownCurrenciesButABrokersAreNot() {
        Validator v = Validator.defaults(CLOCK);
        Transaction tezos = Tx.buy("src", "XTZ", 1).currency("XTZ").build();
        assertThat(v.validate(tezos, true)).isEmpty();
        assertThat(v.validate(tezos, false)).extracting(ValidationIssue::rule)
                .containsExactly(ValidationRule.KNOWN_CURRENCY);
        assertThat(v.validate(Tx.buy("src", "X", 1).currency("EUR").build(), false)).isEmpty();
    }

    @Test
    void amountWithinToleranceOrIncludingFeesPasses() {
        Validator v = Validator.defaults(CLOCK);
        assertThat(v.validate(Tx.buy("src", "X", 1).amount(new BigDecimal("301.50")).build())).isEmpty();
        assertThat(v.validate(Tx.buy("src", "X", 1).amount(new BigDecimal("299.50")).build())).isEmpty();
        assertThat(v.validate(Tx.buy("src", "X", 1).amount(new BigDecimal("300.51")).build())).isEmpty();
        assertThat(v.validate(Tx.buy("src", "X", 1).amount(new BigDecimal("310")).build()))
                .extracting(ValidationIssue::rule).containsExactly(ValidationRule.AMOUNT_MATCHES);
    }

    @Test
    void aQuantityOnlyEventWithoutAReportedAmountPassesAndATradeWithoutOneLacksItsAmount() {
        Validator v = Validator.defaults(CLOCK);
        Transaction split = Tx.buy("src", "S", 1).type(io.foliosync.connectors.api.TransactionType.SPLIT)
                .quantity(new BigDecimal("9")).price(new BigDecimal("170.07")).amount(BigDecimal.ZERO)
                .attribute(Transaction.AMOUNT_NOT_REPORTED, "true").build();
        Transaction journal = split.toBuilder().type(io.foliosync.connectors.api.TransactionType.TRANSFER_IN).build();
        assertThat(v.validate(split)).isEmpty();
        assertThat(v.validate(journal)).isEmpty();

        Transaction blankBuy = Tx.buy("src", "B", 1).amount(BigDecimal.ZERO)
                .attribute(Transaction.AMOUNT_NOT_REPORTED, "true").build();
        assertThat(v.validate(blankBuy)).singleElement().satisfies(i -> {
            assertThat(i.rule()).isEqualTo(ValidationRule.REQUIRED_FIELDS);
            assertThat(i.field()).contains("amount");
            assertThat(i.message()).isEqualTo("BUY without an amount: the source left it blank");
        });
    }
}
