package io.foliosync.examples.console;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.schwab.SchwabConnector;
import io.foliosync.connectors.schwab.SchwabConnectorProvider;
import io.foliosync.connectors.schwab.SchwabTokenListener;
import io.foliosync.imports.FolioSync;
import io.foliosync.imports.internal.FolioSyncInternals;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Schwab's browser authorization from the console: one connector kept for the console's life, because only the
 * latest authorization URL's state is accepted and it lives in that connector. The tokens it stores (encrypted,
 * in the token file) are the ones the next sync reads.
 */
final class SchwabLink implements AutoCloseable {
    static final String SECTION = "schwab";

    private final FolioSync folio;
    private SchwabConnector connector;

    SchwabLink(FolioSync folio) {
        this.folio = folio;
    }

    /** What the Brokers page shows about Schwab. */
    record Status(boolean configured, boolean apiEnabled, List<String> apiProblems, String redirectUri,
                  Optional<Instant> authorizedUntil, boolean csvEnabled, List<String> csvFiles,
                  List<String> csvMissing) {
    }

    private ConfigSection section() {
        return FolioSyncInternals.config(folio).section(SECTION);
    }

    synchronized Status status() {
        ConfigSection s = section();
        if (s.keys().isEmpty()) {
            return new Status(false, false, List.of(), "", Optional.empty(), false, List.of(), List.of());
        }
        List<String> problems = new ArrayList<>();
        Optional<Instant> until = Optional.empty();
        boolean api = false;
        try {
            until = connector().authorizationExpiresAt();
            api = true;
        } catch (ConfigurationException e) {
            problems.addAll(e.problems());
        }
        ConfigSection csv = s.section("csv_fallback");
        boolean csvEnabled = csv.bool("enabled", false);
        List<String> files = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String key : List.of("positions_file", "holdings_path", "transactions_file", "transactions_path",
                "directory")) {
            csv.string(key).ifPresent(p -> {
                Path path = Path.of(p);
                (Files.exists(path) ? files : missing).add(key + ": " + path.getFileName());
            });
        }
        return new Status(true, api, problems, s.string("redirect_uri", SchwabConnector.DEFAULT_REDIRECT_URI),
                until, csvEnabled, files, missing);
    }

    /** @return a fresh authorization URL (the one before it stops being accepted) */
    synchronized URI authorizationUrl() {
        return connector().authorizationUrl();
    }

    /** Exchanges the code of the URL Schwab redirected the browser to, after checking its state. */
    synchronized void complete(String callbackUrl) {
        connector().completeAuthorization(callbackUrl);
    }

    /**
     * @return origins a console form may be redirected to: the authorization server's, when the API is set up
     *         (the Content Security Policy's form-action must allow the "connect" form's redirect there)
     */
    List<String> formTargets() {
        Optional<String> base = section().string("base_url");
        if (section().keys().isEmpty() || !section().has("client_id")) {
            return List.of();
        }
        URI u = URI.create(base.orElse(SchwabConnector.DEFAULT_BASE_URL));
        return List.of(u.getScheme() + "://" + u.getRawAuthority());
    }

    private SchwabConnector connector() {
        if (connector == null) {
            connector = SchwabConnectorProvider.connector(section(), FolioSyncInternals.connectorContext(folio),
                    SchwabTokenListener.NONE);
        }
        return connector;
    }

    @Override
    public synchronized void close() {
        if (connector != null) {
            connector.close();
        }
    }
}
