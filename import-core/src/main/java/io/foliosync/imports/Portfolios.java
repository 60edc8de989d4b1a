package io.foliosync.imports;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.imports.store.DatabaseCredentialStore;
import io.foliosync.imports.store.JdbcPortfolioStore;
import io.foliosync.imports.store.PortfolioIds;
import io.foliosync.imports.store.PortfolioRegistry;
import io.foliosync.imports.query.PortfolioQuery;
import io.foliosync.imports.store.PortfolioStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portfolios one PostgreSQL database serves, for an application that offers FolioSync to its own users: each
 * portfolio has its own sources, credentials, jobs, cursors and data. Get it from {@link FolioSync#portfolios()}.
 *
 * <pre>{@code
 * Portfolios portfolios = fs.portfolios();
 * portfolios.register("alice", "Alice's family office");
 * portfolios.addSource("alice", PortfolioSource.of("crypto_exchanges", "kraken", Map.of("exchange", "kraken"),
 *         Map.of("api_key", key, "api_secret", secret), Duration.ofHours(1)));
 * SyncReport report = portfolios.sync("alice");
 * List<StoredTransaction> rows = portfolios.query("alice").transactions(Optional.empty());
 * }</pre>
 *
 * <p>A source's settings are stored as they are; its credentials are encrypted with the master key
 * (AES-256-GCM, bound to portfolio and source) and never logged. Adding a source schedules its sync for
 * {@link ClusteredSync}: the instances of the cluster run it once per period. The configuration file's sources
 * are the portfolio {@code default}, which this API leaves alone. Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Portfolios {
    private static final Logger LOG = LoggerFactory.getLogger(Portfolios.class);
    private static final String CREDENTIALS_PREFIX = "source/";

    private final JdbcPortfolioStore store;
    private final PortfolioRegistry registry;
    private final SecretCipher cipher;
    private final ConnectorContext context;
    private final Map<String, ConnectorProvider> providers = new HashMap<>();
    private final Function<PortfolioStore, ImportOrchestrator.Builder> orchestrators;
    private final Clock clock;
    private final CustomTask<Integer> task;
    private final SchedulerClient schedules;

    Portfolios(JdbcPortfolioStore store, SecretCipher cipher, ConnectorContext context,
               List<ConnectorProvider> providers, Function<PortfolioStore, ImportOrchestrator.Builder> orchestrators,
               Clock clock) {
        this.store = store;
        this.registry = store.registry();
        this.cipher = cipher;
        this.context = context;
        providers.forEach(p -> this.providers.putIfAbsent(p.configSection(), p));
        this.orchestrators = orchestrators;
        this.clock = clock;
        this.task = ScheduledSyncTask.create(this, clock);
        this.schedules = SchedulerClient.Builder.create(store.dataSource(), task).build();
    }

    /**
     * Registers a portfolio; registering one that exists changes nothing.
     *
     * @return false when it existed already
     * @throws IllegalArgumentException for an invalid id ({@link PortfolioIds}) or {@code default}
     */
    public boolean register(String portfolioId, String name) {
        notDefault(portfolioId);
        return registry.create(portfolioId, name, clock.instant());
    }

    /** @return the registered portfolios' ids, sorted, without {@code default} */
    public List<String> list() {
        return registry.ids().stream().filter(id -> !id.equals(JdbcPortfolioStore.DEFAULT_PORTFOLIO)).toList();
    }

    /**
     * Removes the portfolio: its schedules, sources, credentials and every stored row, in one transaction.
     *
     * @return false when there was no such portfolio
     */
    public boolean remove(String portfolioId) {
        notDefault(portfolioId);
        registry.sources(portfolioId).forEach(s -> cancel(portfolioId, s.sourceId()));
        return registry.delete(portfolioId);
    }

    /**
     * Adds a source to a portfolio: builds it once through its provider (so a missing or invalid key fails here,
     * not at its first sync), stores its settings and its encrypted credentials, and schedules its first sync at the
     * start of the next period.
     *
     * @throws ConfigurationException   naming every missing or invalid key of the source
     * @throws IllegalArgumentException when the portfolio does not exist, has the source already, or no provider
     *                                  reads the section
     */
    public void addSource(String portfolioId, PortfolioSource source) {
        notDefault(portfolioId);
        if (!registry.exists(portfolioId)) {
            throw new IllegalArgumentException("no portfolio '" + portfolioId + "': register it first");
        }
        RegisteredSource registered = new RegisteredSource(portfolioId, source.sourceId(), source.section(),
                source.settings(), source.period());
        build(registered, source.credentials()).close();
        DatabaseCredentialStore credentials = credentials(portfolioId);
        credentials.save(CREDENTIALS_PREFIX + source.sourceId(), source.credentials());
        try {
            registry.addSource(registered, clock.instant());
        } catch (RuntimeException e) {
            credentials.delete(CREDENTIALS_PREFIX + source.sourceId());
            throw e;
        }
        try {
            schedule(registered);
        } catch (RuntimeException e) {
            // a source that is registered but not scheduled would never sync: undo the registration
            registry.deleteSource(portfolioId, source.sourceId());
            credentials.delete(CREDENTIALS_PREFIX + source.sourceId());
            throw e;
        }
        LOG.info("portfolio {}: source {} ({}) added, synced every {}", portfolioId, source.sourceId(),
                source.section(), source.period());
    }

    private boolean schedule(RegisteredSource source) {
        return schedules.scheduleIfNotExists(task.instance(
                        ScheduledSyncTask.instanceId(source.portfolioId(), source.sourceId()),
                        (int) source.period().toSeconds()),
                SyncPeriods.nextStart(clock.instant(), source.period()));
    }

    /**
     * Schedules every registered source that has no schedule: one whose instance was killed between registering
     * it and scheduling it. Idempotent; a cluster instance runs it as it starts.
     *
     * @return how many sources were missing a schedule
     */
    int scheduleMissing() {
        // one read of the task's executions, so a start with thousands of sources does not ask for each of them
        Set<String> scheduled = schedules.getScheduledExecutionsForTask(ScheduledSyncTask.NAME).stream()
                .map(e -> e.getTaskInstance().getId()).collect(Collectors.toSet());
        int added = 0;
        for (String portfolioId : list()) {
            for (RegisteredSource source : registry.sources(portfolioId)) {
                if (!scheduled.contains(ScheduledSyncTask.instanceId(portfolioId, source.sourceId()))
                        && schedule(source)) {
                    added++;
                    LOG.warn("portfolio {}: source {} had no schedule; scheduled from the next period",
                            portfolioId, source.sourceId());
                }
            }
        }
        return added;
    }

    /** @return the portfolio's sources without their credentials, by id */
    public List<RegisteredSource> sources(String portfolioId) {
        return registry.sources(portfolioId);
    }

    /**
     * Removes a source, its schedule and its credentials; its stored data stays in the portfolio.
     *
     * @return false when there was no such source
     */
    public boolean removeSource(String portfolioId, String sourceId) {
        cancel(portfolioId, sourceId);
        credentials(portfolioId).delete(CREDENTIALS_PREFIX + sourceId);
        return registry.deleteSource(portfolioId, sourceId);
    }

    /**
     * Syncs one source of a portfolio now, in this process.
     *
     * @throws NoSuchElementException naming the portfolio and source when it is not registered
     * @throws SourceBusyException    when the source is syncing (here or on another instance)
     */
    public JobResult sync(String portfolioId, String sourceId) {
        RegisteredSource s = registry.source(portfolioId, sourceId).orElseThrow(() -> new NoSuchElementException(
                "portfolio '" + portfolioId + "' has no source '" + sourceId + "'"));
        try (ImportOrchestrator o = orchestrator(portfolioId, List.of(s))) {
            return o.sync(sourceId);
        }
    }

    /** Syncs every source of a portfolio concurrently, in this process, and waits for all. */
    public SyncReport sync(String portfolioId) {
        List<RegisteredSource> all = registry.sources(portfolioId);
        try (ImportOrchestrator o = orchestrator(portfolioId, all)) {
            return o.syncAll();
        }
    }

    /** @return the portfolio's data, read-only: a view of the database that reads that portfolio's rows only */
    public PortfolioQuery query(String portfolioId) {
        return store.forPortfolio(portfolioId).readOnly();
    }

    /** The portfolio's store with its writes, for the importer and this package's tests. */
    PortfolioStore store(String portfolioId) {
        return store.forPortfolio(portfolioId);
    }

    /**
     * Runs a scheduled sync, unless a sync of the source succeeded in this period already: an instance killed after
     * its job ended but before db-scheduler recorded the execution's end leaves an execution that is revived, and
     * that revival must not sync the period a second time.
     *
     * @return what became of it
     */
    ScheduledOutcome syncRegistered(String portfolioId, String sourceId, Instant periodStart) {
        Optional<RegisteredSource> s = registry.source(portfolioId, sourceId);
        if (s.isEmpty()) {
            return ScheduledOutcome.GONE;
        }
        boolean done = store.forPortfolio(portfolioId).jobs(Optional.of(sourceId), 3).stream()
                .anyMatch(j -> j.status() == JobStatus.SUCCEEDED && !j.startedAt().isBefore(periodStart));
        if (done) {
            LOG.info("{}/{}: synced in this period already", portfolioId, sourceId);
            return ScheduledOutcome.DONE;
        }
        JobResult result;
        try (ImportOrchestrator o = orchestrator(portfolioId, List.of(s.get()))) {
            result = o.sync(sourceId);
        } catch (SourceBusyException e) {
            // held by a manual sync, or still by the session of an instance that just died (PostgreSQL frees its
            // advisory lock once it notices): not done, so try again shortly within the period
            LOG.info("{}/{}: locked by another sync; trying again shortly", portfolioId, sourceId);
            return ScheduledOutcome.BUSY;
        }
        if (result.status() != JobStatus.SUCCEEDED) {
            LOG.warn("{}/{}: scheduled sync ended {}", portfolioId, sourceId, result.status());
        } else if (result.partiallyFailed()) {
            // done for the period all the same: a sync in the same period would reject them again; the next
            // period's reads them again (the cursor stops at them)
            LOG.warn("{}/{}: scheduled sync succeeded but rejected {} record(s), kept in quarantine", portfolioId,
                    sourceId, result.rejected());
        }
        return ScheduledOutcome.DONE;
    }

    /** What a scheduled execution did: synced (or found this period synced), found the source gone, or found it locked. */
    enum ScheduledOutcome { DONE, GONE, BUSY }

    CustomTask<Integer> task() {
        return task;
    }

    JdbcPortfolioStore database() {
        return store;
    }

    private ImportOrchestrator orchestrator(String portfolioId, List<RegisteredSource> sources) {
        PortfolioStore scoped = store.forPortfolio(portfolioId);
        DatabaseCredentialStore credentials = credentials(portfolioId);
        List<Connector> built = new ArrayList<>();
        try {
            ImportOrchestrator.Builder b = orchestrators.apply(scoped);
            for (RegisteredSource s : sources) {
                Map<String, String> secrets = credentials.load(CREDENTIALS_PREFIX + s.sourceId()).orElse(Map.of());
                Connector c = build(s, secrets);
                built.add(c);
                b.addConnector(s.section(), c);
            }
            return b.build();
        } catch (RuntimeException e) {
            built.forEach(Connector::close);
            throw e;
        }
    }

    /** The source's entry of its section, as the YAML file would hold it, built by the section's provider. */
    private Connector build(RegisteredSource s, Map<String, String> secrets) {
        ConnectorProvider provider = providers.get(s.section());
        if (provider == null) {
            throw new IllegalArgumentException("portfolio '" + s.portfolioId() + "', source '" + s.sourceId()
                    + "': no connector module on the class path reads section '" + s.section() + "'");
        }
        Map<String, Object> entry = new HashMap<>(s.settings());
        entry.putAll(secrets);
        ConfigSection section = new ConfigSection(s.section(), Map.of(s.sourceId(), entry));
        List<Connector> made = provider.create(section,
                context.withCredentials(credentials(s.portfolioId())));
        Connector match = null;
        for (Connector c : made) {
            if (match == null && c.sourceId().equals(s.sourceId())) {
                match = c;
            } else {
                c.close();
            }
        }
        if (match == null) {
            throw new ConfigurationException(s.section() + "." + s.sourceId(), "portfolio '" + s.portfolioId()
                    + "': the entry enables no source with id '" + s.sourceId() + "'");
        }
        return match;
    }

    private DatabaseCredentialStore credentials(String portfolioId) {
        return store.forPortfolio(portfolioId).credentials(cipher);
    }

    private void cancel(String portfolioId, String sourceId) {
        var id = task.instanceId(ScheduledSyncTask.instanceId(portfolioId, sourceId));
        try {
            schedules.cancel(id);
        } catch (TaskInstanceNotFoundException e) {
            // never scheduled, or removed already
        } catch (TaskInstanceCurrentlyExecutingException e) {
            // running right now: it removes itself at its end, since the source is gone by then
            LOG.info("{}/{}: syncing now; its schedule ends after this sync", portfolioId, sourceId);
        }
    }

    private static void notDefault(String portfolioId) {
        PortfolioIds.check(portfolioId);
        if (portfolioId.equals(JdbcPortfolioStore.DEFAULT_PORTFOLIO)) {
            throw new IllegalArgumentException("the portfolio 'default' is the configuration file's: register "
                    + "another id");
        }
    }
}
