package io.foliosync.connectors.schwab;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.secrets.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the {@link SchwabConnector} from the {@code schwab} section of {@code data_sources.yaml}:
 * <pre>
 * schwab:
 *   enabled: true
 *   client_id: ${SCHWAB_CLIENT_ID}
 *   client_secret: ${SCHWAB_CLIENT_SECRET}
 *   redirect_uri: http://localhost:5000/auth/schwab/callback
 *   base_url: https://api.schwabapi.com
 *   token_store: schwab/tokens.enc            # relative to the data directory
 *   transaction_window_days: 90
 *   max_lookback_days: 365
 *   csv_fallback:
 *     enabled: true
 *     directory: ~/Downloads/schwab           # or positions_file / transactions_file
 *     account_id: ...                         # optional
 * </pre>
 */
public final class SchwabConnectorProvider implements io.foliosync.connectors.api.config.ConnectorProvider {
    public static final String SECTION = "schwab";

    @Override
    public String configSection() {
        return SECTION;
    }

    @Override
    public List<Connector> create(ConfigSection section, ConnectorContext context) {
        if (section.keys().isEmpty() || !section.bool("enabled", true)) {
            return List.of();
        }
        return List.of(connector(section, context, SchwabTokenListener.NONE));
    }

    /**
     * Builds the connector with a listener for the authorization's expiry warnings, for applications that
     * show them (the CLI's {@code schwab login} uses this too).
     *
     * @throws ConfigurationException naming every missing or invalid key
     */
    public static SchwabConnector connector(ConfigSection section, ConnectorContext context,
                                            SchwabTokenListener listener) {
        List<String> problems = new ArrayList<>();
        ConfigSection.Requirements req = section.require();
        ConfigSection csvSection = section.section("csv_fallback");
        boolean csvEnabled = req.attempt(() -> csvSection.bool("enabled", false)).orElse(false);
        SchwabCsvFallback csv = SchwabCsvFallback.disabled();
        if (csvEnabled) {
            Optional<Path> positions = csvSection.string("positions_file").map(SchwabConnectorProvider::path);
            Optional<Path> transactions = csvSection.string("transactions_file").map(SchwabConnectorProvider::path);
            Optional<Path> directory = csvSection.string("directory").map(SchwabConnectorProvider::path);
            if (positions.isEmpty() && transactions.isEmpty() && directory.isEmpty()) {
                problems.add(csvSection.keyPath("enabled") + ": set csv_fallback.directory, or positions_file "
                        + "and/or transactions_file, to the exports downloaded from schwab.com");
            } else {
                csv = new SchwabCsvFallback(true, positions, transactions, directory,
                        csvSection.string("account_id"));
            }
        }
        boolean apiEnabled = req.attempt(() -> section.bool("api_enabled",
                section.has("client_id") || !csvEnabled)).orElse(true);
        SchwabConnector.Builder b = SchwabConnector.builder(context).apiEnabled(apiEnabled).csvFallback(csv);
        if (apiEnabled) {
            b.clientId(req.string("client_id"));
            Secret secret = req.secret("client_secret");
            if (secret != null) {
                b.clientSecret(secret);
            }
        }
        b.redirectUri(section.string("redirect_uri", SchwabConnector.DEFAULT_REDIRECT_URI));
        b.baseUrl(section.string("base_url", SchwabConnector.DEFAULT_BASE_URL));
        section.string("token_store").map(SchwabConnectorProvider::expandHome)
                .map(p -> context.dataDirectory().resolve(p)).ifPresent(b::tokenStore);
        req.attempt(() -> section.integer("transaction_window_days", 90))
                .ifPresent(d -> b.transactionWindow(Duration.ofDays(d)));
        req.attempt(() -> section.integer("max_lookback_days", 365)).ifPresent(d -> b.lookback(Duration.ofDays(d)));
        problems.addAll(0, req.problems());
        if (!problems.isEmpty()) {
            throw new ConfigurationException(SECTION, problems);
        }
        return b.build();
    }

    private static Path path(String value) {
        return Path.of(expandHome(value));
    }

    private static String expandHome(String value) {
        return value.startsWith("~/") ? System.getProperty("user.home") + value.substring(1) : value;
    }
}
