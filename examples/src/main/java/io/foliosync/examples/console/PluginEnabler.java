package io.foliosync.examples.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds a plugin id to {@code plugins.enabled} in the configuration file by editing that one line (or adding it),
 * so the user's comments and layout survive: a YAML library would rewrite the whole file without them.
 */
final class PluginEnabler {
    private static final Pattern FLOW = Pattern.compile("^(\\s+enabled:\\s*)\\[([^\\]]*)\\](.*)$");
    private static final Pattern BLOCK_KEY = Pattern.compile("^(\\s+)enabled:\\s*(#.*)?$");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final Path file;

    PluginEnabler(Path file) {
        this.file = file;
    }

    /** The file's layout is not one this class edits safely; the message says what to add by hand. */
    static final class CannotEditException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CannotEditException(String message) {
            super(message);
        }
    }

    /** @return whether the file changed (false when the id was already enabled) */
    synchronized boolean enable(String id) {
        if (!ID.matcher(id).matches()) {
            throw new CannotEditException("'" + id + "' is not a plugin id");
        }
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CannotEditException("cannot read " + file + ": " + e.getMessage());
        }
        int start = lines.indexOf("plugins:");
        if (start < 0) {
            lines.add("");
            lines.add("plugins:");
            lines.add("  enabled: [" + id + "]");
            write(lines);
            return true;
        }
        int end = start + 1;
        while (end < lines.size() && (lines.get(end).isBlank() || lines.get(end).startsWith(" ")
                || lines.get(end).startsWith("#"))) {
            end++;
        }
        for (int i = start + 1; i < end; i++) {
            Matcher flow = FLOW.matcher(lines.get(i));
            if (flow.matches()) {
                List<String> ids = new ArrayList<>();
                for (String s : flow.group(2).split(",")) {
                    if (!s.isBlank()) {
                        ids.add(s.trim());
                    }
                }
                if (ids.contains(id)) {
                    return false;
                }
                ids.add(id);
                lines.set(i, flow.group(1) + "[" + String.join(", ", ids) + "]" + flow.group(3));
                write(lines);
                return true;
            }
            Matcher block = BLOCK_KEY.matcher(lines.get(i));
            if (block.matches()) {
                int last = i;
                for (int j = i + 1; j < end && lines.get(j).trim().startsWith("- "); j++) {
                    if (lines.get(j).trim().substring(2).trim().equals(id)) {
                        return false;
                    }
                    last = j;
                }
                if (last == i) {
                    break; // "enabled:" with something this class does not read
                }
                String indent = lines.get(last).substring(0, lines.get(last).indexOf('-'));
                lines.add(last + 1, indent + "- " + id);
                write(lines);
                return true;
            }
            if (lines.get(i).trim().startsWith("enabled:")) {
                break;
            }
        }
        if (lines.subList(start + 1, end).stream().anyMatch(l -> l.trim().startsWith("enabled:"))) {
            throw new CannotEditException("cannot edit plugins.enabled in " + file.getFileName() + ": add " + id
                    + " to it by hand");
        }
        lines.add(start + 1, "  enabled: [" + id + "]");
        write(lines);
        return true;
    }

    private void write(List<String> lines) {
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".data_sources", ".tmp");
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CannotEditException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
