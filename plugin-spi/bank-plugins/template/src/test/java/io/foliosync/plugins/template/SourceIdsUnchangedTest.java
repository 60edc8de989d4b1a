package io.foliosync.plugins.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.BankTransaction;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Source ids must not change when the CSV reader changes: users' databases deduplicate re-imports by them.
 * {@code template/source-ids-before-commons-csv.txt} was written by the hand-written reader that Commons CSV
 * replaced, with {@link #describe}.
 */
class SourceIdsUnchangedTest {
    static List<String> describe(Path sample) {
        List<String> out = new ArrayList<>();
        List<BankTransaction> lines = SimpleCsv.read("template", sample, "template-checking", "USD");
        for (int i = 0; i < lines.size(); i++) {
            BankTransaction t = lines.get(i);
            out.add(String.join("\t", Integer.toString(i), t.postedDate().toString(), t.amount().toPlainString(),
                    t.sourceId()));
        }
        return out;
    }

    @Test
    void theSampleKeepsItsSourceIds() throws IOException, URISyntaxException {
        List<String> expected;
        try (InputStream in = getClass().getResourceAsStream("/template/source-ids-before-commons-csv.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#"))
                    .toList();
        }
        assertThat(expected).hasSize(4);
        assertThat(describe(Path.of(getClass().getResource("/template/checking.csv").toURI())))
                .containsExactlyElementsOf(expected);
    }
}
