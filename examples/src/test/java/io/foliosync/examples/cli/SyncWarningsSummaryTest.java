package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.DataWarning;
import io.foliosync.imports.ImportCounts;
import io.foliosync.imports.JobResult;
import io.foliosync.imports.JobStatus;
import io.foliosync.imports.SyncReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The sync summary's warnings: a count per source, then at most ten lines of each. */
class SyncWarningsSummaryTest {
    private static JobResult result(String source, int warnings) {
        List<DataWarning> w = IntStream.range(0, warnings).mapToObj(i -> DataWarning.field(source, "/s/f" + i + ".qfx",
                i + 1, "FITID", "kept apart")).toList();
        return new JobResult(source, OptionalLong.of(1), JobStatus.SUCCEEDED, ImportCounts.ZERO, 0, 0, 0, 1,
                Instant.EPOCH, Instant.EPOCH, Optional.empty(), List.of(), List.of(), w);
    }

    private static String print(SyncReport report) {
        StringWriter s = new StringWriter();
        SyncCommand.printWarnings(new PrintWriter(s), report);
        return s.toString();
    }

    @Test
    void countsPerSourceAndCapsTheLinesOfEach() {
        String out = print(new SyncReport(List.of(result("chase", 12), result("kraken", 0), result("icbc", 1))));

        assertThat(out).contains("13 warnings (chase: 12, icbc: 1):")
                .contains("  chase: /s/f0.qfx, line 1, field 'FITID': kept apart")
                .contains("  chase: /s/f9.qfx, line 10")
                .doesNotContain("/s/f10.qfx")
                .contains("  chase: ... and 2 more")
                .contains("  icbc: /s/f0.qfx, line 1, field 'FITID': kept apart")
                .doesNotContain("kraken");
    }

    @Test
    void nothingWhenNoSourceWarned() {
        assertThat(print(new SyncReport(List.of(result("kraken", 0))))).isEmpty();
    }
}
