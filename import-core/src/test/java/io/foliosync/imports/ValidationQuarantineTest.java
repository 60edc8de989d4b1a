package io.foliosync.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.pipeline.Severity;
import io.foliosync.imports.pipeline.ValidationRule;
import io.foliosync.imports.pipeline.Validator;
import io.foliosync.imports.store.PortfolioStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValidationQuarantineTest {
    private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    static Stream<Arguments> rules() {
        return TestDatabases.backends().stream().flatMap(b -> Stream.of(ValidationRule.values())
                .map(r -> Arguments.of(b, r)));
    }

    /** A record that breaks exactly {@code rule}. */
    private static List<Transaction> breaking(ValidationRule rule) {
        Transaction.Builder bad = Tx.buy("src", "BAD", 5);
        return switch (rule) {
            case REQUIRED_FIELDS -> List.of(bad.price(null).build());
            case QUANTITY_SIGN -> List.of(bad.quantity(BigDecimal.ZERO).build());
            case PRICE_SIGN -> List.of(bad.price(BigDecimal.ZERO).amount(BigDecimal.ZERO).build());
            case AMOUNT_MATCHES -> List.of(bad.amount(new BigDecimal("999.99")).build());
            case DATE_IN_FUTURE -> List.of(bad.date(NOW.plus(Duration.ofDays(3))).build());
            case DATE_BEFORE_1970 -> List.of(bad.date(Instant.parse("1969-12-31T00:00:00Z")).build());
            case KNOWN_CURRENCY -> List.of(bad.currency("QQQX").build());
            case DUPLICATE_SOURCE_ID -> List.of(Tx.buy("src", "BAD", 4).build(), bad.build());
            // a NUL in the text: the quarantine keeps the record on PostgreSQL as well
            case TEXT_ENCODING -> List.of(bad.description("PAYROLL\0ACME").build());
        };
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("rules")
    void recordBreakingARuleIsQuarantinedWithRuleAndReasonAndTheRestImported(Backend backend, ValidationRule rule) {
        DatabaseSettings settings = TestDatabases.settings(backend, dir);
        try (PortfolioStore store = PortfolioStore.open(settings)) {
            FakeConnector src = new FakeConnector("src");
            src.pageSize = 10;
            List<Transaction> page = new ArrayList<>(breaking(rule));
            page.add(Tx.buy("src", "GOOD", 1).build());
            src.transactions = page;
            // PRICE_SIGN is a warning by default; raise it so this test sees it quarantined
            Validator validator = Validator.builder().clock(CLOCK).severity(ValidationRule.PRICE_SIGN, Severity.ERROR)
                    .build();
            try (ImportOrchestrator sync = ImportOrchestrator.builder(store).clock(CLOCK).validator(validator)
                    .addConnector(src).build()) {
                JobResult result = sync.sync("src");

                assertThat(result.status()).isEqualTo(JobStatus.SUCCEEDED);
                assertThat(result.counts().rejected()).isEqualTo(1);
                assertThat(result.counts().imported()).isEqualTo(page.size() - 1);
                assertThat(store.quarantine(Optional.of("src"))).singleElement().satisfies(q -> {
                    assertThat(q.rule()).isEqualTo(rule.dbValue());
                    assertThat(q.severity()).isEqualTo(Severity.ERROR);
                    assertThat(q.recordId()).isEqualTo("BAD");
                    assertThat(q.reason()).isNotBlank();
                    assertThat(q.record()).contains("BAD");
                });
                assertThat(store.jobs(Optional.of("src"), 1).get(0).counts().rejected()).isEqualTo(1);

                // the same bad record again: counted, not quarantined twice
                src.ignoreSince = true;
                sync.sync("src");
                assertThat(store.quarantine(Optional.of("src"))).hasSize(1);
            }
        } finally {
            TestDatabases.drop(settings);
        }
    }
}
