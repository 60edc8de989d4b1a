package io.foliosync.plugins;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Small readers for plugin jars: service files, digests, allow-lists. */
final class PluginJars {
    static final String SERVICES = "META-INF/services/io.foliosync.connectors.api.BankIntegrationPlugin";
    private static final Pattern CLASS_NAME =
            Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private PluginJars() {
    }

    /** @return the class names a service file lists, in order, comments and blank lines dropped */
    static List<String> providerNames(InputStream in, List<String> problems) throws IOException {
        List<String> names = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                int hash = line.indexOf('#');
                String name = (hash >= 0 ? line.substring(0, hash) : line).trim();
                if (name.isEmpty()) {
                    continue;
                }
                if (!CLASS_NAME.matcher(name).matches()) {
                    problems.add(SERVICES + " line " + n + ": '" + name + "' is not a class name");
                } else if (!names.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** @return the lower-case hex SHA-256 of a file */
    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Reads an allow-list in the format {@code sha256sum} writes: one digest per line, optionally followed by a
     * file name; {@code #} starts a comment.
     */
    static Set<String> readAllowList(Path file) throws IOException {
        Set<String> digests = new LinkedHashSet<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            int hash = line.indexOf('#');
            String s = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (s.isEmpty()) {
                continue;
            }
            String digest = s.split("\\s+", 2)[0];
            if (!SHA256.matcher(digest).matches()) {
                throw new IllegalArgumentException(file + " line " + n + ": expected a SHA-256 digest (64 hex "
                        + "digits, as sha256sum prints), found '" + digest + "'");
            }
            digests.add(digest.toLowerCase(Locale.ROOT));
        }
        return digests;
    }

    static String normalizeDigest(String digest) {
        if (digest == null || !SHA256.matcher(digest.trim()).matches()) {
            throw new IllegalArgumentException("a trusted digest is a SHA-256 in hex (64 digits), not '" + digest + "'");
        }
        return digest.trim().toLowerCase(Locale.ROOT);
    }
}
