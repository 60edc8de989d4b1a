package io.foliosync.plugins.chase;

import io.foliosync.connectors.api.BankStatement;
import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.DataFetchException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Source ids must not change when the CSV reader or the id helper moves: users' databases deduplicate
 * re-imports by them. {@code source-ids-before-commons-csv.txt} was written by the hand-written CSV reader and
 * the plugin's own SourceIds class (before Commons CSV and StatementLineIds replaced them), with {@link #describe}.
 */
class SourceIdsUnchangedTest {
    static final List<String> SAMPLES = List.of("chase-csv/Chase1234_Activity_20230131.CSV",
            "chase-csv/Chase5678_Activity20230131.CSV", "chase-qfx/Chase5678_Activity_20230131.QFX",
            "ofx/ofxparse-checking.ofx", "ofx/ofxparse-fidelity-investment.ofx",
            "ofx/ofxparse-multiple-accounts-v2xml.ofx", "ofx/ofxparse-suncorp-v2xml.ofx",
            "ofx/ofxparse-tdameritrade-positions.ofx", "ofx/ofxparse-v102-empty-tags.ofx");

    /** One line per statement line: sample, account, index, date, amount and source id. */
    static List<String> describe(String sample) {
        List<String> out = new ArrayList<>();
        try {
            for (BankStatement s : ChasePlugin.parseFile(Resources.path(sample))) {
                List<BankTransaction> lines = s.transactions();
                for (int i = 0; i < lines.size(); i++) {
                    BankTransaction t = lines.get(i);
                    out.add(String.join("\t", sample, s.accountId(), Integer.toString(i), t.postedDate().toString(),
                            t.amount().toPlainString(), t.sourceId()));
                }
            }
        } catch (DataFetchException e) {
            out.add(sample + "\trefused");
        }
        return out;
    }

    @Test
    void sampleStatementsKeepTheirSourceIds() throws IOException {
        List<String> expected;
        try (InputStream in = getClass().getResourceAsStream("/source-ids-before-commons-csv.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#"))
                    .toList();
        }
        List<String> actual = new ArrayList<>();
        SAMPLES.forEach(s -> actual.addAll(describe(s)));

        assertThat(expected).hasSizeGreaterThan(20).anyMatch(l -> l.contains("\th:")); // lines without a bank id
        assertThat(actual).containsExactlyElementsOf(expected);
    }
}
