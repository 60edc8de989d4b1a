package io.foliosync.sinks.ghostfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.sink.ChangedRecord;
import io.foliosync.connectors.api.sink.SinkAccount;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 28: each FolioSync type maps to a Ghostfolio activity, or deliberately to none (docs/sinks.md). */
class ActivityMapperTest {
    private static final SinkAccount BROKER = new SinkAccount("ibkr-flex-files", "ibkr", "U1");
    private static final SinkAccount KRAKEN = new SinkAccount("kraken", "crypto_exchanges", "kraken");

    private static ActivityMapper mapper(Map<String, Object> extra) {
        Map<String, Object> entry = new HashMap<>(Map.of("url", "https://gf.example.com"));
        entry.putAll(extra);
        return new ActivityMapper(GhostfolioSettings.read("gf", new ConfigSection("sinks.gf", entry)));
    }

    private static ActivityMapper.Mapped map(SinkAccount account, Transaction.Builder t) {
        Transaction tx = t.build();
        return mapper(Map.of()).map(account, new ChangedRecord(tx.sourceId().orElseThrow(), "a".repeat(64), tx));
    }

    private static Transaction.Builder tx(TransactionType type) {
        return Transaction.builder().date(Instant.parse("2024-03-01T10:00:00Z")).type(type).currency("USD")
                .quantity(new BigDecimal("3")).amount(new BigDecimal("30")).fees(BigDecimal.ZERO).sourceId("R1")
                .accountId("U1").source("ibkr");
    }

    private static Activity sent(ActivityMapper.Mapped m) {
        assertThat(m).isInstanceOf(ActivityMapper.Send.class);
        return ((ActivityMapper.Send) m).activity();
    }

    @Test
    void tradesDividendsInterestFeesAndTaxesBecomeTheirGhostfolioTypes() {
        Activity buy = sent(map(BROKER, tx(TransactionType.BUY).symbol("AAPL").price(new BigDecimal("10"))
                .fees(new BigDecimal("1"))));
        assertThat(buy.type() + " " + buy.dataSource() + " " + buy.symbol()).isEqualTo("BUY YAHOO AAPL");
        assertThat(buy.unitPrice()).isEqualByComparingTo("10");
        assertThat(buy.fee()).isEqualByComparingTo("1");
        assertThat(buy.comment()).isEqualTo("foliosync:ibkr-flex-files/U1/R1");

        assertThat(sent(map(BROKER, tx(TransactionType.SELL).symbol("AAPL").price(BigDecimal.TEN))).type())
                .isEqualTo("SELL");
        Activity dividend = sent(map(BROKER, tx(TransactionType.DIVIDEND).symbol("AAPL")));
        assertThat(dividend.type() + " " + dividend.quantity() + " " + dividend.unitPrice()).isEqualTo("DIVIDEND 1 30");
        Activity interest = sent(map(BROKER, tx(TransactionType.INTEREST)));
        assertThat(interest.dataSource() + " " + interest.symbol()).isEqualTo("MANUAL GF_FOLIOSYNC_INTEREST");
        Activity tax = sent(map(BROKER, tx(TransactionType.TAX)));
        assertThat(tax.type() + " " + tax.symbol() + " " + tax.fee()).isEqualTo("FEE GF_FOLIOSYNC_FEE 30");
        assertThat(tax.comment()).endsWith(" tax");
    }

    @Test
    void cashMovementsSplitsAndOthersAreNotSentAndSayWhy() {
        assertThat(map(BROKER, tx(TransactionType.DEPOSIT))).isInstanceOfSatisfying(ActivityMapper.Skip.class,
                s -> assertThat(s.why()).contains("account balance"));
        assertThat(map(BROKER, tx(TransactionType.WITHDRAWAL))).isInstanceOf(ActivityMapper.Skip.class);
        assertThat(map(BROKER, tx(TransactionType.TRANSFER_OUT).symbol("USD"))).isInstanceOf(ActivityMapper.Skip.class);
        assertThat(map(BROKER, tx(TransactionType.SPLIT).symbol("AAPL"))).isInstanceOfSatisfying(
                ActivityMapper.Skip.class, s -> assertThat(s.why()).contains("splits"));
        assertThat(map(BROKER, tx(TransactionType.OTHER).rawType("Journal"))).isInstanceOfSatisfying(
                ActivityMapper.Skip.class, s -> assertThat(s.why()).contains("Journal"));
        assertThat(map(BROKER, tx(TransactionType.TRANSFER_IN).symbol("AAPL"))).as("no price")
                .isInstanceOf(ActivityMapper.Skip.class);
    }

    @Test
    void rewardsAndPricedTransfersOfAnInstrumentBecomeBuysAndSells() {
        Activity reward = sent(map(KRAKEN, tx(TransactionType.REWARD).symbol("DOT").accountId("kraken")));
        assertThat(reward.type() + " " + reward.symbol() + " " + reward.unitPrice()).isEqualTo("BUY DOTUSD 0");
        assertThat(reward.comment()).endsWith(" reward");
        Activity out = sent(map(BROKER, tx(TransactionType.TRANSFER_OUT).symbol("AAPL").price(BigDecimal.TEN)));
        assertThat(out.type()).isEqualTo("SELL");
        assertThat(out.comment()).endsWith(" transfer");
    }

    @Test
    void aFeeInAnotherCurrencyIsNamedInTheCommentNotAddedToTheActivity() {
        Activity buy = sent(map(KRAKEN, tx(TransactionType.BUY).symbol("ETH").price(BigDecimal.TEN).accountId("kraken")
                .fees(new BigDecimal("0.001")).feeCurrency("BNB")));
        assertThat(buy.fee()).isEqualByComparingTo("0");
        assertThat(buy.comment()).contains("fee 0.001 BNB not included");
    }

    @Test
    void settingsRefuseATokenOverPlainHttpAndABadSymbolOverride() {
        assertThatThrownBy(() -> GhostfolioSettings.read("gf", new ConfigSection("sinks.gf",
                Map.of("url", "http://gf.example.com", "symbols", Map.of("VOD", "VOD.L")))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sinks.gf.url: http:// would send the token unencrypted")
                .hasMessageContaining("sinks.gf.symbols.VOD: expected DATA_SOURCE:SYMBOL");
        assertThat(GhostfolioSettings.read("gf", new ConfigSection("sinks.gf", Map.of("url",
                "http://127.0.0.1:3333"))).url().toString()).isEqualTo("http://127.0.0.1:3333");
        Activity vod = sent(mapper(Map.of("symbols", Map.of("VOD", "YAHOO:VOD.L"))).map(BROKER, new ChangedRecord("R1",
                "a".repeat(64), tx(TransactionType.BUY).symbol("VOD").price(BigDecimal.ONE).build())));
        assertThat(vod.symbol()).isEqualTo("VOD.L");
    }
}
