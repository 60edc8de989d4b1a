package io.foliosync.plugins;

import io.foliosync.connectors.api.BankIntegrationPlugin;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds bank plugins without running any of their code: on the application's class path and as jars in the plugin
 * directory, each read from its manifest ({@code META-INF/foliosync/plugin.yaml}) and service entry, checked
 * against the SDK version range and, for a jar, the allow-list ({@link PluginTrust}) first.
 */
final class PluginDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(PluginDiscovery.class);
    private static final String API = BankIntegrationPlugin.class.getName();

    private final ClassLoader applicationLoader;
    private final boolean classpathDiscovery;
    private final Optional<Path> pluginDirectory;
    private final PluginTrust trust;
    private final String sdkText;
    private final SdkVersion sdkVersion;

    PluginDiscovery(ClassLoader applicationLoader, boolean classpathDiscovery, Optional<Path> pluginDirectory,
                    PluginTrust trust, String sdkVersion) {
        this.applicationLoader = applicationLoader;
        this.classpathDiscovery = classpathDiscovery;
        this.pluginDirectory = pluginDirectory;
        this.trust = trust;
        this.sdkText = sdkVersion;
        this.sdkVersion = SdkVersion.parse("SDK version", sdkVersion);
    }

    /** A plugin discovery found: what it says of itself and the manifest it was read from. */
    record Found(PluginDescriptor descriptor, PluginManifest manifest) {
    }

    /** What reading one plugin's manifest and service entry found. */
    record Inspection(Optional<PluginManifest> manifest, Optional<String> providerClass, Optional<String> sha256,
                      Optional<String> id, boolean trusted, List<String> problems) {
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

    /**
     * Lists every plugin on the class path and in the plugin directory from their manifests, without instantiating
     * any. A broken or refused plugin becomes a {@link PluginProblem}; it never hides the others. When two plugins
     * share an id, the first found (class path first, then jars by file name) is kept and the other reported.
     */
    Result discover() {
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
        for (Found f : found.values()) {
            PluginDescriptor d = f.descriptor();
            LOG.info("found bank plugin {} {} ({}) in {}", d.id(), d.version(), d.providerClass(), d.location());
        }
        for (PluginProblem p : problems) {
            LOG.warn("plugin refused: {}", p);
        }
        return new Result(found, problems);
    }

    /** @param found the plugins found by id, in discovery order */
    record Result(Map<String, Found> found, List<PluginProblem> problems) {
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

    static String duplicate(String id, Found earlier) {
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

    /** Reads a jar's manifest and service entry, after the allow-list, without running its code. */
    Inspection inspectJar(Path jar) {
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
        Optional<String> refused = trust.refusal(jar, sha);
        if (refused.isPresent()) {
            return new Inspection(Optional.empty(), Optional.empty(), Optional.of(sha), Optional.empty(), false,
                    List.of(refused.get()));
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
}
