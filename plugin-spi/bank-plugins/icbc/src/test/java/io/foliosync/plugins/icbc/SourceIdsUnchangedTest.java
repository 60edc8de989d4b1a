package io.foliosync.plugins.icbc;

import io.foliosync.connectors.api.BankStatement;
import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.BankTransaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Source ids must not change when the CSV reader or the id helper moves: users' databases deduplicate
 * re-imports by them. {@code icbc/source-ids-before-commons-csv.txt} was written by the hand-written CSV reader
 * and the plugin's own SourceIds class (before Commons CSV and StatementLineIds replaced them), with
 * {@link #describe}: the GBK sample as shipped, and the same text as UTF-8 with a byte-order mark.
 */
class SourceIdsUnchangedTest {
    @TempDir
    Path tmp;

    static List<String> describe(String name, Path file) {
        BankStatement s = IcbcPlugin.parseFile(file, "auto", ColumnMapping.defaultMapping(), Optional.empty());
        List<String> out = new ArrayList<>();
        List<BankTransaction> lines = s.transactions();
        for (int i = 0; i < lines.size(); i++) {
            BankTransaction t = lines.get(i);
            out.add(String.join("\t", name, s.accountId(), Integer.toString(i), t.postedDate().toString(),
                    t.amount().toPlainString(), t.sourceId()));
        }
        return out;
    }

    static Path utf8WithBom(Path gbk, Path target) throws IOException {
        String text = new String(Files.readAllBytes(gbk), IcbcCsvParserTest.GBK);
        return Files.write(target, ("\uFEFF" + text).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSampleKeepsItsSourceIdsInGbkAndInUtf8WithBom() throws Exception {
        Path golden = Path.of(getClass().getResource("/icbc/source-ids-before-commons-csv.txt").toURI());
        List<String> expected = Files.readAllLines(golden).stream().filter(l -> !l.startsWith("#")).toList();
        List<String> actual = new ArrayList<>(describe("gbk", IcbcCsvParserTest.sample()));
        actual.addAll(describe("utf8-bom", utf8WithBom(IcbcCsvParserTest.sample(), tmp.resolve("bom.csv"))));

        assertThat(expected).hasSizeGreaterThan(10);
        assertThat(actual).containsExactlyElementsOf(expected);
    }
}
