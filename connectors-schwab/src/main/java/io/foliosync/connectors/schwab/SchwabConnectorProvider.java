package io.foliosync.connectors.schwab;

import static org.apiguardian.api.API.Status.INTERNAL;

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
import org.apiguardian.api.API;

/**
 * Builds the Schwab sources from the {@code schwab} section of {@code data_sources.yaml}: the Trader API
 * ({@link SchwabConnector}, source id {@code schwab}) and the CSV exports ({@link SchwabCsvConnector},
 * source id {@code schwab-csv}), each only when enabled. Both keep {@code schwab} as their metadata name and
 * record source.
 * <pre>
 * schwab:
 *   enabled: true                             # false: neither source
 *   api_enabled: true                         # default: true when client_id is set or csv_fallback is off
 *   client_id: ${SCHWAB_CLIENT_ID}            # API only
 *   client_secret: ${SCHWAB_CLIENT_SECRET}    # API only
 *   redirect_uri: http://localhost:5000/auth/schwab/callback
 *   base_url: https://api.schwabapi.com
 *   token_store: schwab/tokens.enc            # relative to the data directory
 *   transaction_window_days: 90
 *   max_lookback_days: 365
 *   csv_fallback:                             # the schwab-csv source
 *     enabled: true
 *     directory: ~/Downloads/schwab           # a folder of exports, told apart by content
 *     holdings_path: ...                      # or positions_file: a positions export or a folder of them
 *     transactions_path: ...                  # or transactions_file: a transactions export or a folder
 *     account_id: ...                         # optional
 * </pre>
 */
@API(status = INTERNAL, since = "0.1")
public final class SchwabConnectorProvider implements io.foliosync.connectors.api.config.ConnectorProvider {
    public static final String SECTION = "schwab";

    @Override
    public String configSection() {
        return SECTION;
    }

    /** @return the API source, then the CSV source, each when enabled; empty for an absent or disabled section */
    @Override
    public List<Connector> create(ConfigSection section, ConnectorContext context) {
        if (section.keys().isEmpty() || !section.bool("enabled", true)) {
            return List.of();
        }
        return connectors(section, context, SchwabTokenListener.NONE);
    }

