package io.foliosync.plugins.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.plugins.PluginManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplatePluginTest {
    @TempDir
    Path dir;
    private final TemplatePlugin plugin = new TemplatePlugin();

    @BeforeEach
    void copySample() throws Exception {
        Files.copy(Path.of(getClass().getResource("/template/checking.csv").toURI()), dir.resolve("checking.csv"));
    }

    @Test
    void importsTheSampleCsv() {
        assertThat(plugin.authenticate(Map.of("statement_dir", dir.toString())).success()).isTrue();

        assertThat(plugin.getAccounts()).extracting(Account::accountId).containsExactly("template-checking");
        List<BankTransaction> lines = plugin.getTransactions("template-checking", Optional.empty());
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1).description()).isEqualTo("Coffee, large");
        assertThat(lines.get(1).amount()).isEqualByComparingTo("-4.50");
        assertThat(lines.get(1).type()).isEqualTo(TransactionType.WITHDRAWAL);
        assertThat(lines.get(1).currency()).isEqualTo("USD");
        assertThat(lines.get(1).balanceAfter()).isEmpty();
        assertThat(lines.get(3).balanceAfter()).hasValueSatisfying(b -> assertThat(b).isEqualByComparingTo("3491"));
        assertThat(plugin.getBalance("template-checking")).hasValueSatisfying(b -> assertThat(b.amount()).isEqualByComparingTo("3491"));
        assertThat(plugin.getTransactions("template-checking", Optional.of(LocalDate.of(2024, 1, 5)))).hasSize(3);
        assertThat(plugin.getTransactions("template-unknown", Optional.empty())).isEmpty();
    }

    @Test
    void twoIdenticalPurchasesOnOneDayStayTwoRowsWithStableIds() {
        plugin.authenticate(Map.of("statement_dir", dir.toString(), "currency", "eur"));
        List<BankTransaction> first = plugin.getTransactions("template-checking", Optional.empty());
        List<BankTransaction> again = plugin.getTransactions("template-checking", Optional.empty());

        assertThat(first.get(1).sourceId()).isNotEqualTo(first.get(2).sourceId());
        assertThat(first).extracting(BankTransaction::sourceId)
                .containsExactlyElementsOf(again.stream().map(BankTransaction::sourceId).toList());
        assertThat(first.get(0).currency()).isEqualTo("EUR");
    }

    @Test
    void aTruncatedFileFailsNamingFileAndLine() throws Exception {
        Path cut = Files.writeString(dir.resolve("cut.csv"), "date,description,amount,balance\n2024-01-02,\"Opening de");
        plugin.authenticate(Map.of("statement_dir", dir.toString()));

        assertThatThrownBy(() -> plugin.getTransactions("template-cut", Optional.empty()))
                .isInstanceOf(DataFetchException.class)
                .hasMessage("template: " + cut + ": record line 2: expected 4 columns (date,description,amount,balance): "
                        + "the file looks truncated");
    }

    @Test
    void badValuesNameLineAndField() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "date,description,amount,balance\n2024-01-02,x,1\n31/01/2024,y,2\n");
        plugin.authenticate(Map.of("statement_dir", dir.toString()));

        assertThatThrownBy(() -> plugin.getTransactions("template-bad", Optional.empty()))
                .hasMessage("template: " + bad + ": record line 3: field 'date': '31/01/2024' is not a date like 2024-01-31");
    }

    @Test
    void quotedFieldsMayHoldQuotesAndLineBreaksAndLineNumbersStayRight() throws Exception {
        Path file = Files.writeString(dir.resolve("quotes.csv"), "\uFEFFDate,Description,Amount,Balance\r\n\r\n"
                + "2024-02-01,\"Transfer \"\"rent\"\"\nFebruary\",-900,\r\n2024-02-02,x,oops,\r\n");
        plugin.authenticate(Map.of("statement_dir", dir.toString()));

        assertThatThrownBy(() -> plugin.getTransactions("template-quotes", Optional.empty()))
                .hasMessage("template: " + file + ": record line 5: field 'amount': 'oops' is not a number like -12.34");
        Files.writeString(file, "date,description,amount,balance\n2024-02-01,\"Transfer \"\"rent\"\"\nFebruary\",-900,\n");
        assertThat(plugin.getTransactions("template-quotes", Optional.empty())).singleElement()
                .satisfies(t -> assertThat(t.description()).isEqualTo("Transfer \"rent\"\nFebruary"));
    }

    @Test
    void refusesBadSettingsAndCallsBeforeAuthentication() {
        assertThatThrownBy(plugin::getAccounts).hasMessageContaining("getAccounts called before authenticate()");
        assertThat(plugin.authenticate(Map.of()).success()).isFalse();
        assertThat(plugin.authenticate(Map.of("statement_dir", dir.toString(), "currency", "dollars")).message())
                .isEqualTo("currency must be an ISO 4217 code such as USD, not 'DOLLARS'");
        assertThat(plugin.healthCheck().healthy()).isFalse();
    }

    @Test
    void pluginManagerLoadsItAndItsMetadataAgreesWithTheManifest() {
        try (PluginManager manager = PluginManager.builder().build()) {
            assertThat(manager.discoverPlugins().problems()).isEmpty();
            assertThat(manager.loadPlugin("template")).isInstanceOf(TemplatePlugin.class);
        }
    }
}
