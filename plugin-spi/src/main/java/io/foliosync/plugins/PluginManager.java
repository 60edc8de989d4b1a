package io.foliosync.plugins;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.AuthField;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.FolioSyncVersion;
import io.foliosync.connectors.api.PluginMetadata;
import io.foliosync.connectors.api.secrets.CredentialStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipException;
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
 * <p>Thread-safe. Create with {@link #builder()}; close to unload every plugin.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PluginManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginManager.class);
    private static final String API = BankIntegrationPlugin.class.getName();
    private static final int MAX_BROKEN_PROVIDERS = 10_000;

    private final ClassLoader applicationLoader;
    private final boolean classpathDiscovery;
    private final Optional<Path> pluginDirectory;
    private final Optional<Set<String>> trustedDigests;
    private final List<String> sharedPackages;
    private final Optional<CredentialStore> credentialStore;
    private final String sdkText;
    private final SdkVersion sdkVersion;

    private Map<String, Found> discovered;
    private final Map<String, Loaded> loaded = new LinkedHashMap<>();

    private record Found(PluginDescriptor descriptor, PluginManifest manifest) {
    }

    private record Loaded(BankIntegrationPlugin plugin, PluginDescriptor descriptor, Optional<URLClassLoader> loader) {
    }

    private record Inspection(Optional<PluginManifest> manifest, Optional<String> providerClass,
                              Optional<String> sha256, Optional<String> id, boolean trusted, List<String> problems) {
        Optional<Found> found(Path location, PluginOrigin origin) {
            if (manifest.isEmpty() || providerClass.isEmpty()) {
                return Optional.empty();
            }
            PluginManifest m = manifest.get();
            return Optional.of(new Found(new PluginDescriptor(m.id(), m.name(), m.version(), m.author(),
                    m.description(), m.countries(), m.assetTypes(), m.authType(), m.minSdkVersion(),
                    m.sdkVersionBelow(), providerClass.get(), location, origin, sha256, false), m));
        }
    }

    private PluginManager(Builder b) {
        this.applicationLoader = b.classLoader;
        this.classpathDiscovery = b.classpathDiscovery;
        this.pluginDirectory = Optional.ofNullable(b.pluginDirectory);
        this.trustedDigests = b.trusted == null ? Optional.empty() : Optional.of(Set.copyOf(b.trusted));
        this.sharedPackages = List.copyOf(b.sharedPackages);
        this.credentialStore = Optional.ofNullable(b.credentialStore);
        this.sdkText = b.sdkVersion;
        this.sdkVersion = SdkVersion.parse("SDK version", b.sdkVersion);
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
        Map<String, Found> found = new LinkedHashMap<>();
        List<PluginProblem> problems = new ArrayList<>();
        if (classpathDiscovery) {
            Enumeration<URL> urls;
            try {
                urls = applicationLoader.getResources(PluginManifest.PATH);
            } catch (IOException e) {
                urls = Collections.emptyEnumeration();
                problems.add(new PluginProblem("class path", Optional.empty(),
                        "cannot list " + PluginManifest.PATH + " resources: " + e));
            }
            for (URL url : Collections.list(urls)) {
                String root = url.toString().substring(0, url.toString().length() - PluginManifest.PATH.length());
                Path location;
                try {
                    location = locationOf(root);
                } catch (RuntimeException e) {
                    problems.add(new PluginProblem(root, Optional.empty(), "cannot tell where this class-path entry is: " + e));
                    continue;
                }
                try {
                    accept(inspectClasspath(url, root), location, PluginOrigin.CLASSPATH, found, problems);
                } catch (RuntimeException | LinkageError e) {
                    problems.add(new PluginProblem(location.toString(), Optional.empty(), "unreadable plugin: " + e));
                }
            }
        }
        pluginDirectory.ifPresent(dir -> {
            for (Path jar : jarsIn(dir, problems)) {
                try {
                    accept(inspectJar(jar), jar, PluginOrigin.DIRECTORY, found, problems);
                } catch (RuntimeException | LinkageError e) {
                    problems.add(new PluginProblem(jar.toString(), Optional.empty(), "unreadable plugin: " + e));
                }
            }
        });
        discovered = found;
        for (Found f : found.values()) {
            PluginDescriptor d = f.descriptor();
            LOG.info("found bank plugin {} {} ({}) in {}", d.id(), d.version(), d.providerClass(), d.location());
        }
        for (PluginProblem p : problems) {
            LOG.warn("plugin refused: {}", p);
        }
        return new DiscoveryReport(found.values().stream()
                .map(f -> f.descriptor().withLoaded(loaded.containsKey(f.descriptor().id()))).toList(), problems);
    }

    private void accept(Inspection ins, Path location, PluginOrigin origin, Map<String, Found> found,
                        List<PluginProblem> problems) {
        if (!ins.problems().isEmpty()) {
            problems.add(new PluginProblem(location.toString(), ins.id(), String.join("; ", ins.problems())));
            return;
        }
        Found f = ins.found(location, origin).orElseThrow();
        Found earlier = found.get(f.descriptor().id());
        if (earlier != null) {
            problems.add(new PluginProblem(location.toString(), ins.id(), duplicate(f.descriptor().id(), earlier)
                    + "; the first one is used: remove one of them"));
            return;
        }
        found.put(f.descriptor().id(), f);
    }

    private static String duplicate(String id, Found earlier) {
        return "duplicate plugin id '" + id + "': already provided by " + earlier.descriptor().location();
    }

    private static List<Path> jarsIn(Path dir, List<PluginProblem> problems) {
        if (!Files.exists(dir)) {
            LOG.debug("plugin directory {} does not exist yet", dir);
            return List.of();
        }
        if (!Files.isDirectory(dir)) {
            problems.add(new PluginProblem(dir.toString(), Optional.empty(), "the plugin directory is not a directory"));
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            problems.add(new PluginProblem(dir.toString(), Optional.empty(), "cannot list the plugin directory: " + e));
            return List.of();
        }
    }

    private Inspection inspectJar(Path jar) {
        List<String> problems = new ArrayList<>();
        String sha;
        try {
            sha = PluginJars.sha256(jar);
        } catch (NoSuchFileException e) {
            return new Inspection(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false,
                    List.of(jar + " does not exist"));
        } catch (IOException e) {
            return new Inspection(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false,
                    List.of("cannot read " + jar + ": " + e.getMessage()));
        }
        if (trustedDigests.isPresent() && !trustedDigests.get().contains(sha)) {
            return new Inspection(Optional.empty(), Optional.empty(), Optional.of(sha), Optional.empty(), false,
                    List.of("SHA-256 " + sha + " of " + jar.getFileName() + " is not on the plugin allow-list: "
                            + "check where the jar comes from, then add its digest to the allow-list"));
        }
        Optional<PluginManifest> manifest = Optional.empty();
        Optional<String> id = Optional.empty();
        Optional<String> provider = Optional.empty();
        try (JarFile jf = new JarFile(jar.toFile())) {
            JarEntry m = jf.getJarEntry(PluginManifest.PATH);
            if (m == null) {
                problems.add(PluginManifest.PATH + " is missing: every plugin jar describes itself there");
            } else {
                PluginManifest.Result r = PluginManifest.read(jf.getInputStream(m));
                manifest = r.manifest();
                id = r.id();
                problems.addAll(r.problems());
            }
            JarEntry s = jf.getJarEntry(PluginJars.SERVICES);
            if (s == null) {
                problems.add(PluginJars.SERVICES + " is missing: it must name the class implementing " + API);
            } else {
                provider = provider(PluginJars.providerNames(jf.getInputStream(s), problems), problems);
            }
        } catch (ZipException e) {
            return new Inspection(Optional.empty(), Optional.empty(), Optional.of(sha), Optional.empty(), true,
                    List.of(jar.getFileName() + " is not a jar (zip) file: " + e.getMessage()));
        } catch (IOException e) {
            return new Inspection(Optional.empty(), Optional.empty(), Optional.of(sha), Optional.empty(), true,
                    List.of("cannot read " + jar + ": " + e.getMessage()));
        }
        manifest.ifPresent(mf -> problems.addAll(sdkProblems(mf)));
        return new Inspection(manifest, provider, Optional.of(sha), id, true, problems);
    }

    private Inspection inspectClasspath(URL manifestUrl, String root) {
        List<String> problems = new ArrayList<>();
        Optional<PluginManifest> manifest = Optional.empty();
        Optional<String> id = Optional.empty();
        Optional<String> provider = Optional.empty();
        try (InputStream in = manifestUrl.openStream()) {
            PluginManifest.Result r = PluginManifest.read(in);
            manifest = r.manifest();
            id = r.id();
            problems.addAll(r.problems());
        } catch (IOException e) {
            problems.add("cannot read " + PluginManifest.PATH + ": " + e);
        }
        try (InputStream in = URI.create(root + PluginJars.SERVICES).toURL().openStream()) {
            provider = provider(PluginJars.providerNames(in, problems), problems);
        } catch (FileNotFoundException | NoSuchFileException e) {
            problems.add(PluginJars.SERVICES + " is missing: it must name the class implementing " + API);
        } catch (IOException e) {
            problems.add("cannot read " + PluginJars.SERVICES + ": " + e);
        }
        manifest.ifPresent(mf -> problems.addAll(sdkProblems(mf)));
        return new Inspection(manifest, provider, Optional.empty(), id, true, problems);
    }

    private static Optional<String> provider(List<String> names, List<String> problems) {
        if (names.isEmpty()) {
            problems.add(PluginJars.SERVICES + " names no class: it must name the class implementing " + API);
            return Optional.empty();
        }
        if (names.size() > 1) {
            problems.add(PluginJars.SERVICES + " names " + names.size() + " classes " + names
                    + ": a plugin jar provides exactly one plugin");
            return Optional.empty();
        }
        return Optional.of(names.get(0));
    }

    private List<String> sdkProblems(PluginManifest m) {
        List<String> out = new ArrayList<>();
        SdkVersion min = SdkVersion.parse("min_sdk_version", m.minSdkVersion());
        if (sdkVersion.compareTo(min) < 0) {
            out.add("plugin " + m.id() + " needs FolioSync " + m.minSdkVersion() + " or newer (min_sdk_version) but "
                    + "this is FolioSync " + sdkText + ": upgrade FolioSync or use an older version of the plugin");
        }
        m.sdkVersionBelow().ifPresent(below -> {
            if (sdkVersion.compareTo(SdkVersion.parse("sdk_version_below", below)) >= 0) {
                out.add("plugin " + m.id() + " supports FolioSync below " + below + " only (sdk_version_below) but "
                        + "this is FolioSync " + sdkText + ": get a newer version of the plugin");
            }
        });
        return out;
    }

    private static Path locationOf(String root) {
        String s = root;
        if (s.startsWith("jar:")) {
            s = s.substring("jar:".length());
            int bang = s.lastIndexOf("!/");
            s = bang >= 0 ? s.substring(0, bang) : s;
        }
        return Path.of(URI.create(s));
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
        Inspection ins = inspectJar(jar);
        List<String> problems = new ArrayList<>(ins.problems());
        Optional<Found> found = ins.found(jar, PluginOrigin.DIRECTORY);
        if (found.isPresent()) {
            String id = found.get().descriptor().id();
            Found other = discovered().get(id);
            if (other != null && !sameFile(other.descriptor().location(), jar)) {
                problems.add(duplicate(id, other));
            }
            if (ins.trusted()) {
                try (URLClassLoader loader = isolatedLoader(id, jar)) {
                    instantiate(found.get(), loader);
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
        PluginDescriptor d = f.descriptor();
        BankIntegrationPlugin plugin;
        Optional<URLClassLoader> own = Optional.empty();
        if (d.origin() == PluginOrigin.CLASSPATH) {
            plugin = instantiate(f, applicationLoader);
        } else {
            String now;
            try {
                now = PluginJars.sha256(d.location());
            } catch (IOException e) {
                throw new PluginException(id, "cannot read " + d.location() + ": " + e.getMessage(), e);
            }
            if (!d.sha256().map(now::equals).orElse(false)) {
                throw new PluginException(id, d.location() + " changed since it was discovered: run discoverPlugins() "
                        + "again", null);
            }
            URLClassLoader loader = isolatedLoader(id, d.location());
            try {
                plugin = instantiate(f, loader);
            } catch (RuntimeException | Error e) {
                closeQuietly(id, loader);
                throw e;
            }
            own = Optional.of(loader);
        }
        loaded.put(id, new Loaded(plugin, d.withLoaded(true), own));
        LOG.info("loaded bank plugin {} {} from {}", id, d.version(), d.location());
        return plugin;
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
        l.loader().ifPresent(loader -> closeQuietly(id, loader));
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

    private URLClassLoader isolatedLoader(String id, Path jar) {
        try {
            // rewrites the plugin's System.exit / Runtime.exit / Runtime.halt so they throw (issue 23 case 2)
            return new ExitGuardingClassLoader(id, jar.toUri().toURL(),
                    new ApiOnlyClassLoader(BankIntegrationPlugin.class.getClassLoader(), sharedPackages));
        } catch (MalformedURLException e) {
            throw new PluginException(id, "cannot turn " + jar + " into a URL: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(String id, URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            LOG.warn("closing the class loader of plugin {} failed: {}", id, e.toString());
        }
    }

    /** Checks the provider class, instantiates it through ServiceLoader and compares its metadata with the manifest. */
    private static BankIntegrationPlugin instantiate(Found f, ClassLoader loader) {
        String id = f.descriptor().id();
        String cn = f.descriptor().providerClass();
        List<String> problems = new ArrayList<>();
        Class<?> cls;
        try {
            cls = Class.forName(cn, false, loader);
        } catch (ClassNotFoundException e) {
            throw new PluginException(id, List.of("provider class " + cn + " named in " + PluginJars.SERVICES
                    + " is not in " + f.descriptor().location()));
        } catch (LinkageError e) {
            throw new PluginException(id, List.of("provider class " + cn + " cannot be loaded (" + e
                    + "): bundle the libraries it needs in the plugin jar"));
        }
        if (!BankIntegrationPlugin.class.isAssignableFrom(cls)) {
            boolean copy = implementsByName(cls);
            problems.add(cn + " does not implement " + API + (copy ? " (it implements a copy of it from another "
                    + "class loader: do not bundle connectors-api in the plugin jar)" : ""));
        }
        if (!Modifier.isPublic(cls.getModifiers()) || Modifier.isAbstract(cls.getModifiers()) || cls.isInterface()) {
            problems.add(cn + " must be a public, non-abstract class");
        }
        try {
            cls.getConstructor();
        } catch (NoSuchMethodException e) {
            problems.add(cn + " has no public no-argument constructor, which ServiceLoader needs");
        } catch (LinkageError e) {
            problems.add(cn + " cannot be inspected (" + e + "): bundle the libraries it needs in the plugin jar");
        }
        if (!problems.isEmpty()) {
            throw new PluginException(id, problems);
        }
        BankIntegrationPlugin plugin = viaServiceLoader(id, cls, loader, f.descriptor().location());
        PluginMetadata md;
        try {
            md = plugin.metadata();
        } catch (RuntimeException | LinkageError e) {
            throw new PluginException(id, List.of("metadata() of " + cn + " threw " + e));
        }
        if (md == null) {
            throw new PluginException(id, List.of("metadata() of " + cn + " returned null"));
        }
        problems.addAll(f.manifest().disagreements(md));
        if (!problems.isEmpty()) {
            throw new PluginException(id, problems);
        }
        return plugin;
    }

    private static boolean implementsByName(Class<?> cls) {
        for (Class<?> c = cls; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(API)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Instantiates {@code cls} through {@link ServiceLoader}, the way SLF4J does: each provider on its own, so a
     * broken provider elsewhere on the class path is skipped rather than stopping the search.
     */
    private static BankIntegrationPlugin viaServiceLoader(String id, Class<?> cls, ClassLoader loader, Path location) {
        Iterator<ServiceLoader.Provider<BankIntegrationPlugin>> it =
                ServiceLoader.load(BankIntegrationPlugin.class, loader).stream().iterator();
        for (int broken = 0; broken < MAX_BROKEN_PROVIDERS; ) {
            ServiceLoader.Provider<BankIntegrationPlugin> provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                broken++;
                LOG.debug("skipping a broken provider while looking for {}: {}", cls.getName(), e.toString());
                continue;
            }
            if (provider.type() != cls) {
                continue;
            }
            try {
                return provider.get();
            } catch (ServiceConfigurationError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new PluginException(id, "the constructor of " + cls.getName() + " threw " + cause, cause);
            } catch (RuntimeException | LinkageError e) {
                throw new PluginException(id, "the constructor of " + cls.getName() + " threw " + e, e);
            }
        }
        throw new PluginException(id, "ServiceLoader does not offer " + cls.getName() + " from " + location
                + ": check " + PluginJars.SERVICES, null);
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
