package io.foliosync.connectors.crypto;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.api.secrets.Secret;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Builds one {@link CryptoExchangeConnector} per enabled account (its {@link Connector#sourceId()} is the
 * entry's name) from the {@code crypto_exchanges} section of
 * {@code data_sources.yaml}: a map of account name to its settings, either directly under the section or, as the
 * original system writes it, under {@code exchanges} beside a section-level {@code enabled} (false turns every
 * account off) and {@code sync_frequency}. An entry may use another name with {@code exchange: kraken} (two Kraken
 * accounts). Keys: {@code api_key}, {@code api_secret}, {@code passphrase},
 * {@code enabled}, {@code sandbox}, {@code base_url}, {@code dust_threshold}, {@code quote_currency},
 * {@code rate_limit_per_minute}, {@code funding_overlap_days}, {@code markets}, {@code exchange}, {@code tier}
 * (Kraken: {@code starter}, {@code intermediate} or {@code pro}; sets the pacing, Starter by default). An id (or
 * {@code exchange}) that is none of the first-class exchanges but names an exchange whose XChange module is on the
 * class path ({@link GenericExchange#catalogue()}), or an {@code exchange_class}, is a generic account, with the
 * keys {@code user_id}, {@code xchange_parameters} and {@code load_remote_metadata} besides.
 */
@API(status = INTERNAL, since = "0.1")
public final class CryptoExchangeConnectorProvider implements ConnectorProvider {

    /** The original system's layout keeps the accounts under this key. */
    static final String EXCHANGES = "exchanges";
    /** Keys of the section itself, never account names. */
    static final java.util.Set<String> SECTION_KEYS = java.util.Set.of("enabled", "sync_frequency", EXCHANGES);

    @Override
    public String configSection() {
        return CryptoExchangeConnector.NAME;
    }

    @Override
    public Optional<String> syncFrequency(ConfigSection section, String sourceId) {
        return section.section(sourceId).string("sync_frequency")
                .or(() -> section.section(EXCHANGES).section(sourceId).string("sync_frequency"))
                .or(() -> section.string("sync_frequency"));
    }

    @Override
    public List<Connector> create(ConfigSection section, ConnectorContext context) {
        // One connector per account: each is its own source with its own job, cursor and lock, so an account
        // that fails can never let another account's cursor move past records nobody read.
        List<Connector> out = new ArrayList<>();
        for (ExchangeSettings s : parse(section)) {
            if (s.enabled()) {
                CryptoExchangeConnector.Builder b = CryptoExchangeConnector.builder()
                        .exchange(s)
                        .clock(context.clock())
                        .rateLimiters(context.rateLimiters());
                context.responseCacheTtl().ifPresent(b::tickerTtl);
                out.add(b.build());
            }
        }
        return out;
    }

    /**
     * @return every configured exchange, enabled or not
     * @throws ConfigurationException naming every missing or invalid key and every unknown exchange id
     */
    public static List<ExchangeSettings> parse(ConfigSection section) {
        List<String> problems = new ArrayList<>();
        List<ExchangeSettings> out = new ArrayList<>();
        // Two layouts: the original system's (section-level enabled and sync_frequency, accounts under
        // `exchanges`) and FolioSync's (accounts directly under the section). Section-level keys are read in both.
        ConfigSection.Requirements top = section.require();
        boolean sectionEnabled = top.attempt(() -> section.bool("enabled", true)).orElse(false);
        Object nested = section.asMap().get(EXCHANGES);
        if (nested != null && !(nested instanceof java.util.Map)) {
            top.check(false, EXCHANGES, "expected a map of account name to its settings but was '" + nested + "'");
        }
        problems.addAll(top.problems());
        ConfigSection accounts = nested instanceof java.util.Map ? section.section(EXCHANGES) : section;
        for (String id : accounts.keys()) {
            if (accounts == section && SECTION_KEYS.contains(id)) {
                continue;
            }
            Object entry = accounts.asMap().get(id);
            if (!(entry instanceof java.util.Map)) {
                problems.add(accounts.keyPath(id) + ": expected the account's settings (api_key, api_secret, ...) "
                        + "but was '" + entry + "'");
                continue;
            }
            ConfigSection s = accounts.section(id);
            ConfigSection.Requirements req = s.require();
            String exchangeName = s.string("exchange", id).toLowerCase(Locale.ROOT);
            Optional<SupportedExchange> firstClass = SupportedExchange.byId(exchangeName);
            Optional<GenericExchange> generic = Optional.empty();
            if (firstClass.isEmpty()) {
                Optional<String> problem = Optional.empty();
                if (s.string("exchange_class").isPresent()) {
                    generic = Optional.of(GenericExchange.ofClass(exchangeName.equals("xchange") ? id : exchangeName,
                            s.string("exchange_class").get()));
                } else {
                    generic = GenericExchange.byId(exchangeName);
                    problem = generic.isEmpty() ? Optional.of(unknown(exchangeName))
                            : generic.filter(g -> !g.onClassPath()).map(g -> "'" + exchangeName + "' is read "
                                    + "through XChange's " + g.name() + " module, which this build does not include: "
                                    + "add " + g.coordinates() + " to the class path (" + available() + ")");
                }
                if (problem.isPresent()) {
                    problems.add(accounts.keyPath(id) + ": " + problem.get());
                    continue;
                }
            } else if (s.string("exchange_class").isPresent()) {
                problems.add(accounts.keyPath(id) + ".exchange_class: " + firstClass.get().id() + " is read by "
                        + "FolioSync's own client; remove exchange_class");
                continue;
            }
            Optional<SupportedExchange> exchange = firstClass.or(() -> Optional.of(SupportedExchange.XCHANGE));
            boolean enabled = req.attempt(() -> s.bool("enabled", true)).orElse(false) && sectionEnabled;
            if (!enabled) {
                // A disabled exchange needs no keys; keep it listed so reports say "disabled".
                out.add(new ExchangeSettings(id, exchange.get(), Secret.of("-"), Secret.of(""), Optional.empty(),
                        false, false, s.string("base_url"), BigDecimal.ZERO, "USD", Optional.empty(),
                        ExchangeSettings.DEFAULT_FUNDING_OVERLAP, List.of(), Optional.empty(),
                        generic.map(ExchangeSettings.Generic::of)));
                continue;
            }
            Secret key = req.secret("api_key");
            Secret secret = req.secret("api_secret");
            Optional<Secret> passphrase = s.secret("passphrase");
            if ((exchange.get().needsPassphrase() || generic.filter(GenericExchange::needsPassphrase).isPresent())
                    && passphrase.isEmpty()) {
                req.check(false, "passphrase", "missing (" + generic.map(GenericExchange::id)
                        .orElse(exchange.get().id()) + " keys have a passphrase, chosen when the key was created)");
            }
            boolean sandbox = req.attempt(() -> s.bool("sandbox", false)).orElse(false);
            BigDecimal dust = req.attempt(() -> s.decimal("dust_threshold").orElse(BigDecimal.ZERO))
                    .orElse(BigDecimal.ZERO);
            req.check(dust.signum() >= 0, "dust_threshold", "must not be negative");
            String quote = s.string("quote_currency", "USD").toUpperCase(Locale.ROOT);
            Optional<Integer> perMinute = req.attempt(() -> s.has("rate_limit_per_minute")
                    ? s.integer("rate_limit_per_minute", 0) : null);
            perMinute.ifPresent(n -> req.check(n > 0, "rate_limit_per_minute", "must be positive"));
            Optional<Integer> overlapDays = req.attempt(() -> s.has("funding_overlap_days")
                    ? s.integer("funding_overlap_days", 0) : null);
            overlapDays.ifPresent(n -> req.check(n >= 0, "funding_overlap_days", "must not be negative"));
            Optional<String> tierName = s.string("tier");
            Optional<io.foliosync.connectors.crypto.pacing.KrakenTier> tier = tierName
                    .flatMap(io.foliosync.connectors.crypto.pacing.KrakenTier::byName);
            tierName.ifPresent(n -> req.check(exchange.get() == SupportedExchange.KRAKEN, "tier",
                    "only Kraken has verification tiers that set its rate limit"));
            tierName.filter(n -> exchange.get() == SupportedExchange.KRAKEN).ifPresent(n -> req.check(
                    tier.isPresent(), "tier", "'" + n + "' is not a Kraken tier: starter, intermediate or pro"));
            Optional<ExchangeSettings.Generic> passThrough = Optional.empty();
            if (generic.isPresent()) {
                passThrough = Optional.of(genericOptions(s, req, generic.get()));
            } else {
                for (String k : GENERIC_KEYS) {
                    req.check(!s.has(k), k, "only for an exchange read through XChange as a generic account; "
                            + exchange.get().id() + " is read by FolioSync's own client");
                }
            }
            problems.addAll(req.problems());
            if (!req.problems().isEmpty()) {
                continue;
            }
            try {
                out.add(new ExchangeSettings(id, exchange.get(), key, secret, passphrase, true, sandbox,
                        s.string("base_url"), dust, quote,
                        perMinute.map(n -> new RateLimit(n, Duration.ofMinutes(1))),
                        overlapDays.filter(n -> n >= 0).map(n -> Duration.ofDays(n))
                                .orElse(ExchangeSettings.DEFAULT_FUNDING_OVERLAP),
                        req.attempt(() -> s.strings("markets")).orElse(List.of()), tier, passThrough));
            } catch (ConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(CryptoExchangeConnector.NAME, problems);
        }
        return out;
    }

    /** Keys only a generic account has. */
    static final List<String> GENERIC_KEYS = List.of("user_id", "xchange_parameters", "load_remote_metadata");

    private static ExchangeSettings.Generic genericOptions(ConfigSection s, ConfigSection.Requirements req,
                                                           GenericExchange exchange) {
        java.util.Map<String, Secret> parameters = new java.util.LinkedHashMap<>();
        Object raw = s.asMap().get("xchange_parameters");
        if (raw != null && !(raw instanceof java.util.Map)) {
            req.check(false, "xchange_parameters", "expected a map of XChange parameter name to value, such as "
                    + "{passphrase: ...}");
        } else if (raw != null) {
            ConfigSection p = s.section("xchange_parameters");
            for (String k : p.keys()) {
                p.secret(k).ifPresent(v -> parameters.put(k, v));
            }
        }
        boolean remote = req.attempt(() -> s.bool("load_remote_metadata", true)).orElse(true);
        return new ExchangeSettings.Generic(exchange, s.secret("user_id"), parameters, remote);
    }

    /** @return why {@code name} names no exchange, with the ids it may have meant and the modules that give them */
    static String unknown(String name) {
        List<GenericExchange> near = GenericExchange.near(name);
        StringBuilder sb = new StringBuilder("unknown exchange '").append(name).append("'; first-class: ")
                .append(SupportedExchange.ids()).append("; ").append(available());
        if (!near.isEmpty()) {
            sb.append("; did you mean ");
            for (int i = 0; i < near.size(); i++) {
                GenericExchange g = near.get(i);
                sb.append(i == 0 ? "" : ", ").append(g.id()).append(" (").append(g.coordinates())
                        .append(g.onClassPath() ? ", included" : "").append(")");
            }
        }
        return sb.append(". Any other XChange ").append(GenericExchange.XCHANGE_VERSION).append(" module is read "
                + "by adding it to the class path and naming its exchange class with exchange_class").toString();
    }

    private static String available() {
        List<GenericExchange> here = GenericExchange.available();
        return here.isEmpty() ? "no generic XChange module is on the class path"
                : "generic, through XChange modules on the class path: "
                        + String.join(", ", here.stream().map(GenericExchange::id).toList());
    }
}
