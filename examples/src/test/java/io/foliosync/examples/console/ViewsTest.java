package io.foliosync.examples.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Account numbers reach a page only by their last four characters. */
class ViewsTest {
    @Test
    void masksAccountNumbersToTheirLastFour() {
        assertThat(Views.mask("U7654321")).isEqualTo("…4321");
        assertThat(Views.mask("123456789012")).isEqualTo("…9012");
        assertThat(Views.mask("kraken")).as("a name, not a number").isEqualTo("kraken");
        assertThat(Views.mask("1234")).isEqualTo("1234");
    }

    @Test
    void scrubsAccountNumbersInsideMessages() {
        assertThat(Views.scrub("gateway account U7654321 is not authenticated; source ibkr-U7654321"))
                .isEqualTo("gateway account …4321 is not authenticated; source ibkr-…4321");
        assertThat(Views.scrub("3 of 2024 records")).isEqualTo("3 of 2024 records");
    }
}
