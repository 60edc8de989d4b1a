package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.imports.ImportCounts;
import io.foliosync.imports.JobResult;
import io.foliosync.imports.JobStatus;
import io.foliosync.imports.SinkOutcome;
import io.foliosync.imports.SyncReport;
import io.foliosync.connectors.api.sink.Delivery;
import io.foliosync.connectors.api.sink.RefusedRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Issue 21: a sync's exit code, 0, 1 (a source failed) or 3 (all synced, records rejected); a failure wins. */
class ExitCodesTest {
    private static final Instant T = Instant.parse("2024-06-01T12:00:00Z");

    private static JobResult job(String id, JobStatus status, long rejected) {
        return new JobResult(id, OptionalLong.of(1), status, new ImportCounts(3, 0, 0, rejected), 0, 1, 1, 1, T, T,
                status == JobStatus.FAILED ? Optional.of(id + ": unreachable") : Optional.empty());
    }

    @Test
    void rejectedRecordsHaveTheirOwnCodeAndAFailedSourceWinsOverThem() {
        SyncReport clean = new SyncReport(List.of(job("a", JobStatus.SUCCEEDED, 0)));
        SyncReport rejected = new SyncReport(List.of(job("a", JobStatus.SUCCEEDED, 0), job("b", JobStatus.SUCCEEDED, 4)));
        SyncReport both = new SyncReport(List.of(job("a", JobStatus.FAILED, 0), job("b", JobStatus.SUCCEEDED, 4)));

        assertThat(Errors.of(clean)).isZero();
        assertThat(Errors.of(rejected)).isEqualTo(Errors.REJECTED).isEqualTo(3);
        assertThat(Errors.of(both)).isEqualTo(Errors.FAILED);
        assertThat(List.of(Errors.FAILED, Errors.CONFIGURATION, Errors.REJECTED, Errors.MASTER_KEY))
                .doesNotHaveDuplicates();
        assertThat(Errors.MASTER_KEY).as("issue 23: its own code, after 0-3").isEqualTo(4);
        assertThat(rejected.allSucceeded()).isFalse();
        assertThat(rejected.partiallyFailed()).isTrue();
        assertThat(both.partiallyFailed()).isFalse();
        assertThat(both.withRejections()).extracting(JobResult::sourceId).containsExactly("b");
    }

    @Test
    void aFailedSinkIsAPartialFailureWithItsOwnCodeBelowTheSourcesOnes() {
        SinkOutcome down = new SinkOutcome("ghostfolio", "src", "ACC-1", Delivery.NOTHING,
                Optional.of("ghostfolio: connection refused"));
        SinkOutcome refused = new SinkOutcome("ghostfolio", "src", "ACC-1", new Delivery(2, 0, 0, 0,
                List.of(new RefusedRecord("T9", "activities.0.currency must be a valid ISO4217 currency code"))),
                Optional.empty());
        SinkOutcome fine = new SinkOutcome("ghostfolio", "src", "ACC-1", new Delivery(3, 0, 0, 0, List.of()),
                Optional.empty());

        assertThat(Errors.of(new SyncReport(List.of(job("a", JobStatus.SUCCEEDED, 0).withSinks(List.of(fine))))))
                .isZero();
        assertThat(Errors.of(new SyncReport(List.of(job("a", JobStatus.SUCCEEDED, 0).withSinks(List.of(down))))))
                .isEqualTo(Errors.SINK).isEqualTo(5);
        assertThat(Errors.of(new SyncReport(List.of(job("a", JobStatus.SUCCEEDED, 0).withSinks(List.of(refused))))))
                .isEqualTo(Errors.SINK);
        assertThat(Errors.of(new SyncReport(List.of(job("a", JobStatus.SUCCEEDED, 4).withSinks(List.of(down))))))
                .isEqualTo(Errors.REJECTED);
        assertThat(Errors.of(new SyncReport(List.of(job("a", JobStatus.SUCCEEDED, 0).withSinks(List.of(down)),
                job("b", JobStatus.FAILED, 0))))).isEqualTo(Errors.FAILED);
        assertThat(List.of(Errors.FAILED, Errors.CONFIGURATION, Errors.REJECTED, Errors.MASTER_KEY, Errors.SINK))
                .doesNotHaveDuplicates();
    }
}
