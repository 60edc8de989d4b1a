package io.foliosync.plugins;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthenticationType;
import io.foliosync.connectors.api.PluginMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The parsed {@code META-INF/foliosync/plugin.yaml}. Keys (snake_case): {@code id}, {@code name},
 * {@code version}, {@code min_sdk_version} are required; {@code author}, {@code description},
 * {@code countries}, {@code asset_types}, {@code auth_type}, {@code homepage}, {@code sdk_version_below} are
 * optional.
 */
record PluginManifest(String id, String name, String version, String author, String description,
                      Set<String> countries, Set<AssetClass> assetTypes, AuthenticationType authType,
                      Optional<String> homepage, String minSdkVersion, Optional<String> sdkVersionBelow) {
    static final String PATH = "META-INF/foliosync/plugin.yaml";
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_-]{1,63}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Set<String> KNOWN = Set.of("id", "name", "version", "author", "description",
            "countries", "asset_types", "auth_type", "homepage", "min_sdk_version", "sdk_version_below");

    /** Either a manifest or the problems that prevent reading one. */
    record Result(Optional<PluginManifest> manifest, Optional<String> id, List<String> problems) {
    }

    static Result read(InputStream in) {
        List<String> problems = new ArrayList<>();
        Object root;
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(new SafeConstructor(options)).load(reader);
        } catch (YAMLException | IOException e) {
            return new Result(Optional.empty(), Optional.empty(),
                    List.of(PATH + " is not valid YAML: " + firstLine(e.getMessage())));
        }
        if (!(root instanceof Map<?, ?> map)) {
            return new Result(Optional.empty(), Optional.empty(),
                    List.of(PATH + " must be a YAML mapping of keys (id, name, version, ...)"));
        }
        for (Object key : map.keySet()) {
            if (!KNOWN.contains(String.valueOf(key))) {
                problems.add(PATH + ": unknown key '" + key + "' (known: " + String.join(", ", KNOWN.stream().sorted().toList()) + ")");
            }
        }
        String id = text(map, "id", true, problems);
        Optional<String> idForReport = Optional.ofNullable(id);
        if (id != null && !ID.matcher(id).matches()) {
            problems.add(PATH + ": id must be 2 to 64 lower-case letters, digits, '-' or '_', starting with a "
                    + "letter, but was '" + id + "'");
        }
        String name = text(map, "name", true, problems);
        String version = text(map, "version", true, problems);
        String minSdk = text(map, "min_sdk_version", true, problems);
        String below = text(map, "sdk_version_below", false, problems);
        SdkVersion min = version(minSdk, "min_sdk_version", problems);
        SdkVersion max = version(below, "sdk_version_below", problems);
        if (min != null && max != null && min.compareTo(max) >= 0) {
            problems.add(PATH + ": sdk_version_below " + below + " must be greater than min_sdk_version " + minSdk);
        }
        String author = Objects.requireNonNullElse(text(map, "author", false, problems), "");
        String description = Objects.requireNonNullElse(text(map, "description", false, problems), "");
        Set<String> countries = new LinkedHashSet<>();
        for (String c : list(map, "countries", problems)) {
            if (COUNTRY.matcher(c).matches()) {
                countries.add(c);
            } else {
                problems.add(PATH + ": countries must hold ISO-3166 alpha-2 codes such as US, but holds '" + c + "'");
            }
        }
        Set<AssetClass> assets = new LinkedHashSet<>();
        for (String a : list(map, "asset_types", problems)) {
            try {
                assets.add(AssetClass.valueOf(a.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.add(PATH + ": asset_types holds '" + a + "', which is none of " + List.of(AssetClass.values()));
            }
        }
        AuthenticationType auth = AuthenticationType.FILE;
        String authText = text(map, "auth_type", false, problems);
        if (authText != null) {
            try {
                auth = AuthenticationType.valueOf(authText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(PATH + ": auth_type '" + authText + "' is none of " + List.of(AuthenticationType.values()));
            }
        }
        String homepage = text(map, "homepage", false, problems);
        if (homepage != null) {
            try {
                URI.create(homepage);
            } catch (IllegalArgumentException e) {
                problems.add(PATH + ": homepage is not a URI: '" + homepage + "'");
            }
        }
        if (!problems.isEmpty()) {
            return new Result(Optional.empty(), idForReport, problems);
        }
        return new Result(Optional.of(new PluginManifest(id, name, version, author, description, Set.copyOf(countries),
                Set.copyOf(assets), auth, Optional.ofNullable(homepage), minSdk, Optional.ofNullable(below))),
                idForReport, List.of());
    }

    /** @return one sentence per field where {@code metadata} disagrees with this manifest */
    List<String> disagreements(PluginMetadata m) {
        List<String> out = new ArrayList<>();
        compare(out, "id", id, m.id());
        compare(out, "name", name, m.name());
        compare(out, "version", version, m.version());
        compare(out, "author", author, m.author());
        compare(out, "description", description, m.description());
        compare(out, "countries", countries, m.supportedCountries());
        compare(out, "asset_types", assetTypes, m.assetTypes());
        compare(out, "auth_type", authType, m.authType());
        compare(out, "homepage", homepage.map(URI::create), m.homepage());
        compare(out, "min_sdk_version", minSdkVersion, m.minSdkVersion());
        return out;
    }

    private static void compare(List<String> out, String key, Object manifest, Object metadata) {
        if (!Objects.equals(manifest, metadata)) {
            out.add(PATH + " says " + key + " " + show(manifest) + " but metadata() says " + show(metadata)
                    + ": make them agree");
        }
    }

    private static String show(Object o) {
        if (o instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).sorted().toList().toString();
        }
        if (o instanceof Optional<?> opt) {
            return opt.map(v -> "'" + v + "'").orElse("(none)");
        }
        return "'" + o + "'";
    }

    private static SdkVersion version(String text, String field, List<String> problems) {
        if (text == null) {
            return null;
        }
        try {
            return SdkVersion.parse(field, text);
        } catch (IllegalArgumentException e) {
            problems.add(PATH + ": " + e.getMessage());
            return null;
        }
    }

    private static String text(Map<?, ?> map, String key, boolean required, List<String> problems) {
        Object v = map.get(key);
        if (v == null || String.valueOf(v).isBlank()) {
            if (required) {
                problems.add(PATH + " lacks the required key '" + key + "'");
            }
            return null;
        }
        if (v instanceof Map || v instanceof Collection) {
            problems.add(PATH + ": " + key + " must be a single value");
            return null;
        }
        return String.valueOf(v).trim();
    }

    private static List<String> list(Map<?, ?> map, String key, List<String> problems) {
        Object v = map.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(o -> String.valueOf(o).trim()).toList();
        }
        if (v instanceof Map) {
            problems.add(PATH + ": " + key + " must be a list");
            return List.of();
        }
        return List.of(String.valueOf(v).trim());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no detail)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
