package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.json.Json;
import io.foliosync.examples.cli.ShadedJar.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, "absent is not zero", as a user sees it: the shaded jar syncs an IBKR Flex statement whose query does
 * not select Open Positions (trades and cash only). The sync does not say "does not reconcile", and
 * {@code reconcile --format json} shows each instrument as {@code no_positions_reported}, with no reported quantity
 * (not 0) beside what its history explains.
 */
class NoPositionsReportedJarTest {
    @TempDir
    Path dir;

    @Test
    void aFlexStatementWithoutOpenPositionsIsNoPositionsReportedNotZero() throws Exception {
        Path statement = dir.resolve("flex-no-positions.xml");
        Files.writeString(statement, RejectedRecordsJarTest.resource("issue21/flex-no-positions.xml"));
        Path db = dir.resolve("fs.db");
        Path config = dir.resolve("data_sources.yaml");
        Files.writeString(config, """
                global:
                  database_path: %s
                  master_key_file: %s
                  data_directory: %s
                  sync_frequency: manual
                interactive_brokers:
                  enabled: true
                  client_portal: false
                  flex:
                    files: ["%s"]
                """.formatted(db, dir.resolve("master.key"), dir, statement));

        Run sync = ShadedJar.sync(config);
        assertThat(sync.exit()).as(sync.output()).isZero();
        assertThat(sync.imported("ibkr-flex-files")).isEqualTo(4);
        assertThat(sync.output()).as(sync.output()).doesNotContain("does not reconcile");

        Run reconcile = ShadedJar.start(dir, "reconcile", "--config", config.toString(), "--format", "json").await();
        assertThat(reconcile.exit()).as(reconcile.output()).isZero();
        List<?> rows = (List<?>) Json.readTree(reconcile.output().substring(reconcile.output().indexOf('[')));
        assertThat(rows.stream().map(r -> (Map<?, ?>) r)
                .map(r -> r.get("asset") + " " + r.get("status") + " reported=" + r.get("reported") + " derived="
                        + r.get("derived") + " difference=" + r.get("difference")).toList())
                .containsExactly("AAPL no_positions_reported reported=null derived=6 difference=null",
                        "USD not_reconciled reported=1908 derived=1908 difference=0",
                        "VTI no_positions_reported reported=null derived=8 difference=null");

        Run table = ShadedJar.start(dir, "reconcile", "--config", config.toString()).await();
        assertThat(table.output()).as(table.output())
                .contains("ibkr U2100022: no positions reported by the source, not checked (history: AAPL 6, VTI 8)")
                .doesNotContain("does not reconcile");
    }
}
