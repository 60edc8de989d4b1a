package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 23, cases 1 and 9, on the one place every listing prints through; the *JarTest classes run it as a user. */
class OutputFormatTest {
    private static String print(OutputFormat format, boolean raw, List<Object> row) {
        StringWriter s = new StringWriter();
        format.print(new PrintWriter(s), List.of("a", "b", "c", "d"), List.of(row), raw);
        return s.toString();
    }

    @Test
    void csvNeutralisesTextThatASpreadsheetWouldEvaluateButNotNumbers() {
        List<Object> row = Arrays.asList("=1+1", new BigDecimal("-12.50"), OutputFormat.number(new BigDecimal("-3.00")),
                "\tTAB");
        assertThat(print(OutputFormat.CSV, false, row).lines()).containsExactly("a,b,c,d", "'=1+1,-12.5,-3,'\tTAB");
        assertThat(print(OutputFormat.CSV, true, row).lines()).containsExactly("a,b,c,d", "=1+1,-12.5,-3,\tTAB");
        for (String trigger : List.of("=", "+", "-", "@", "\t", "\r")) {
            assertThat(OutputFormat.spreadsheetSafe(trigger + "X")).isEqualTo("'" + trigger + "X");
        }
        assertThat(OutputFormat.spreadsheetSafe("PAYROLL -5")).isEqualTo("PAYROLL -5");
        // a carriage return inside a cell is quoted, so it cannot end the record
        assertThat(print(OutputFormat.CSV, true, Arrays.asList("x\ry", "", "", ""))).contains("\"x\ry\"");
    }

    @Test
    void aTableEscapesControlCharactersAndKeepsEveryScript() {
        String table = print(OutputFormat.TABLE, false, Arrays.asList("\u001b]0;t\u0007", "a\rb", "\u202Eevil",
                "Zürich 東京 café"));
        assertThat(table).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\r")
                .doesNotContain("\u202E").contains("\\x1B]0;t\\x07").contains("a\\x0Db").contains("\\u202Eevil")
                .contains("Zürich 東京 café");
        assertThat(OutputFormat.terminalSafe("\u009b2J")).isEqualTo("\\x9B2J");
        assertThat(Errors.oneLine("line one\nline \u001b[31mtwo")).isEqualTo("line one line \\x1B[31mtwo");
        // JSON keeps a self-formatted number the string it always was
        assertThat(print(OutputFormat.JSON, false, Arrays.asList(OutputFormat.number(new BigDecimal("-1.50")), null,
                null, null))).contains("\"a\": \"-1.5\"");
    }
}
