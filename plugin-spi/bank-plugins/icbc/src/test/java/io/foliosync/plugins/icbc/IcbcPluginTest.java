package io.foliosync.plugins.icbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.plugins.PluginManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IcbcPluginTest {
    @TempDir
    Path dir;

    @Test
    void importsAFolderOfExports() throws Exception {
        Files.copy(IcbcCsvParserTest.sample(), dir.resolve("history.csv"));
        Files.writeString(dir.resolve("other.csv"), "记账日期,摘要,发生额\n2024-03-01,消费,-35.50\n");
        IcbcPlugin plugin = new IcbcPlugin();

        AuthenticationResult auth = plugin.authenticate(Map.of("statement_dir", dir.toString(), "account_id", "icbc-wallet"));

        assertThat(auth.success()).isTrue();
        assertThat(plugin.getAccounts()).extracting(Account::accountId).containsExactly("icbc-7890", "icbc-wallet");
        assertThat(plugin.getAccounts().get(0).balance()).hasValueSatisfying(b -> assertThat(b).isEqualByComparingTo("12930.21"));
        assertThat(plugin.getTransactions("icbc-7890", Optional.of(LocalDate.of(2023, 1, 20))))
                .extracting(BankTransaction::postedDate)
                .containsExactly(LocalDate.of(2023, 1, 20), LocalDate.of(2023, 1, 21));
        assertThat(plugin.getBalance("icbc-wallet")).isEmpty();
        assertThat(plugin.healthCheck().healthy()).isTrue();
        plugin.logout();
        assertThatThrownBy(plugin::getAccounts).hasMessageContaining("called before authenticate()");
    }

    @Test
    void aFileThatCannotBeReadIsSkippedWithAWarningAndTheOthersAreImported() throws Exception {
        Files.copy(IcbcCsvParserTest.sample(), dir.resolve("history.csv"));
        Path broken = Files.writeString(dir.resolve("export-2024.csv"), "not an ICBC export\n");
        IcbcPlugin plugin = new IcbcPlugin();
        plugin.authenticate(Map.of("statement_dir", dir.toString()));

        assertThat(plugin.getAccounts()).extracting(Account::accountId).containsExactly("icbc-7890");
        assertThat(plugin.takeWarnings()).singleElement().satisfies(w -> {
            assertThat(w.reference()).isEqualTo(broken.toString());
            assertThat(w.message()).startsWith("skipped, nothing imported from this file: ")
                    .contains("has no header row with a date column");
        });
    }

    @Test
    void badSettingsFailAuthenticationWithAReason() {
        IcbcPlugin plugin = new IcbcPlugin();
        assertThat(plugin.authenticate(Map.of("statement_dir", dir.toString(), "encoding", "KLINGON")).message())
                .isEqualTo("encoding 'KLINGON' is not known: use auto, GBK, GB18030 or UTF-8");
        assertThat(plugin.authenticate(Map.of("statement_dir", dir.toString(), "column_mapping", "when=日期")).message())
                .startsWith("column_mapping: unknown field 'when'");
        assertThat(plugin.authenticate(Map.of()).success()).isFalse();
    }

    @Test
    void pluginManagerLoadsItFromTheClassPathAndItsMetadataAgreesWithTheManifest() {
        try (PluginManager manager = PluginManager.builder().build()) {
            assertThat(manager.discoverPlugins().problems()).isEmpty();
            assertThat(manager.loadPlugin("icbc")).isInstanceOf(IcbcPlugin.class);
        }
    }
}
