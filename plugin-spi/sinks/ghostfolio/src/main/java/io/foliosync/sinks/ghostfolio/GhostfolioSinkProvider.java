package io.foliosync.sinks.ghostfolio;

import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.http.HttpClients;
import io.foliosync.connectors.api.secrets.Secret;
import io.foliosync.connectors.api.sink.Sink;
import io.foliosync.connectors.api.sink.SinkException;
import io.foliosync.connectors.api.sink.SinkProvider;
import java.util.function.Supplier;

/**
 * Builds Ghostfolio sinks from entries of {@code type: ghostfolio} under {@code sinks:}. The security token comes
 * from the entry's {@code token} (a {@code ${VAR}}), else from the encrypted credential store, where
 * {@code foliosync sinks token <id>} puts it (owner {@link #tokenOwner}, key {@code token}).
 */
public final class GhostfolioSinkProvider implements SinkProvider {
    public static final String TYPE = "ghostfolio";

    @Override
    public String type() {
        return TYPE;
    }

    /** @return the credential-store owner a sink's token is kept under */
    public static String tokenOwner(String sinkId) {
        return "sink/" + sinkId;
    }

    @Override
    public Sink create(String id, ConfigSection section, ConnectorContext context) {
        GhostfolioSettings settings = GhostfolioSettings.read(id, section);
        // read when the first delivery logs in, not now: `foliosync sinks token` must be able to open FolioSync to
        // store a token that is not there yet
        Supplier<Secret> token = () -> settings.token().or(() -> context.credentials().load(tokenOwner(id))
                        .map(m -> m.get("token")).filter(t -> t != null && !t.isBlank()).map(Secret::of))
                .orElseThrow(() -> new SinkException(id, "no security token: set " + section.keyPath("token")
                        + ": ${GHOSTFOLIO_TOKEN}, or store it encrypted with `foliosync sinks token " + id + "`"));
        return new GhostfolioSink(settings, new GhostfolioClient(id, settings.url().toString(),
                HttpClients.builder(id).build(), token, context.credentials()));
    }
}
