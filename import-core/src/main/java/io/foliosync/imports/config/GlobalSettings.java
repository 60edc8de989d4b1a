package io.foliosync.imports.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The {@code global} section of {@code data_sources.yaml}.
 *
 * @param syncFrequency      how often sources sync unless their own section says otherwise
 * @param maxConcurrentSyncs how many sources sync at once
 * @param database           where the portfolio database lives
 * @param dataDirectory      where connectors keep files (token stores)
 * @param masterKeyFile      the master key file used when {@code FOLIOSYNC_MASTER_KEY} is unset
 * @param symbolAliases      extra symbol aliases for the normalizer
 * @param knownCurrencies    extra currency codes the validator accepts
 * @param cacheDuration      how long connectors reuse a cached response (quotes, tickers) unless their own
 *                           section says otherwise ({@code cache_duration}, the original system's key); empty for
 *                           each connector's default
 * @param transferLinkWindow how long after a withdrawal its deposit at another of the user's accounts may arrive
 *                           and still be linked to it by asset and amount ({@code transfer_link_window}); empty for
 *                           the default (48 hours)
 * @param syncDeadline       how long one source's sync may take, every HTTP retry included ({@code sync_deadline});
 *                           one stalled server costs at most this, and the sync then fails naming the source
 */
@API(status = INTERNAL, since = "0.1")
public record GlobalSettings(SyncFrequency syncFrequency, int maxConcurrentSyncs, DatabaseSettings database,
                             Path dataDirectory, Path masterKeyFile, Map<String, String> symbolAliases,
                             Set<String> knownCurrencies, Optional<Duration> cacheDuration,
                             Optional<Duration> transferLinkWindow, Duration syncDeadline) {
    /** The keys the {@code global} section may hold; others draw a warning. */
    static final Set<String> KEYS = Set.of("sync_frequency", "max_concurrent_syncs", "database_path", "database_url", "database_user", "database_password",
            "database_schema", "data_directory", "master_key_file", "symbol_aliases", "known_currencies",
            "log_level", "timezone", "cache_duration", "transfer_link_window", "sync_deadline");

    /**
     * Keys of the job-level retries FolioSync no longer has: a configuration that sets them still loads, with a warning
     * that says why they do nothing (the HTTP layer retries a call, the next scheduled run a failed job).
     */
    static final Set<String> RETIRED_KEYS = Set.of("retry_on_failure", "max_retries", "retry_backoff");

    /**
     * Two hours: far beyond a stalled call (5 minutes) yet enough for a first full-history sync paced by an
     * exchange's rate limit; a sync cut by its deadline keeps its cursor, so too short a deadline would never let
     * that first sync finish.
     */
    public static final Duration DEFAULT_SYNC_DEADLINE = Duration.ofHours(2);

    public GlobalSettings {
        Objects.requireNonNull(syncFrequency, "syncFrequency");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(masterKeyFile, "masterKeyFile");
        symbolAliases = Map.copyOf(symbolAliases);
        knownCurrencies = Set.copyOf(knownCurrencies);
        Objects.requireNonNull(cacheDuration, "cacheDuration");
        Objects.requireNonNull(transferLinkWindow, "transferLinkWindow");
        Objects.requireNonNull(syncDeadline, "syncDeadline");
        if (syncDeadline.isNegative() || syncDeadline.isZero()) {
            throw new IllegalArgumentException("global.sync_deadline must be positive but was " + syncDeadline);
        }
    }

    /** The settings as before {@code sync_deadline}: the default deadline. */
    public GlobalSettings(SyncFrequency syncFrequency, int maxConcurrentSyncs, DatabaseSettings database,
                          Path dataDirectory, Path masterKeyFile, Map<String, String> symbolAliases,
                          Set<String> knownCurrencies, Optional<Duration> cacheDuration,
                          Optional<Duration> transferLinkWindow) {
        this(syncFrequency, maxConcurrentSyncs, database, dataDirectory,
                masterKeyFile, symbolAliases, knownCurrencies, cacheDuration, transferLinkWindow,
                DEFAULT_SYNC_DEADLINE);
    }

    /** @return the settings of an empty {@code global} section */
    public static GlobalSettings defaults() {
        return new GlobalSettings(SyncFrequency.DAILY, 4, DatabaseSettings.defaults(),
                Path.of("data"), Path.of("data", "master.key"), Map.of(), Set.of(), Optional.empty(),
                Optional.empty());
    }
}
