package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * What a bank plugin is. It must agree with the manifest the plugin jar carries.
 *
 * @param id                 a stable lower-case id, such as {@code chase}
 * @param name               a display name
 * @param version            the plugin's version (semantic versioning)
 * @param author             who maintains it
 * @param description        one sentence for a user
 * @param supportedCountries ISO-3166 alpha-2 country codes
 * @param assetTypes         the asset classes its accounts hold
 * @param authType           how its user authenticates
 * @param authFields         the credentials and settings it asks for
 * @param homepage           where to read more
 * @param minSdkVersion      the oldest FolioSync version it works with
 * @param dependencies       libraries it needs, for information
 */
@API(status = STABLE, since = "0.1")
public record PluginMetadata(String id, String name, String version, String author, String description,
                             Set<String> supportedCountries, Set<AssetClass> assetTypes,
                             AuthenticationType authType, List<AuthField> authFields, Optional<URI> homepage,
                             String minSdkVersion, List<String> dependencies) {
    private static final String R = "PluginMetadata";
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_-]{1,63}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    public PluginMetadata {
        Fields.requiredText(R, "id", id);
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(R + ".id must be lower case letters, digits, '-' or '_' "
                    + "(2 to 64, starting with a letter) but was '" + id + "'");
        }
        Fields.requiredText(R, "name", name);
        Fields.requiredText(R, "version", version);
        Fields.required(R, "author", author);
        Fields.required(R, "description", description);
        supportedCountries = Set.copyOf(Fields.required(R, "supportedCountries", supportedCountries));
        supportedCountries.stream().filter(c -> !COUNTRY.matcher(c).matches()).findFirst().ifPresent(c -> {
            throw new IllegalArgumentException(R + ".supportedCountries must hold ISO-3166 alpha-2 codes "
                    + "but holds '" + c + "'");
        });
        assetTypes = Set.copyOf(Fields.required(R, "assetTypes", assetTypes));
        Fields.required(R, "authType", authType);
        authFields = List.copyOf(Fields.required(R, "authFields", authFields));
        Fields.optional(R, "homepage", homepage);
        Fields.requiredText(R, "minSdkVersion", minSdkVersion);
        dependencies = List.copyOf(Fields.required(R, "dependencies", dependencies));
    }
}
