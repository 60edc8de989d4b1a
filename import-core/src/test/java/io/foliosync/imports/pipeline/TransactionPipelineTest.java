package io.foliosync.imports.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.Tx;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each stage on its own, then the four in a row. */
class TransactionPipelineTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC);
    private static final Validator VALIDATOR = Validator.defaults(CLOCK);
    private static final TransactionPipeline.Origin BROKER =
            new TransactionPipeline.Origin("ibkr-U1", "broker", "ibkr", false);

    @Test
    void normalizeStageKeepsTheConnectorsTypeWhateverItsRawTypeSays() {
        NormalizeStage stage = new NormalizeStage(Normalizer.defaults(), "kraken", 1);
        Transaction allocation = Tx.buy("kraken", "L1", 0).type(TransactionType.OTHER).price(null)
                .rawType("staking/allocation").build();

        assertThat(stage.apply(allocation, 0).type()).isEqualTo(TransactionType.OTHER);
        assertThat(stage.apply(Tx.buy("kraken", "L2", 0).symbol("XBT").build(), 1).symbol()).contains("BTC");
    }

    @Test
    void normalizeStageNamesTheRecordItCannotRead() {
        // an alias to nothing leaves a blank symbol, which no transaction may have
        NormalizeStage stage = new NormalizeStage(Normalizer.withAliases(Map.of("AAPL", " ")), "ibkr-U1", 3);
        Transaction unnamed = Tx.buy("ibkr", null, 0).sourceId(null).build();

        assertThatThrownBy(() -> stage.apply(unnamed, 4)).isInstanceOfSatisfying(DataFetchException.class, e ->
                assertThat(e.getMessage()).contains("ibkr-U1", "transactions page 3", "#5"));
    }

    @Test
    void aFigureBeyondTheStoredPrecisionIsMalformedNamingSourceRecordAndField() {
        NormalizeStage stage = new NormalizeStage(Normalizer.defaults(), "chase", 2);
        // a deposit whose amount a statement wrote as -1E+400: 401 digits if it were stored
        Transaction huge = Tx.dividend("chase", 0).toBuilder().type(TransactionType.DEPOSIT).symbol(null)
                .amount(new BigDecimal("-1E+400")).sourceId("FIT-7").build();
        Transaction gigabyte = Tx.buy("chase", "FIT-8", 0).price(new BigDecimal("1E+999999999")).build();
        Transaction tiny = Tx.buy("chase", "FIT-9", 0).fees(new BigDecimal("1E-41")).build();

        assertThatThrownBy(() -> stage.apply(huge, 0)).isInstanceOfSatisfying(DataFetchException.class, e -> {
            assertThat(e.field()).contains("amount");
            assertThat(e.getMessage()).contains("chase", "FIT-7", "amount", "-1E+400", "24 integer digits")
                    .hasSizeLessThan(600);
        });
        assertThatThrownBy(() -> stage.apply(gigabyte, 0)).isInstanceOfSatisfying(DataFetchException.class, e ->
                assertThat(e.getMessage()).contains("FIT-8", "price", "1E+999999999").hasSizeLessThan(600));
        assertThatThrownBy(() -> stage.apply(tiny, 0)).isInstanceOfSatisfying(DataFetchException.class, e ->
                assertThat(e.field()).contains("fees"));
        // the limits themselves are figures: 24 integer digits, 40 decimal places, and a zero of any scale
        Transaction atLimits = Tx.buy("chase", "FIT-10", 0).quantity(new BigDecimal("1E-40"))
                .amount(new BigDecimal("999999999999999999999999.5")).price(new BigDecimal("1E+23"))
                .fees(new BigDecimal("0E+500")).build();
        assertThat(stage.apply(atLimits, 0).amount()).isEqualByComparingTo("999999999999999999999999.5");
    }

    @Test
    void identifyStageUsesTheSourceIdElseAContentHashCountingTwins() {
        IdentifyStage stage = new IdentifyStage();
        Transaction twin = Tx.buy("ibkr", null, 0).sourceId(null).build();

        assertThat(stage.recordId(Tx.buy("ibkr", "T1", 0).build())).isEqualTo("T1");
        String first = stage.recordId(twin);
        assertThat(first).startsWith("h:");
        assertThat(stage.recordId(twin)).isEqualTo(first + "#2");
        assertThat(new IdentifyStage().recordId(twin)).as("a new page counts afresh").isEqualTo(first);
    }

    @Test
    void validateStageRejectsErrorsAndKeepsWarnings() {
        ValidateStage stage = new ValidateStage(VALIDATOR, "ibkr-U1", false);
        Transaction noSymbol = Tx.buy("ibkr", "T1", 0).symbol(null).build();
        Transaction freeShares = Tx.buy("ibkr", "T2", 0).price(BigDecimal.ZERO).amount(BigDecimal.ZERO)
                .fees(BigDecimal.ZERO).build();

        assertThat(stage.rejections(noSymbol, "T1", "record T1")).singleElement().satisfies(r -> {
            assertThat(r.issue().rule()).isEqualTo(ValidationRule.REQUIRED_FIELDS);
            assertThat(r.issue().field()).contains("symbol");
            assertThat(r.value()).isEmpty(); // a missing symbol has no value to show
            assertThat(r.recordDate()).isEqualTo(noSymbol.date());
            assertThat(r.location()).isEqualTo("record T1");
        });
        Transaction zero = Tx.buy("ibkr", "T3", 0).quantity(BigDecimal.ZERO).build();
        assertThat(stage.rejections(zero, "T3", "record T3")).singleElement()
                .satisfies(r -> assertThat(r.value()).contains("0"));
        assertThat(stage.rejections(freeShares, "T2", "record T2")).isEmpty();
    }

    @Test
    void validateStageAcceptsAnExchangesOwnTickersOnlyForAnExchange() {
        Transaction xtz = Tx.buy("kraken", "T1", 0).currency("XTZ").build();

        assertThat(new ValidateStage(VALIDATOR, "kraken", true).rejections(xtz, "T1", "record T1")).isEmpty();
        assertThat(new ValidateStage(VALIDATOR, "ibkr-U1", false).rejections(xtz, "T1", "record T1"))
                .extracting(r -> r.issue().rule()).containsExactly(ValidationRule.KNOWN_CURRENCY);
    }

    @Test
    void deduplicateStageRejectsTheSecondRecordOfAnIdentityInOnePagePerAccount() {
        DeduplicateStage stage = new DeduplicateStage(VALIDATOR, 2);
        Transaction t = Tx.buy("ibkr", "T1", 0).build();

        assertThat(stage.rejection(t, "T1", "record T1")).isEmpty();
        assertThat(stage.rejection(Tx.buy("ibkr", "T1", 0).accountId("ACC-2").build(), "T1", "record T1")).isEmpty();
        assertThat(stage.rejection(t, "T1", "record T1")).hasValueSatisfying(r -> {
            assertThat(r.issue().rule()).isEqualTo(ValidationRule.DUPLICATE_SOURCE_ID);
            assertThat(r.issue().message()).contains("page 2");
        });
    }

    @Test
    void aPageGoesThroughAllFourStagesInOrder() {
        TransactionPipeline pipeline = new TransactionPipeline(Normalizer.defaults(), VALIDATOR);
        List<Transaction> page = List.of(
                Tx.buy("ibkr", "T1", 0).quantity(new BigDecimal("-2")).build(), // a sell written as a negative buy
                Tx.buy("ibkr", "T2", 1).symbol(null).build(),
                Tx.buy("ibkr", "T1", 2).build());

        TransactionBatch batch = pipeline.page(BROKER, page, 1);

        assertThat(batch.sourceType()).isEqualTo("broker");
        assertThat(batch.sourceName()).isEqualTo("ibkr");
        assertThat(batch.records()).singleElement().satisfies(k -> {
            assertThat(k.recordId()).isEqualTo("T1");
            assertThat(k.transaction().type()).isEqualTo(TransactionType.SELL);
            assertThat(k.contentHash()).isEqualTo(Hashing.contentHash(k.transaction()));
        });
        assertThat(batch.rejections()).extracting(r -> r.recordId() + " " + r.issue().rule())
                .containsExactly("T2 REQUIRED_FIELDS", "T1 DUPLICATE_SOURCE_ID");
    }
}
