package io.foliosync.plugins;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Which plugin jars may be read at all: with the allow-list on, only jars whose SHA-256 digest the user listed; a jar
 * not on it is refused before anything in it is read further. Off, every jar is (class-loader isolation keeps
 * libraries apart; it is not a sandbox). Plugins on the class path are part of the application and not checked.
 */
final class PluginTrust {
    private final Optional<Set<String>> trustedDigests;

    /** @param trustedDigests the allow-list; null when it is off */
    PluginTrust(Collection<String> trustedDigests) {
        this.trustedDigests = trustedDigests == null ? Optional.empty() : Optional.of(Set.copyOf(trustedDigests));
    }

    /** @return why {@code jar}, whose digest is {@code sha256}, is refused; empty when it may be read */
    Optional<String> refusal(Path jar, String sha256) {
        if (trustedDigests.isPresent() && !trustedDigests.get().contains(sha256)) {
            return Optional.of("SHA-256 " + sha256 + " of " + jar.getFileName() + " is not on the plugin allow-list: "
                    + "check where the jar comes from, then add its digest to the allow-list");
        }
        return Optional.empty();
    }
}
