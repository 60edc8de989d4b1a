package io.foliosync.plugins.chase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.plugins.DiscoveryReport;
import io.foliosync.plugins.PluginManager;
import io.foliosync.plugins.PluginOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChasePluginTest {
    @TempDir
    Path dir;

    private void copy(String resource) throws Exception {
        Path from = Resources.path(resource);
        Files.copy(from, dir.resolve(from.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void importsAFolderOfOfxQfxAndCsvDownloads() throws Exception {
        copy("chase-qfx/Chase5678_Activity_20230131.QFX");
        copy("chase-csv/Chase5678_Activity20230131.CSV");
        copy("chase-csv/Chase1234_Activity_20230131.CSV");
        copy("ofx/ofxparse-checking.ofx");
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        ChasePlugin plugin = new ChasePlugin();

        AuthenticationResult auth = plugin.authenticate(Map.of("statement_dir", dir.toString()));

        assertThat(auth.success()).isTrue();
        assertThat(auth.message()).contains("(4 files)");
        List<Account> accounts = plugin.getAccounts();
        assertThat(accounts).extracting(Account::accountId)
                .containsExactlyInAnyOrder("chase-1234", "chase-5678", "chase-6877");
        Account card = accounts.stream().filter(a -> a.accountId().equals("chase-5678")).findFirst().orElseThrow();
        assertThat(card.type()).isEqualTo(AccountType.CREDIT_CARD);
        assertThat(card.name()).isEqualTo("Chase credit card ...5678");
        assertThat(card.balance()).hasValueSatisfying(b -> assertThat(b).isEqualByComparingTo("-1234.56"));
        // QFX (4 lines, FITIDs) and CSV (5 lines, hashes) of one card are both kept: they carry different ids
        List<BankTransaction> cardLines = plugin.getTransactions("chase-5678", Optional.empty());
        assertThat(cardLines).hasSize(9);
        assertThat(cardLines).extracting(BankTransaction::postedDate).isSorted();
        assertThat(plugin.getTransactions("chase-1234", Optional.of(LocalDate.of(2023, 1, 17))))
                .extracting(BankTransaction::postedDate)
                .containsExactly(LocalDate.of(2023, 1, 17), LocalDate.of(2023, 1, 20), LocalDate.of(2023, 1, 31),
                        LocalDate.of(2023, 1, 31));
        assertThat(plugin.getBalance("chase-1234")).hasValueSatisfying(b -> assertThat(b.amount()).isEqualByComparingTo("2894.25"));
        assertThat(plugin.getHoldings("chase-1234")).isEmpty();
        assertThat(plugin.healthCheck().healthy()).isTrue();
    }

    @Test
    void overlappingDownloadsReportEachLineOnce() throws Exception {
        copy("chase-csv/Chase1234_Activity_20230131.CSV");
        Files.copy(dir.resolve("Chase1234_Activity_20230131.CSV"), dir.resolve("Chase1234_Activity_20230131 (1).CSV"));
        ChasePlugin plugin = new ChasePlugin();
        plugin.authenticate(Map.of("statement_dir", dir.toString()));

        assertThat(plugin.getTransactions("chase-1234", Optional.empty())).hasSize(7);
    }

    @Test
    void aBrokenFileFailsTheImportNamingIt() throws Exception {
        Files.writeString(dir.resolve("Chase1234_Activity_bad.CSV"), String.join(",", ChaseCsvParser.CHECKING)
                + "\nDEBIT,01/31/2023,\"X\"\n");
        ChasePlugin plugin = new ChasePlugin();
        plugin.authenticate(Map.of("statement_dir", dir.toString()));

        assertThatThrownBy(plugin::getAccounts).isInstanceOf(DataFetchException.class)
                .hasMessageContaining("Chase1234_Activity_bad.CSV: record line 2: has 3 of 7 columns");
    }

    @Test
    void refusesAMissingFolderAndDataCallsBeforeAuthentication() {
        ChasePlugin plugin = new ChasePlugin();
        assertThatThrownBy(plugin::getAccounts).hasMessageContaining("getAccounts called before authenticate()");
        assertThat(plugin.healthCheck().healthy()).isFalse();
        assertThat(plugin.authenticate(Map.of()).message()).contains("statement_dir is not set");
        AuthenticationResult r = plugin.authenticate(Map.of("statement_dir", dir.resolve("missing").toString()));
        assertThat(r.success()).isFalse();
        assertThat(r.message()).contains("does not exist");
        plugin.authenticate(Map.of("statement_dir", dir.toString()));
        plugin.logout();
        assertThatThrownBy(() -> plugin.getBalance("chase-1234")).isInstanceOf(DataFetchException.class);
    }

    @Test
    void pluginManagerFindsTheManifestOnTheClassPathAndItAgreesWithMetadata() {
        try (PluginManager manager = PluginManager.builder().build()) {
            DiscoveryReport report = manager.discoverPlugins();

            assertThat(report.problems()).isEmpty();
            assertThat(report.plugin("chase")).hasValueSatisfying(d -> {
                assertThat(d.origin()).isEqualTo(PluginOrigin.CLASSPATH);
                assertThat(d.providerClass()).isEqualTo(ChasePlugin.class.getName());
            });
            BankIntegrationPlugin plugin = manager.loadPlugin("chase"); // fails if metadata() disagrees with plugin.yaml
            assertThat(plugin).isInstanceOf(ChasePlugin.class);
        }
    }
}
