package io.foliosync.connectors.ibkr;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the IBKR sources from the {@code interactive_brokers} section of {@code data_sources.yaml}: one
 * {@link IbkrConnector} per Flex query id, one for the Flex files, and one per configured gateway account (or
 * one for every account the gateway's login sees), as {@link IbkrConnector.Builder#buildSources()} describes.
 * Every key is documented in {@code docs/setup_guides/ibkr_setup.md}.
 */
@API(status = INTERNAL, since = "0.1")
public final class IbkrConnectorProvider implements ConnectorProvider {
    public static final String SECTION = "interactive_brokers";
    private static final Logger LOG = LoggerFactory.getLogger(IbkrConnectorProvider.class);
    /** the connector's own message for a JWT session without a token, under FolioSync's key name */
    private static final String BEARER_TOKEN_MISSING = "interactive_brokers.bearer_token: missing";

    @Override
    public String configSection() {
        return SECTION;
    }

    /** The most /iserver/account/trades serves. */
    static final int MAX_GATEWAY_LOOKBACK_DAYS = 7;

    /**
     * One entry of {@code accounts}: an account id, or (the original system's layout) a map with
     * {@code account_id}, {@code sync} (false leaves the account out), {@code sync_frequency} and
     * {@code transaction_lookback_days}.
     */
    record AccountEntry(String id, boolean sync, Optional<String> syncFrequency, Optional<Integer> lookbackDays) {
    }

    static List<AccountEntry> accounts(ConfigSection section, List<String> problems) {
        Object raw = section.asMap().get("accounts");
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> list)) {
            if (raw instanceof Map || raw instanceof Boolean) {
                problems.add(section.keyPath("accounts") + ": expected a list of account ids (U1234567) or of maps "
                        + "with account_id but was '" + raw + "'");
                return List.of();
            }
            return List.of(new AccountEntry(String.valueOf(raw).trim(), true, Optional.empty(), Optional.empty()));
        }
        List<AccountEntry> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            String key = "accounts[" + i + "]";
            if (item instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                ConfigSection a = new ConfigSection(section.keyPath(key), (Map<String, ?>) m);
                ConfigSection.Requirements ar = a.require();
                String id = ar.string("account_id");
                boolean sync = ar.attempt(() -> a.bool("sync", true)).orElse(true);
                Optional<Integer> days = ar.attempt(() -> a.has("transaction_lookback_days")
                        ? a.integer("transaction_lookback_days", 7) : null);
                days.ifPresent(d -> ar.check(d >= 1, "transaction_lookback_days", "must be at least 1"));
                problems.addAll(ar.problems());
                if (id != null) {
                    out.add(new AccountEntry(id, sync, a.string("sync_frequency"), days));
                }
            } else if (item == null || item instanceof Boolean || item instanceof List) {
                problems.add(section.keyPath(key) + ": expected an account id or a map with account_id but was '"
                        + item + "'");
            } else {
                out.add(new AccountEntry(String.valueOf(item).trim(), true, Optional.empty(), Optional.empty()));
            }
        }
        return out;
    }

    @Override
    public Optional<String> syncFrequency(ConfigSection section, String sourceId) {
        for (AccountEntry a : accounts(section, new ArrayList<>())) {
            if (a.syncFrequency().isPresent() && sourceId.equalsIgnoreCase(IbkrConnector.NAME + "-" + a.id())) {
                return a.syncFrequency();
            }
        }
        return section.string("sync_frequency");
    }

    @Override
    public List<Connector> create(ConfigSection section, ConnectorContext context) {
        ConfigSection.Requirements req = section.require();
        boolean enabled = req.attempt(() -> section.bool("enabled", false)).orElse(false);
        if (!enabled) {
            if (!section.keys().isEmpty()) {
                LOG.info("{}: enabled is not true; the connector is not created", section.path());
            }
            req.validate();
            return List.of();
        }
        IbkrConnector.Builder b = IbkrConnector.builder()
                .clock(context.clock())
                .dataDirectory(context.dataDirectory())
                .rateLimiters(context.rateLimiters());
        section.string("base_url").ifPresent(b::baseUrl);
        req.attempt(() -> section.bool("client_portal", true)).ifPresent(b::clientPortal);
        String auth = section.string("auth_type", "gateway").toLowerCase(Locale.ROOT);
        switch (auth) {
            case "gateway" -> b.authType(IbkrConnector.AuthType.GATEWAY);
            case "jwt", "bearer", "oauth" -> b.authType(IbkrConnector.AuthType.JWT);
            default -> req.check(false, "auth_type", "expected gateway or jwt but was '" + auth + "'");
        }
        boolean jwtTokenNamed = false;
        if (auth.equals("jwt") || auth.equals("bearer") || auth.equals("oauth")) {
            // read only where used: a token left in the file for another auth type is never loaded
            Optional<io.foliosync.connectors.api.secrets.Secret> token = section.secret("bearer_token")
                    .or(() -> section.secret("jwt_token"));
            token.ifPresent(b::bearerToken);
            if (token.isEmpty() && !section.asMap().containsKey("bearer_token")
                    && section.asMap().containsKey("jwt_token")) {
                // the original system's key: name it and the ${VAR} it left unset, not FolioSync's bearer_token
                req.secret("jwt_token");
                jwtTokenNamed = true;
            }
        }
        List<String> accountProblems = new ArrayList<>();
        List<AccountEntry> accounts = accounts(section, accountProblems);
        b.accounts(accounts.stream().filter(AccountEntry::sync).map(AccountEntry::id).toList());
        if (section.has("transaction_lookback_days")) {
            req.attempt(() -> section.integer("transaction_lookback_days", 7)).ifPresent(b::transactionLookbackDays);
        } else {
            // the gateway serves at most 7 days of recent trades: a longer per-account lookback (the original
            // system's 90) is met by Flex history, so the gateway asks for as much as it can give
            accounts.stream().filter(AccountEntry::sync).map(AccountEntry::lookbackDays).flatMap(Optional::stream)
                    .max(Integer::compare)
                    .ifPresent(d -> b.transactionLookbackDays(Math.min(MAX_GATEWAY_LOOKBACK_DAYS, d)));
        }
        section.string("time_zone").ifPresent(z -> {
            try {
                b.timeZone(ZoneId.of(z));
            } catch (DateTimeException e) {
                req.check(false, "time_zone", "not a time zone id such as America/New_York: '" + z + "'");
            }
        });
        req.attempt(() -> section.duration("keep_alive_interval").orElse(null)).ifPresent(b::keepAliveInterval);

        ConfigSection tls = section.section("tls");
        tls.string("certificate_file").map(Path::of).ifPresent(b::gatewayCertificateFile);
        tls.string("sha256_fingerprint").ifPresent(b::gatewaySha256Fingerprint);
        req.attempt(() -> tls.bool("trust_on_first_use", true)).ifPresent(b::trustOnFirstUse);
        tls.string("pin_file").map(Path::of).ifPresent(b::pinFile);
        req.attempt(() -> tls.integer("expiry_warning_days", 30)).ifPresent(b::gatewayCertificateExpiryWarningDays);

        ConfigSection flex = section.section("flex");
        List<String> queryIds = flex.strings("query_ids");
        b.flexQueryIds(queryIds);
        if (!queryIds.isEmpty()) {
            flex.secret("token").ifPresent(b::flexToken); // files alone need no token
        }
        flex.string("base_url").ifPresent(b::flexBaseUrl);
        List<Path> files = new ArrayList<>();
        flex.strings("files").forEach(f -> files.add(Path.of(f)));
        b.flexFiles(files);
        req.attempt(() -> flex.integer("max_poll_attempts", 10)).ifPresent(b::flexMaxPollAttempts);
        req.attempt(() -> flex.duration("poll_interval").orElse(null)).ifPresent(b::flexPollInterval);
        req.attempt(() -> flex.duration("statement_reuse").orElse(null)).ifPresent(b::flexStatementReuse);

        List<String> problems = new ArrayList<>(req.problems());
        problems.addAll(accountProblems);
        try {
            List<IbkrConnector> sources = b.buildSources();
            if (!problems.isEmpty()) {
                sources.forEach(IbkrConnector::close);
                throw new ConfigurationException(IbkrConnector.NAME, problems);
            }
            return List.copyOf(sources);
        } catch (ConfigurationException e) {
            if (e.problems() != problems) {
                for (String p : e.problems()) {
                    if (!problems.contains(p) && !(jwtTokenNamed && p.startsWith(BEARER_TOKEN_MISSING))) {
                        problems.add(p);
                    }
                }
            }
            throw new ConfigurationException(IbkrConnector.NAME, problems);
        }
    }
}
