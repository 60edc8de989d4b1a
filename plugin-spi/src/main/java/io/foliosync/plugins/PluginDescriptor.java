package io.foliosync.plugins;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthenticationType;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * A plugin as its manifest ({@code META-INF/foliosync/plugin.yaml}) describes it, found without running any of
 * its code.
 *
 * @param id              the plugin id, such as {@code chase}
 * @param name            a display name
 * @param version         the plugin's own version
 * @param author          who maintains it; may be empty
 * @param description     one sentence for a user; may be empty
 * @param countries       ISO-3166 alpha-2 codes of the countries it serves
 * @param assetTypes      the asset classes its accounts hold
 * @param authType        how its user authenticates
 * @param minSdkVersion   the oldest FolioSync version it supports (inclusive)
 * @param sdkVersionBelow the first FolioSync version it no longer supports, when it names one (exclusive)
 * @param providerClass   the class its {@code META-INF/services} entry names
 * @param location        the jar file, or the class-path directory, holding it
 * @param origin          class path or plugin directory
 * @param sha256          the jar's SHA-256 digest (lower-case hex), for a jar
 * @param loaded          whether an instance is loaded in the manager that reported this descriptor
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record PluginDescriptor(String id, String name, String version, String author, String description,
                               Set<String> countries, Set<AssetClass> assetTypes, AuthenticationType authType,
                               String minSdkVersion, Optional<String> sdkVersionBelow, String providerClass,
                               Path location, PluginOrigin origin, Optional<String> sha256, boolean loaded) {
    public PluginDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(description, "description");
        countries = Set.copyOf(countries);
        assetTypes = Set.copyOf(assetTypes);
        Objects.requireNonNull(authType, "authType");
        Objects.requireNonNull(minSdkVersion, "minSdkVersion");
        Objects.requireNonNull(sdkVersionBelow, "sdkVersionBelow");
        Objects.requireNonNull(providerClass, "providerClass");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(sha256, "sha256");
    }

    PluginDescriptor withLoaded(boolean isLoaded) {
        return new PluginDescriptor(id, name, version, author, description, countries, assetTypes, authType,
                minSdkVersion, sdkVersionBelow, providerClass, location, origin, sha256, isLoaded);
    }
}
