package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.json.Json;
import io.foliosync.examples.cli.ShadedJar.Run;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, "rejected records are a partial failure", as a user sees it: the shaded jar as a process syncs an IBKR
 * Flex statement two of whose trades the validator rejects (a BUY without a symbol, a BUY of quantity 0). The sync
 * exits 3, names the rejections; {@code rejected} lists them; a re-run adds nothing; once the statement is corrected
 * (the same trade ids, now valid) the next sync imports them exactly once, although they lie before the cursor.
 */
class RejectedRecordsJarTest {
    private static final String SOURCE = "ibkr-flex-files";

    @TempDir
    Path dir;

    @Test
    void aSyncThatRejectsRecordsExitsWithItsOwnCodeNamesThemAndAFixImportsThemOnce() throws Exception {
        Path statement = dir.resolve("flex-rejected.xml");
        String original = resource("issue21/flex-rejected.xml");
        Files.writeString(statement, original);
        Path db = dir.resolve("fs.db");
        Path config = config(statement, db);

        Run first = ShadedJar.sync(config);
        assertThat(first.exit()).as(first.output()).isEqualTo(3);
        assertThat(first.line(SOURCE)).contains("succeeded").matches(".*\\s4\\s+0\\s+0\\s+2\\s.*");
        assertThat(first.output()).as(first.output())
                .contains("rejected: " + SOURCE + ": 2 records not imported (quantity_sign 1, required_fields 1)")
                .contains("  - required_fields symbol=(none), record 910000001 (account U2100021): BUY without a symbol")
                .contains("  - quantity_sign quantity=0, record 910000002 (account U2100021): BUY needs a quantity "
                        + "above zero but has 0")
                .contains("see `foliosync rejected`")
                .doesNotContain("does not reconcile");

        List<?> rows = (List<?>) Json.readTree(json(run("rejected", "--config", config.toString(), "--format",
                "json")));
        assertThat(rows).hasSize(2).allSatisfy(r -> {
            Map<?, ?> m = (Map<?, ?>) r;
            assertThat(m.get("source")).isEqualTo(SOURCE);
            assertThat(m.get("account")).isEqualTo("U2100021");
            assertThat(m.get("job")).isNotNull();
        });
        assertThat(rows.stream().map(r -> (Map<?, ?>) r).map(m -> m.get("rule") + "/" + m.get("field") + "="
                + m.get("value") + "@" + m.get("record") + " " + m.get("record_time")).toList())
                .containsExactly("required_fields/symbol=@record 910000001 2024-01-08T15:00:00Z",
                        "quantity_sign/quantity=0@record 910000002 2024-01-09T15:15:00Z");
        assertThat(run("rejected", "--config", config.toString(), "--source", "ibkr", "--format", "csv"))
                .contains("source,account,rule,field,value,record,record_time,job,rejected_at,reason")
                .contains(SOURCE + ",U2100021,required_fields,symbol,,record 910000001");
        assertThat(run("rejected", "--config", config.toString(), "--source", "kraken"))
                .contains("no rejected records");

        // nothing changed: the same two are rejected again, nothing is added
        Run again = ShadedJar.sync(config);
        assertThat(again.exit()).as(again.output()).isEqualTo(3);
        assertThat(again.imported(SOURCE)).isZero();
        assertThat(ShadedJar.count(db, "SELECT COUNT(*) FROM quarantine")).isEqualTo(2);
        assertThat(ShadedJar.count(db, "SELECT COUNT(*) FROM transactions")).isEqualTo(4);

        // the statement is corrected (same trade ids): both are imported once, though the cursor was past them
        Files.writeString(statement, original
                .replace("symbol=\"\" description=\"UNKNOWN SECURITY\"", "symbol=\"IBM\" description=\"INTL BUSINESS MACHINES\"")
                .replace("quantity=\"0\" tradePrice=\"370.2\" tradeMoney=\"0\" proceeds=\"0\"",
                        "quantity=\"1\" tradePrice=\"370.2\" tradeMoney=\"370.2\" proceeds=\"-370.2\""));
        Run fixed = ShadedJar.sync(config);
        assertThat(fixed.exit()).as(fixed.output()).isZero();
        assertThat(fixed.imported(SOURCE)).isEqualTo(2);
        assertThat(fixed.output()).doesNotContain("rejected:");
        assertThat(run("rejected", "--config", config.toString())).contains("no rejected records");
        assertThat(ShadedJar.count(db, "SELECT COUNT(*) FROM transactions WHERE source_id IN ('910000001', "
                + "'910000002')")).isEqualTo(2);

        Run last = ShadedJar.sync(config);
        assertThat(last.exit()).as(last.output()).isZero();
        assertThat(last.imported(SOURCE)).isZero();
        assertThat(ShadedJar.count(db, "SELECT COUNT(*) FROM transactions")).isEqualTo(6);
    }

    /** A configuration whose one source is the Flex statement file (no gateway), failing fast. */
    private Path config(Path statement, Path db) throws IOException {
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
        return config;
    }

    private String run(String... args) throws Exception {
        Run r = ShadedJar.start(dir, args).await();
        assertThat(r.exit()).as(r.output()).isZero();
        return r.output();
    }

    /** The output holds stderr too: the JSON document is what starts with '['. */
    private static String json(String output) {
        return output.substring(output.indexOf('['));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = RejectedRecordsJarTest.class.getResourceAsStream("/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
