package io.foliosync.plugins;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.AuthField;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.FolioSyncVersion;
import io.foliosync.connectors.api.PluginMetadata;
import io.foliosync.connectors.api.secrets.CredentialStore;
import io.foliosync.plugins.PluginDiscovery.Found;
import io.foliosync.plugins.PluginLoading.Loaded;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds, validates, loads and unloads bank plugins ({@link BankIntegrationPlugin} implementations).
 *
 * <p>Plugins come from two places: the application's class path, and jars dropped into a plugin directory.
 * {@link #discoverPlugins()} reads each plugin's manifest ({@code META-INF/foliosync/plugin.yaml}) and its
 * {@code META-INF/services/io.foliosync.connectors.api.BankIntegrationPlugin} entry without running any plugin
 * code. {@link #loadPlugin(String)} instantiates one through {@link ServiceLoader}; each plugin-directory jar
 * gets a class loader of its own whose parent shows only the Java platform and the SDK's API, so two plugins
 * can bundle clashing versions of one library. {@link #unloadPlugin(String)} logs the plugin out and closes
 * that class loader.
 *
 * <p>Trust: a loaded plugin runs with the application's permissions; class-loader isolation keeps libraries
 * apart, it is not a sandbox. Turn the allow-list on ({@link Builder#trustedDigests}) to load only jars whose
 * SHA-256 digest you listed. Plugins on the class path are part of the application and trusted as such.
 *
 * <p>The rooms: {@link PluginDiscovery} finds plugins without running them, {@link PluginTrust} says which jars may
 * be read, {@link PluginLoading} loads one; this class keeps what was found and loaded, validates and installs jars,
 * and stores plugin credentials.
 *
 * <p>Thread-safe. Create with {@link #builder()}; close to unload every plugin.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PluginManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginManager.class);

    private final Optional<Path> pluginDirectory;
    private final Optional<CredentialStore> credentialStore;
    private final PluginDiscovery discovery;
    private final PluginLoading loading;

    private Map<String, Found> discovered;
    private final Map<String, Loaded> loaded = new LinkedHashMap<>();

    private PluginManager(Builder b) {
        this.pluginDirectory = Optional.ofNullable(b.pluginDirectory);
        this.credentialStore = Optional.ofNullable(b.credentialStore);
        this.discovery = new PluginDiscovery(b.classLoader, b.classpathDiscovery, pluginDirectory,
                new PluginTrust(b.trusted), b.sdkVersion);
        this.loading = new PluginLoading(b.classLoader, b.sharedPackages);
    }

    /** @return a builder; by default it discovers plugins on the class path only, with no allow-list */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- discovery

    /**
     * Lists every plugin on the class path and in the plugin directory from their manifests, without
     * instantiating any. A broken or refused plugin becomes a {@link PluginProblem}; it never hides the others.
     * When two plugins share an id, the first found (class path first, then jars by file name) is kept and the
     * other reported.
     *
     * @return the plugins found and the problems met; never null
     */
    public synchronized DiscoveryReport discoverPlugins() {
        PluginDiscovery.Result r = discovery.discover();
        discovered = r.found();
        return new DiscoveryReport(r.found().values().stream()
                .map(f -> f.descriptor().withLoaded(loaded.containsKey(f.descriptor().id()))).toList(), r.problems());
    }

    // ---------------------------------------------------------------- validation and installation

    /**
     * Checks a plugin jar without installing it: the allow-list (when on; an untrusted jar is refused before
     * any of it is read further), the manifest and its required keys, the service entry, the SDK version range,
     * a duplicate id among the discovered plugins, and then, in a throw-away class loader, that the class
     * implements {@link BankIntegrationPlugin}, has a public no-argument constructor, and that its
     * {@code metadata()} agrees with the manifest. This runs the plugin's constructor and {@code metadata()}.
     *
     * @return every problem found; never null
     */
    public synchronized ValidationReport validatePlugin(Path jar) {
        Objects.requireNonNull(jar, "jar");
        PluginDiscovery.Inspection ins = discovery.inspectJar(jar);
        List<String> problems = new ArrayList<>(ins.problems());
        Optional<Found> found = ins.found(jar, PluginOrigin.DIRECTORY);
        if (found.isPresent()) {
            String id = found.get().descriptor().id();
            Found other = discovered().get(id);
            if (other != null && !sameFile(other.descriptor().location(), jar)) {
                problems.add(PluginDiscovery.duplicate(id, other));
            }
            if (ins.trusted()) {
                try (URLClassLoader loader = loading.isolatedLoader(id, jar)) {
                    PluginLoading.instantiate(found.get(), loader);
                } catch (PluginException e) {
                    problems.addAll(e.problems());
                } catch (IOException e) {
                    problems.add("cannot open " + jar + ": " + e.getMessage());
                }
            }
        }
        return new ValidationReport(jar, ins.sha256(), found.map(Found::descriptor), problems);
    }

    /**
     * Validates a jar and copies it into the plugin directory (atomically), then discovers again.
     *
     * @return the installed plugin
     * @throws PluginException when the jar is invalid (every problem listed), no plugin directory is configured,
     *                         or another file of that name is already installed
     */
    public synchronized PluginDescriptor installPlugin(Path jar) {
        ValidationReport report = validatePlugin(jar);
        String id = report.plugin().map(PluginDescriptor::id).orElse(null);
        if (!report.valid()) {
            throw new PluginException(id, report.problems());
        }
        Path dir = pluginDirectory.orElseThrow(() -> new PluginException(id,
                "no plugin directory is configured: set one with PluginManager.builder().pluginDirectory(...)", null));
        Path target = dir.resolve(jar.getFileName().toString());
        try {
            Files.createDirectories(dir);
            if (Files.exists(target)) {
                if (!sameFile(target, jar)) {
                    throw new PluginException(id, target + " already exists: remove or rename it first", null);
                }
            } else {
                Path tmp = Files.createTempFile(dir, ".installing-", ".tmp");
                try {
                    Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            throw new PluginException(id, "cannot copy " + jar + " into " + dir + ": " + e.getMessage(), e);
        }
        LOG.info("installed bank plugin {} from {} into {}", id, jar, target);
        return discoverPlugins().plugin(id).orElseThrow(() -> new PluginException(id,
                "installed " + target + " but discovery did not find it; see discoverPlugins().problems()", null));
    }

    // ---------------------------------------------------------------- loading

    /**
     * @return the loaded instance of plugin {@code id}, loading it first when needed (discovering first when
     *         nothing was discovered yet); the same instance until it is unloaded
     * @throws PluginException naming the reason when the plugin is unknown, refused or broken
     */
    public synchronized BankIntegrationPlugin loadPlugin(String id) {
        Loaded l = loaded.get(id);
        if (l != null) {
            return l.plugin();
        }
        Found f = discovered().get(id);
        if (f == null) {
            throw new PluginException(id, "no plugin with id '" + id + "' was discovered (known: "
                    + String.join(", ", discovered().keySet()) + "); see discoverPlugins().problems() for refused ones",
                    null);
        }
        Loaded l2 = loading.load(f);
        loaded.put(id, l2);
        LOG.info("loaded bank plugin {} {} from {}", id, l2.descriptor().version(), l2.descriptor().location());
        return l2.plugin();
    }

    /** @return the descriptor of plugin {@code id} when discovery found it (discovering first when needed) */
    synchronized Optional<PluginDescriptor> discovered(String id) {
        return Optional.ofNullable(discovered().get(id)).map(Found::descriptor);
    }

    /** @return the loaded instance of plugin {@code id}, when it is loaded */
    public synchronized Optional<BankIntegrationPlugin> getPlugin(String id) {
        return Optional.ofNullable(loaded.get(id)).map(Loaded::plugin);
    }

    /** @return the loaded plugins, in loading order */
    public synchronized List<PluginDescriptor> listLoadedPlugins() {
        return loaded.values().stream().map(Loaded::descriptor).toList();
    }

    /**
     * Logs plugin {@code id} out, drops its instance and closes its class loader (for a plugin-directory jar).
     * An exception from the plugin's {@code logout()} is logged, not thrown.
     *
     * @return whether it was loaded
     */
    public synchronized boolean unloadPlugin(String id) {
        Loaded l = loaded.remove(id);
        if (l == null) {
            return false;
        }
        try {
            l.plugin().logout();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("plugin {} failed to log out: {}", id, e.toString());
        }
        l.loader().ifPresent(loader -> PluginLoading.closeQuietly(id, loader));
        LOG.info("unloaded bank plugin {}", id);
        return true;
    }

    /** Unloads every loaded plugin. */
    @Override
    public synchronized void close() {
        for (String id : List.copyOf(loaded.keySet())) {
            unloadPlugin(id);
        }
    }

    private Map<String, Found> discovered() {
        if (discovered == null) {
            discoverPlugins();
        }
        return discovered;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    // ---------------------------------------------------------------- credentials

    /**
     * Stores the values of plugin {@code id}'s auth fields in the {@link CredentialStore} (encrypted there; this
     * class keeps no copy). Loads the plugin to read its declared fields.
     *
     * @throws PluginException for an unknown field, a missing required field, or no credential store
     */
    public synchronized void saveCredentials(String id, Map<String, String> values) {
        CredentialStore store = store(id);
        PluginMetadata md = loadPlugin(id).metadata();
        List<String> problems = new ArrayList<>();
        Set<String> declared = new LinkedHashSet<>();
        md.authFields().forEach(f -> declared.add(f.name()));
        for (String key : values.keySet()) {
            if (!declared.contains(key)) {
                problems.add("plugin " + id + " declares no auth field '" + key + "' (it declares: "
                        + String.join(", ", declared) + ")");
            }
        }
        for (AuthField f : md.authFields()) {
            String v = values.get(f.name());
            if (f.required() && (v == null || v.isBlank()) && f.defaultValue().isEmpty()) {
                problems.add("plugin " + id + " needs its auth field '" + f.name() + "' (" + f.label() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new PluginException(id, problems);
        }
        store.save(id, Map.copyOf(values));
    }

    /**
     * Authenticates plugin {@code id} with its stored credentials, filling in the defaults of fields the user
     * left out.
     *
     * @return the plugin's answer, or a failure naming the required fields that have no value
     */
    public synchronized AuthenticationResult authenticate(String id) {
        CredentialStore store = store(id);
        BankIntegrationPlugin plugin = loadPlugin(id);
        PluginMetadata md = plugin.metadata();
        Map<String, String> values = new HashMap<>();
        md.authFields().forEach(f -> f.defaultValue().ifPresent(v -> values.put(f.name(), v)));
        store.load(id).ifPresent(values::putAll);
        List<String> missing = md.authFields().stream()
                .filter(f -> f.required() && (values.get(f.name()) == null || values.get(f.name()).isBlank()))
                .map(f -> f.name() + " (" + f.label() + ")").toList();
        if (!missing.isEmpty()) {
            return AuthenticationResult.failure("plugin " + id + " has no value for " + String.join(", ", missing)
                    + ": save its credentials first");
        }
        return plugin.authenticate(Collections.unmodifiableMap(values));
    }

    /** Removes the stored credentials of plugin {@code id}. */
    public synchronized void deleteCredentials(String id) {
        store(id).delete(id);
    }

    private CredentialStore store(String id) {
        return credentialStore.orElseThrow(() -> new PluginException(id, "no CredentialStore is configured: pass "
                + "one to PluginManager.builder().credentialStore(...)", null));
    }

    // ---------------------------------------------------------------- builder

    /** Configures a {@link PluginManager}. */
    public static final class Builder {
        private ClassLoader classLoader = PluginManager.class.getClassLoader();
        private boolean classpathDiscovery = true;
        private Path pluginDirectory;
        private Collection<String> trusted;
        private final List<String> sharedPackages = new ArrayList<>(List.of("io.foliosync.connectors.api.", "org.slf4j."));
        private CredentialStore credentialStore;
        private String sdkVersion = FolioSyncVersion.get();

        private Builder() {
        }

        /** The class loader whose class path is searched for plugins; by default plugin-spi's own. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /** Whether to look for plugins on the class path (on by default); tests turn it off. */
        public Builder classpathDiscovery(boolean enabled) {
            this.classpathDiscovery = enabled;
            return this;
        }

        /** The directory holding plugin jars; need not exist yet. */
        public Builder pluginDirectory(Path dir) {
            this.pluginDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Turns the allow-list on: only plugin jars whose SHA-256 digest (hex) is listed are read and loaded.
         * An empty collection refuses every jar. Class-path plugins are part of the application and not checked.
         */
        public Builder trustedDigests(Collection<String> sha256Digests) {
            List<String> list = new ArrayList<>();
            for (String d : sha256Digests) {
                list.add(PluginJars.normalizeDigest(d));
            }
            this.trusted = list;
            return this;
        }

        /**
         * Turns the allow-list on from a file in the format {@code sha256sum} writes
         * ({@code <digest>  <file name>} per line, {@code #} comments).
         *
         * @throws ConfigurationException when the file cannot be read or holds something else than digests
         */
        public Builder allowListFile(Path file) {
            try {
                this.trusted = PluginJars.readAllowList(file);
            } catch (IOException e) {
                throw new ConfigurationException("plugins", "cannot read the plugin allow-list " + file + ": " + e);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("plugins", e.getMessage());
            }
            return this;
        }

        /**
         * Shows one more package of the application (such as {@code okhttp3.}) to plugin-directory jars, which by
         * default see only {@code io.foliosync.connectors.api.} and {@code org.slf4j.}. Needed when a plugin uses
         * connectors-api helpers whose signatures carry that package's types.
         */
        public Builder sharePackage(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            sharedPackages.add(prefix.endsWith(".") ? prefix : prefix + ".");
            return this;
        }

        /** Where plugin credentials are kept (encrypted); needed by the credential methods only. */
        public Builder credentialStore(CredentialStore store) {
            this.credentialStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Pretends to be another SDK version; for tests. */
        Builder sdkVersion(String version) {
            this.sdkVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        public PluginManager build() {
            return new PluginManager(this);
        }
    }
}