    /**
     * Builds every source the section enables, the API source with a listener for the authorization's expiry
     * warnings.
     *
     * @return the API source ({@code schwab}), then the CSV source ({@code schwab-csv}), each when enabled
     * @throws ConfigurationException naming every missing or invalid key of both sources
     */
    public static List<Connector> connectors(ConfigSection section, ConnectorContext context,
                                             SchwabTokenListener listener) {
        Plan plan = plan(section);
        List<String> problems = new ArrayList<>(plan.apiProblems());
        problems.addAll(plan.csvProblems());
        if (!plan.apiEnabled() && !plan.csvEnabled()) {
            problems.add(section.keyPath("api_enabled") + ": false and csv_fallback is not enabled: nothing to "
                    + "import; enable one of them, or set " + section.keyPath("enabled") + ": false");
        }
        SchwabConnector api = null;
        if (plan.apiEnabled() && plan.apiProblems().isEmpty()) {
            try {
                api = apiBuilder(section, context, listener).build();
            } catch (ConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(SECTION, problems);
        }
        List<Connector> out = new ArrayList<>();
        if (api != null) {
            out.add(api);
        }
        plan.csv().ifPresent(files -> out.add(SchwabCsvConnector.of(files, context.clock())));
        return out;
    }

    /**
     * Builds the Trader API source alone, with a listener for the authorization's expiry warnings, for
     * applications that show them (the CLI's {@code schwab login} uses this too). The CSV keys are not read.
     *
     * @throws ConfigurationException naming every missing or invalid key of the API, or saying the API is off
     */
    public static SchwabConnector connector(ConfigSection section, ConnectorContext context,
                                            SchwabTokenListener listener) {
        Plan plan = plan(section);
        if (!plan.apiProblems().isEmpty()) {
            throw new ConfigurationException(SECTION, plan.apiProblems());
        }
        if (!plan.apiEnabled()) {
            throw new ConfigurationException(SECTION, section.keyPath("api_enabled") + ": the Trader API is off ("
                    + (section.has("api_enabled") ? "api_enabled: false" : "no client_id, and csv_fallback is enabled")
                    + "): set " + section.keyPath("client_id") + " and " + section.keyPath("client_secret")
                    + " to the app key and secret from developer.schwab.com");
        }
        return apiBuilder(section, context, listener).build();
    }

    /**
     * What the section enables, and what is wrong with each source's keys. Problems are kept per source so
     * the API's {@code schwab login} is not held up by a CSV path, and so a CSV-only section needs no secret.
     */
    private record Plan(boolean apiEnabled, List<String> apiProblems, boolean csvEnabled,
                        Optional<SchwabCsvFallback> csv, List<String> csvProblems) {
    }

    private static Plan plan(ConfigSection section) {
        ConfigSection csvSection = section.section("csv_fallback");
        ConfigSection.Requirements csvReq = csvSection.require();
        boolean csvEnabled = csvReq.attempt(() -> csvSection.bool("enabled", false)).orElse(false);
        List<String> csvProblems = new ArrayList<>();
        Optional<SchwabCsvFallback> csv = Optional.empty();
        if (csvEnabled) {
            // positions_file/transactions_file are this SDK's keys; holdings_path/transactions_path the
            // original system's, which also take a folder. Either spelling works, one per kind.
            Optional<Path> positions = onePath(csvSection, "positions_file", "holdings_path", csvProblems);
            Optional<Path> transactions = onePath(csvSection, "transactions_file", "transactions_path",
                    csvProblems);
            Optional<Path> directory = csvSection.string("directory").map(SchwabConnectorProvider::path);
            if (positions.isEmpty() && transactions.isEmpty() && directory.isEmpty()) {
                csvProblems.add(csvSection.keyPath("enabled") + ": set csv_fallback.directory, or holdings_path "
                        + "and/or transactions_path (positions_file/transactions_file), to the exports downloaded "
                        + "from schwab.com");
            } else if (csvProblems.isEmpty()) {
                csv = Optional.of(new SchwabCsvFallback(true, positions, transactions, directory,
                        csvSection.string("account_id")));
            }
        }
        csvProblems.addAll(0, csvReq.problems());

        ConfigSection.Requirements apiReq = section.require();
        // A section that names only CSV exports is CSV-only without saying api_enabled: false; a client_id
        // (or an explicit api_enabled: true) turns the API on next to them.
        boolean apiEnabled = apiReq.attempt(() -> section.bool("api_enabled",
                section.has("client_id") || !csvEnabled)).orElse(true);
        if (apiEnabled) {
            // the original system's auth_type: Schwab's Trader API knows one way in, so any other value is a
            // mistake to name rather than a mode to ignore
            section.string("auth_type").map(a -> a.toLowerCase(java.util.Locale.ROOT))
                    .filter(a -> !a.equals("oauth2") && !a.equals("oauth"))
                    .ifPresent(a -> apiReq.check(false, "auth_type", "expected oauth2 (the only way into Schwab's "
                            + "Trader API) but was '" + a + "'"));
            apiReq.string("client_id");
            apiReq.secret("client_secret");
            apiReq.attempt(() -> section.integer("transaction_window_days", 90));
            apiReq.attempt(() -> section.integer("max_lookback_days", 365));
        }
        return new Plan(apiEnabled, apiReq.problems(), csvEnabled, csv, csvProblems);
    }

    /**
     * @return the encrypted token file of the {@code schwab} section: {@code token_store} relative to the data
     *         directory, or the default there ({@code foliosync keys rotate} re-encrypts it with the credentials)
     */
    public static Path tokenStore(ConfigSection section, Path dataDirectory) {
        return section.string("token_store").map(SchwabConnectorProvider::expandHome).map(dataDirectory::resolve)
                .orElseGet(() -> SchwabConnector.defaultTokenStore(dataDirectory));
    }

    /** Call only after {@link #plan} found no API problems: the keys read here are known to be valid. */
    private static SchwabConnector.Builder apiBuilder(ConfigSection section, ConnectorContext context,
                                                      SchwabTokenListener listener) {
        SchwabConnector.Builder b = SchwabConnector.builder(context).listener(listener);
        b.clientId(section.string("client_id").orElseThrow());
        section.secret("client_secret").ifPresent(b::clientSecret);
        b.redirectUri(section.string("redirect_uri", SchwabConnector.DEFAULT_REDIRECT_URI));
        b.baseUrl(section.string("base_url", SchwabConnector.DEFAULT_BASE_URL));
        b.tokenStore(tokenStore(section, context.dataDirectory()));
        b.transactionWindow(Duration.ofDays(section.integer("transaction_window_days", 90)));
        b.lookback(Duration.ofDays(section.integer("max_lookback_days", 365)));
        return b;
    }

    private static Optional<Path> onePath(ConfigSection csv, String key, String alias, List<String> problems) {
        Optional<String> a = csv.string(key);
        Optional<String> b = csv.string(alias);
        if (a.isPresent() && b.isPresent()) {
            problems.add(csv.keyPath(alias) + ": set either " + key + " or " + alias + ", not both (they name the "
                    + "same export)");
            return Optional.empty();
        }
        return a.or(() -> b).map(SchwabConnectorProvider::path);
    }

    private static Path path(String value) {
        return Path.of(expandHome(value));
    }

    private static String expandHome(String value) {
        return value.startsWith("~/") ? System.getProperty("user.home") + value.substring(1) : value;
    }
}
