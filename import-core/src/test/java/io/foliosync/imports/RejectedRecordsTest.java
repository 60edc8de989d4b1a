package io.foliosync.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.pipeline.Severity;
import io.foliosync.imports.pipeline.ValidationRule;
import io.foliosync.imports.pipeline.Validator;
import io.foliosync.imports.query.QuarantineEntry;
import io.foliosync.imports.store.PortfolioStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 21, "rejected records are a partial failure": a job that quarantined records says so, its cursor stops at
 * the earliest rejected record, and once the rule is fixed the next sync imports it exactly once and resolves it.
 */
class RejectedRecordsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** Three buys, the middle one with a quantity of zero: {@link ValidationRule#QUANTITY_SIGN} rejects it. */
    private static List<Transaction> history() {
        return List.of(Tx.buy("src", "T1", 1).build(),
                Tx.buy("src", "T2", 2).quantity(BigDecimal.ZERO).build(),
                Tx.buy("src", "T3", 3).build());
    }

    /** One sync by a new orchestrator (it closes its connectors), as each run of the command line is. */
    private static JobResult sync(PortfolioStore store, List<Transaction> history, Validator validator) {
        FakeConnector src = new FakeConnector("src");
        src.pageSize = 10;
        src.transactions = history;
        try (ImportOrchestrator sync = ImportOrchestrator.builder(store).clock(CLOCK).validator(validator)
                .addConnector(src).build()) {
            return sync.sync("src");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aRejectedRecordIsAPartialFailureAndAFixedRuleImportsItOnceAtTheNextSync(Backend backend) {
        DatabaseSettings settings = TestDatabases.settings(backend, dir);
        try (PortfolioStore store = PortfolioStore.open(settings)) {
            Validator strict = Validator.defaults(CLOCK);

            JobResult first = sync(store, history(), strict);
            assertThat(first.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(first.partiallyFailed()).isTrue();
            assertThat(first.complete()).isFalse();
            assertThat(first.rejected()).isEqualTo(1);
            assertThat(first.counts().imported()).isEqualTo(2);
            assertThat(new SyncReport(List.of(first)).allSucceeded()).isFalse();
            assertThat(new SyncReport(List.of(first)).partiallyFailed()).isTrue();
            assertThat(new SyncReport(List.of(first)).anyFailed()).isFalse();
            // the cursor stops at the rejected record, not at T3 after it
            assertThat(store.cursor("src")).contains(Tx.T0.plusSeconds(120));
            assertThat(store.openQuarantine(Optional.of("src"))).singleElement().satisfies(q -> {
                assertThat(q.rule()).isEqualTo("quantity_sign");
                assertThat(q.field()).contains("quantity");
                assertThat(q.value()).contains("0");
                assertThat(q.recordId()).isEqualTo("T2");
                assertThat(q.location()).contains("record T2");
                assertThat(q.sourceId()).contains("src");
                assertThat(q.recordDate()).contains(Tx.T0.plusSeconds(120));
                assertThat(q.lastJobId()).isEqualTo(first.jobId().getAsLong());
            });
            assertThat(store.rejectedBy(first.jobId().getAsLong())).extracting(QuarantineEntry::recordId)
                    .containsExactly("T2");

            // nothing changed: the record is read and rejected again, nothing is added
            JobResult again = sync(store, history(), strict);
            assertThat(again.partiallyFailed()).isTrue();
            assertThat(again.counts().imported()).isZero();
            assertThat(store.quarantine(Optional.of("src"))).hasSize(1);
            assertThat(store.openQuarantine(Optional.empty())).singleElement()
                    .satisfies(q -> assertThat(q.lastJobId()).isEqualTo(again.jobId().getAsLong()));
            assertThat(store.countTransactions(Optional.of("src"))).isEqualTo(2);

            // the rule is fixed (here: made a warning): the next sync imports the record and resolves it
            Validator fixed = Validator.builder().clock(CLOCK).severity(ValidationRule.QUANTITY_SIGN, Severity.WARNING)
                    .build();
            JobResult repaired = sync(store, history(), fixed);
            assertThat(repaired.complete()).isTrue();
            assertThat(repaired.counts().imported()).isEqualTo(1);
            assertThat(store.openQuarantine(Optional.of("src"))).isEmpty();
            assertThat(store.quarantine(Optional.of("src"))).singleElement()
                    .satisfies(q -> assertThat(q.resolvedAt()).isPresent());
            assertThat(store.transactions(Optional.of("src"))).extracting(t -> t.recordId())
                    .containsExactlyInAnyOrder("T1", "T2", "T3");
            assertThat(store.cursor("src")).contains(Tx.T0.plusSeconds(180));

            // and once more: nothing new, nothing rejected
            JobResult last = sync(store, history(), fixed);
            assertThat(last.complete()).isTrue();
            assertThat(last.counts().imported()).isZero();
            assertThat(store.countTransactions(Optional.of("src"))).isEqualTo(3);
        } finally {
            TestDatabases.drop(settings);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aQuarantinedRecordTheSourceNoLongerSendsIsResolvedAndReleasesTheCursor(Backend backend) {
        DatabaseSettings settings = TestDatabases.settings(backend, dir);
        try (PortfolioStore store = PortfolioStore.open(settings)) {
            Validator strict = Validator.defaults(CLOCK);
            assertThat(sync(store, history(), strict).partiallyFailed()).isTrue();

            // the source corrected the record under a new id and dropped the bad one
            List<Transaction> corrected = List.of(history().get(0), Tx.buy("src", "T2b", 2).build(),
                    history().get(2));
            JobResult next = sync(store, corrected, strict);
            assertThat(next.complete()).isTrue();
            assertThat(next.counts().imported()).isEqualTo(1);
            assertThat(store.openQuarantine(Optional.empty())).isEmpty();
            assertThat(store.cursor("src")).contains(Tx.T0.plusSeconds(180));
        } finally {
            TestDatabases.drop(settings);
        }
    }
}
