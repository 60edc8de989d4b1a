package io.foliosync.examples.cli;

import static io.foliosync.examples.cli.CliEndToEndTest.run;
import static io.foliosync.examples.cli.CliEndToEndTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.examples.cli.CliEndToEndTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original system's own {@code data_sources.yaml} and {@code .env.example} through {@code config check}, as
 * its users have them: unmodified (every source off, every variable empty), then with every source turned on and
 * every variable given a value.
 */
class SeedConfigurationTest {
    @TempDir
    Path dir;

    @Test
    void theSeedAsWrittenPassesConfigCheckWithEverySourceOffAndWritesNothing() throws Exception {
        Path config = dir.resolve("data_sources.yaml");
        Files.copy(SeedFiles.yaml(), config);
        Files.copy(SeedFiles.envExample(), dir.resolve(".env"));
        List<String> before = tree(dir);
        // the seed sets no database_path: the defaults are relative to the working directory
        boolean dataBefore = Files.exists(Path.of("data"));

        Run check = run("config", "check", "--config", config.toString());

        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        assertThat(tree(dir)).isEqualTo(before);
        assertThat(Files.exists(Path.of("data"))).isEqualTo(dataBefore);
        assertThat(check.out()).contains("OK",
                "crypto_exchanges: disabled",
                "crypto_exchanges.exchanges.binance: disabled; secrets set: none; missing: api_key, api_secret",
                "crypto_exchanges.exchanges.coinbase: disabled; secrets set: none; missing: api_key, api_secret",
                "crypto_exchanges.exchanges.kraken: disabled; secrets set: none; missing: api_key, api_secret",
                "interactive_brokers: disabled; secrets set: none; missing: jwt_token",
                "schwab: disabled; secrets set: none; missing: client_secret",
                "no source is enabled");
        // market data values holdings; it is not a source a sync imports from
        assertThat(check.out()).doesNotContain("will sync");
    }

    @Test
    void theSeedWithEverySourceOnAndEveryVariableFilledListsWhatWillSync() throws Exception {
        Path config = dir.resolve("data_sources.yaml");
        Files.writeString(config, Files.readString(SeedFiles.yaml()).replace("enabled: false", "enabled: true"));
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : SeedFiles.variableNames()) {
            values.put(name, "fake-" + name.toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        values.put("KRAKEN_API_SECRET", Base64.getEncoder().encodeToString("kraken-secret-of-the-test".getBytes()));
        values.put("COINBASE_API_KEY", "organizations/0f1e2d3c/apiKeys/9a8b7c6d");
        // as users keep Coinbase's key in .env: one line, its newlines written \n
        values.put("COINBASE_API_SECRET", "\"" + ShadedJarSyncIT.coinbasePem().replace("\n", "\\n") + "\"");
        values.put("IBKR_ACCOUNT_ID", "U1234567");
        // gateway authentication: the JWT the seed keeps for auth_type jwt is not used
        values.put("IBKR_JWT_TOKEN", "");
        StringBuilder env = new StringBuilder();
        values.forEach((k, v) -> env.append(k).append('=').append(v).append('\n'));
        Files.writeString(dir.resolve(".env"), env);
        List<String> before = tree(dir);

        Run check = run("config", "check", "--config", config.toString());

        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        assertThat(tree(dir)).isEqualTo(before);
        assertThat(check.out()).contains("OK",
                "crypto_exchanges.exchanges.kraken: enabled; secrets set: api_key, api_secret; missing: none",
                "will sync: binance (crypto_exchanges, crypto_exchange)",
                "will sync: coinbase (crypto_exchanges, crypto_exchange)",
                "will sync: kraken (crypto_exchanges, crypto_exchange)",
                "will sync: ibkr-U1234567 (interactive_brokers, broker)",
                "will sync: schwab (schwab, broker)",
                "will sync: schwab-csv (schwab, broker)",
                "valuation: market_data");
        assertThat(check.out() + check.err()).doesNotContain(values.get("KRAKEN_API_SECRET"), "fake-binance-api-secret",
                "fake-schwab-client-secret", "BEGIN PRIVATE KEY");
    }
}
