package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.examples.cli.ShadedJar.Run;
import io.foliosync.examples.cli.ShadedJar.Started;
import io.foliosync.sinks.ghostfolio.GhostfolioStandIn;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28 as a user runs it, the shaded jar as a process: the demo's history, then a sync of its statement files
 * delivered to a loopback Ghostfolio (a token stored encrypted; every activity once; a re-run sends nothing; the
 * server down for one run, exit 5, caught up on the next with a corrected trade updated in place), and the three
 * exports written from the same database.
 */
class SinksAndExportsJarTest {
    private static final String TOKEN = "gf-token-3f9a1c77e2";

    @TempDir
    Path dir;

    @Test
    void theDemosHistoryReachesGhostfolioOnceCatchesUpAfterAnOutageAndExportsToThreeFormats() throws Exception {
        Run demo = ShadedJar.start(dir, "demo", "--dir", dir.resolve("data").toString()).await();
        assertThat(demo.exit()).as(demo.output()).isZero();
        Path db = dir.resolve("data/foliosync-demo.db");
        Path files = dir.resolve("data/demo");

        GhostfolioStandIn ghostfolio = new GhostfolioStandIn(TOKEN, Clock.systemUTC());
        try (MockWebServer server = ghostfolio.start()) {
            Path statement = dir.resolve("flex.xml");
            String flex = Files.readString(files.resolve("ibkr/flex-activity.xml"));
            Files.writeString(statement, flex);
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
                    schwab:
                      enabled: true
                      api_enabled: false
                      csv_fallback:
                        enabled: true
                        positions_file: %s
                        transactions_file: %s
                    sinks:
                      ghostfolio:
                        type: ghostfolio
                        url: %s
                    """.formatted(db, files.resolve("master.key"), files, statement,
                    files.resolve("schwab/positions-sample.csv"), files.resolve("schwab/transactions-sample.csv"),
                    server.url("/")));

            Run check = ShadedJar.start(dir, "config", "check", "--config", config.toString()).await();
            assertThat(check.exit()).as(check.output()).isZero();
            assertThat(check.output()).contains("will deliver to: ghostfolio (sinks.ghostfolio)");

            Started token = ShadedJar.start(dir, "sinks", "token", "ghostfolio", "--config", config.toString());
            try (OutputStream in = token.process().getOutputStream()) {
                in.write((TOKEN + "\n").getBytes(StandardCharsets.UTF_8));
            }
            Run stored = token.await();
            assertThat(stored.exit()).as(stored.output()).isZero();
            assertThat(Files.readString(db, StandardCharsets.ISO_8859_1)).as("the token is stored encrypted")
                    .doesNotContain(TOKEN);

            Run first = ShadedJar.sync(config);
            assertThat(first.exit()).as(first.output()).isZero();
            long delivered = ShadedJar.count(db, "SELECT COUNT(*) FROM sink_remote_ids WHERE sink_id = 'ghostfolio'");
            assertThat(delivered).isPositive();
            assertThat(ghostfolio.activities).hasSize((int) delivered);
            assertThat(first.output()).contains("sink").containsPattern("ghostfolio\\s+ibkr/U7654321\\s+\\d+");
            assertThat(ghostfolio.accounts.values()).extracting(a -> a.get("name")).contains(
                    "FolioSync ibkr-flex-files/U7654321");
            assertThat(ghostfolio.activities.values()).allSatisfy(a ->
                    assertThat(String.valueOf(a.get("comment"))).startsWith("foliosync:"));
            int imports = ghostfolio.importRequests();

            Run again = ShadedJar.sync(config);
            assertThat(again.exit()).as(again.output()).isZero();
            assertThat(ghostfolio.activities).hasSize((int) delivered);
            assertThat(ghostfolio.importRequests()).as("nothing new: no import request").isEqualTo(imports);

            // the MSFT buy corrected at the source and read again (an incremental sync reads from its cursor, after
            // the trade: --full is the user's repair); Ghostfolio down for that run
            Files.writeString(statement, flex.replace("tradePrice=\"404.52\" tradeMoney=\"4045.2\" "
                    + "proceeds=\"-4045.2\"", "tradePrice=\"404.62\" tradeMoney=\"4046.2\" proceeds=\"-4046.2\"")
                    .replace("netCash=\"-4046.2\" closePrice=\"403.76\"", "netCash=\"-4047.2\" closePrice=\"403.76\""));
            ghostfolio.down(true);
            Run down = ShadedJar.start(dir, "sync", "--config", config.toString(), "--source", "ibkr-flex-files",
                    "--full").await();
            assertThat(down.exit()).as(down.output()).isEqualTo(5);
            assertThat(down.output()).containsPattern("ghostfolio\\s+ibkr/U7654321.*failed.*503");
            assertThat(down.line("ibkr-flex-files")).contains("succeeded").matches(".*\\s0\\s+1\\s+\\d+\\s+0\\s.*");
            assertThat(ghostfolio.updates()).isZero();

            ghostfolio.down(false);
            Run back = ShadedJar.sync(config);
            assertThat(back.exit()).as(back.output()).isZero();
            assertThat(ghostfolio.updates()).isEqualTo(1);
            assertThat(ghostfolio.activities).hasSize((int) delivered);
            assertThat(ghostfolio.activities.values()).filteredOn(a -> "MSFT".equals(a.get("symbol"))
                    && "BUY".equals(a.get("type"))).singleElement().satisfies(a ->
                    assertThat(a.get("unitPrice").toString()).isEqualTo("404.62"));
            Run status = ShadedJar.start(dir, "sinks", "status", "--config", config.toString()).await();
            assertThat(status.output()).contains("ghostfolio").contains("ibkr/U7654321");
            assertThat(ghostfolio.logins()).as("the JWT is kept between runs").isEqualTo(1);
        }

        for (String format : List.of("pp", "csv", "json", "ofx")) {
            Path out = dir.resolve("export-" + format);
            Run export = ShadedJar.start(dir, "export", format, "--out", out.toString(), "--db", db.toString())
                    .await();
            assertThat(export.exit()).as(export.output()).isZero();
            try (Stream<Path> written = Files.list(out)) {
                List<Path> list = written.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
                assertThat(list).as(format).isNotEmpty();
                if (format.equals("pp")) {
                    assertThat(list).extracting(p -> p.getFileName().toString())
                            .contains("ibkr_U7654321.account-transactions.csv",
                                    "ibkr_U7654321.portfolio-transactions.csv");
                }
            }
        }
        assertThat(Files.readString(dir.resolve("export-pp/ibkr_U7654321.portfolio-transactions.csv")))
                .startsWith("Date,Time,Type,Value,Transaction Currency,Shares,Ticker Symbol,Security Name,Fees,"
                        + "Taxes,Note,Cash Account,Securities Account\r\n")
                .contains(",Buy,").contains("MSFT");
        assertThat(Files.readString(dir.resolve("export-csv/transactions.csv"))).contains("700000101");
        assertThat(Files.readString(dir.resolve("export-ofx/transactions.ofx"))).contains("<BUYSTOCK>");
        Run window = ShadedJar.start(dir, "export", "csv", "--out", dir.resolve("w").toString(), "--db",
                db.toString(), "--source", "ibkr", "--from", "2024-03-01", "--to", "2024-03-31").await();
        assertThat(window.exit()).as(window.output()).isZero();
        assertThat(Files.readAllLines(dir.resolve("w/transactions.csv"))).hasSizeGreaterThan(1)
                .allSatisfy(l -> assertThat(l).matches("^(source,.*|ibkr,.*,2024-03-\\d\\d,.*)$"));
    }
}
