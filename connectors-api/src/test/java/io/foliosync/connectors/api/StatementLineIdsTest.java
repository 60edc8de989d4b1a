package io.foliosync.connectors.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatementLineIdsTest {
    private static final LocalDate JAN_5 = LocalDate.of(2024, 1, 5);

    @Test
    void givesTheIdsTheBankPluginsGaveBeforeTheyShareThisClass() {
        // written by the template plugin's own hash for its checking.csv sample
        StatementLineIds ids = new StatementLineIds();
        assertThat(ids.next(LocalDate.of(2024, 1, 2), new BigDecimal("1000.00"), "Opening deposit",
                Optional.of(new BigDecimal("1000.00")))).isEqualTo("h:30b0f48f5567f655a783e66fe9dfd272");
        assertThat(ids.next(JAN_5, new BigDecimal("-4.50"), "Coffee, large", Optional.empty()))
                .isEqualTo("h:d51dd9c242ae0dbb3655af0088d9eeac");
        assertThat(ids.next(JAN_5, new BigDecimal("-4.50"), "Coffee, large", Optional.empty()))
                .isEqualTo("h:4fc92364481af36b71c3fb1c18200222");
        assertThat(ids.next(LocalDate.of(2024, 1, 31), new BigDecimal("2500"), "Salary",
                Optional.of(new BigDecimal("3491.00")))).isEqualTo("h:699c816b579bfcdb86d531318b24c4b5");
    }

    @Test
    void idIsTheDocumentedHashOfDateAmountDescriptionBalanceAndOccurrence() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest("2024-01-05|-4.5|Café, large|10.1|1".getBytes(StandardCharsets.UTF_8));
        String expected = "h:" + HexFormat.of().formatHex(digest).substring(0, 32);

        assertThat(StatementLineIds.of(JAN_5, new BigDecimal("-4.50"), "Café, large",
                Optional.of(new BigDecimal("10.100")), 1)).isEqualTo(expected).matches("h:[0-9a-f]{32}");
    }

    @Test
    void identicalLinesStayDistinctAndEachFileCountsFromZero() {
        StatementLineIds file = new StatementLineIds();
        String first = file.next(JAN_5, new BigDecimal("-4.50"), "Coffee", Optional.empty());
        String second = file.next(JAN_5, new BigDecimal("-4.5"), "Coffee", Optional.empty());
        String other = file.next(JAN_5, new BigDecimal("-4.50"), "Tea", Optional.empty());

        assertThat(second).as("-4.5 and -4.50 are the same amount: a second occurrence").isNotEqualTo(first);
        assertThat(StatementLineIds.of(JAN_5, new BigDecimal("-4.50"), "Coffee", Optional.empty(), 1)).isEqualTo(second);
        assertThat(other).isEqualTo(StatementLineIds.of(JAN_5, new BigDecimal("-4.50"), "Tea", Optional.empty(), 0));
        assertThat(new StatementLineIds().next(JAN_5, new BigDecimal("-4.50"), "Coffee", Optional.empty()))
                .as("a re-import of the same file").isEqualTo(first);
    }

    @Test
    void balanceTakesPartInTheId() {
        String without = StatementLineIds.of(JAN_5, BigDecimal.ONE, "x", Optional.empty(), 0);
        String withZero = StatementLineIds.of(JAN_5, BigDecimal.ONE, "x", Optional.of(BigDecimal.ZERO), 0);
        assertThat(without).isNotEqualTo(withZero);
    }

    @Test
    void refusesMissingValuesAndNegativeOccurrences() {
        StatementLineIds ids = new StatementLineIds();
        assertThatThrownBy(() -> ids.next(null, BigDecimal.ONE, "x", Optional.empty()))
                .isInstanceOf(NullPointerException.class).hasMessage("date");
        assertThatThrownBy(() -> ids.next(JAN_5, BigDecimal.ONE, "x", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("balanceAfter");
        assertThatThrownBy(() -> StatementLineIds.of(JAN_5, BigDecimal.ONE, "x", Optional.empty(), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("occurrence");
    }
}
