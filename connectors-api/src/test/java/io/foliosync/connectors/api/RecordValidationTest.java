package io.foliosync.connectors.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordValidationTest {

    private static Transaction.Builder buy() {
        return Transaction.builder().date(Instant.parse("2024-03-01T14:30:00Z")).type(TransactionType.BUY)
                .symbol("AAPL").quantity(new BigDecimal("10")).price(new BigDecimal("180.25"))
                .amount(new BigDecimal("1802.50")).currency("USD").accountId("U1234567").source("ibkr");
    }

    private static Holding.Builder holding() {
        return Holding.builder().symbol("BTC").quantity(new BigDecimal("0.5")).currency("USD")
                .accountId("spot").source("kraken").assetClass(AssetClass.CRYPTO);
    }

    @Test
    void validTransactionDefaultsTradeDateAndFees() {
        Transaction t = buy().build();
        assertThat(t.tradeDate()).isEqualTo(LocalDate.of(2024, 3, 1));
        assertThat(t.fees()).isEqualByComparingTo("0");
        assertThat(t.attributes()).isEmpty();
        assertThat(t.toBuilder().build()).isEqualTo(t);
    }

    @Test
    void missingRequiredFieldIsNamed() {
        assertThatThrownBy(() -> buy().accountId(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Transaction.accountId is required but was null");
        assertThatThrownBy(() -> buy().date(null).build()).hasMessageContaining("Transaction.date");
        assertThatThrownBy(() -> buy().type(null).build()).hasMessageContaining("Transaction.type");
        assertThatThrownBy(() -> holding().symbol(" ").build())
                .hasMessage("Holding.symbol is required but was blank");
    }

    @Test
    void negativePriceAndFeesAreRejectedWithTheFieldNamed() {
        assertThatThrownBy(() -> buy().price(new BigDecimal("-1")).build())
                .hasMessage("Transaction.price must not be negative but was -1");
        assertThatThrownBy(() -> buy().fees(new BigDecimal("-0.01")).build())
                .hasMessage("Transaction.fees must not be negative but was -0.01");
        assertThatThrownBy(() -> holding().currentPrice(new BigDecimal("-3")).build())
                .hasMessageContaining("Holding.currentPrice");
    }

    @Test
    void shortPositionsKeepTheirNegativeQuantity() {
        assertThat(holding().quantity(new BigDecimal("-100")).build().quantity()).isEqualByComparingTo("-100");
    }

    @Test
    void illFormedCurrencyIsRejected() {
        assertThatThrownBy(() -> buy().currency("usd").build())
                .hasMessage("Transaction.currency must be an ISO-4217 code or an upper-case crypto ticker but was 'usd'");
        assertThatThrownBy(() -> buy().feeCurrency("$").build()).hasMessageContaining("Transaction.feeCurrency");
        assertThatThrownBy(() -> new Account("a", "A", AccountType.BROKERAGE, "US Dollar", AccountStatus.ACTIVE,
                Optional.empty(), "schwab")).hasMessageContaining("Account.baseCurrency");
    }

    @Test
    void optionalFieldsMustNotBeNull() {
        assertThatThrownBy(() -> new Balance("acc", BigDecimal.ONE, null, "USD", Instant.EPOCH))
                .hasMessageContaining("Balance.available must be Optional.empty(), not null");
    }

    @Test
    void blankSourceIdIsRejectedRatherThanStored() {
        assertThatThrownBy(() -> buy().sourceId("").build()).hasMessageContaining("Transaction.sourceId");
    }

    @Test
    void currencyCodesDistinguishIsoFromTickers() {
        assertThat(CurrencyCodes.isIso4217("EUR")).isTrue();
        assertThat(CurrencyCodes.isIso4217("BTC")).isFalse();
        assertThat(CurrencyCodes.isWellFormed("BTC")).isTrue();
        assertThat(CurrencyCodes.isWellFormed("XBT.S")).isFalse();
    }

    @Test
    void bankTransactionBecomesAnUnsignedTransactionWithDirectionInTheType() {
        BankTransaction line = new BankTransaction("FITID-1", "chk", LocalDate.of(2024, 1, 5),
                new BigDecimal("-42.10"), "USD", "COFFEE SHOP", Optional.empty(),
                Optional.of(new BigDecimal("957.90")), BankTransaction.typeForSign(new BigDecimal("-42.10")),
                Optional.of("DEBIT"));
        Transaction t = line.toTransaction("chase");
        assertThat(t.type()).isEqualTo(TransactionType.WITHDRAWAL);
        assertThat(t.amount()).isEqualByComparingTo("42.10");
        assertThat(t.sourceId()).contains("FITID-1");
        assertThat(t.attributes()).containsEntry("balance_after", "957.90").containsEntry("signed_amount", "-42.10");
    }

    @Test
    void pluginIdsAndCountriesAreChecked() {
        assertThatThrownBy(() -> new PluginMetadata("Chase Bank", "Chase", "1.0.0", "a", "d", java.util.Set.of("US"),
                java.util.Set.of(), AuthenticationType.FILE, java.util.List.of(), Optional.empty(), "0.1.0",
                java.util.List.of())).hasMessageContaining("PluginMetadata.id");
        assertThatThrownBy(() -> new PluginMetadata("chase", "Chase", "1.0.0", "a", "d", java.util.Set.of("USA"),
                java.util.Set.of(), AuthenticationType.FILE, java.util.List.of(), Optional.empty(), "0.1.0",
                java.util.List.of())).hasMessageContaining("'USA'");
    }

    @Test
    void transactionQueryBoundsAreHalfOpen() {
        Instant since = Instant.parse("2024-01-01T00:00:00Z");
        Instant until = Instant.parse("2024-02-01T00:00:00Z");
        TransactionQuery q = TransactionQuery.since(since).until(until);
        assertThat(q.contains(since)).isTrue();
        assertThat(q.contains(until)).isFalse();
        assertThatThrownBy(() -> TransactionQuery.since(until).until(since)).hasMessageContaining("must be before");
    }

    @Test
    void configurationExceptionNamesEveryProblem() {
        ConfigurationException e = new ConfigurationException("kraken",
                java.util.List.of("crypto_exchanges.kraken.api_key: missing", "crypto_exchanges.kraken.api_secret: missing"));
        assertThat(e).hasMessage("kraken: invalid configuration (2 problems): crypto_exchanges.kraken.api_key: missing; "
                + "crypto_exchanges.kraken.api_secret: missing");
    }
}
