package io.foliosync.connectors.api.config;

import static org.apiguardian.api.API.Status.STABLE;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.http.Redaction;
import io.foliosync.connectors.api.secrets.Secret;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * A read-only view of one section of {@code data_sources.yaml} (already interpolated), such as
 * {@code crypto_exchanges.kraken}. Typed getters read optional values; {@link #require()} collects every
 * missing or invalid key so one {@link ConfigurationException} names them all. {@code toString()} masks
 * every sensitive value.
 */
@API(status = STABLE, since = "0.1")
public final class ConfigSection {
    private final String path;
    private final Map<String, Object> values;
    private final Map<String, List<String>> unresolved;

    /**
     * @param path   the section's key path, such as {@code crypto_exchanges.kraken}; empty for the root
     * @param values the section's keys and values (nested maps, lists, strings, numbers, booleans)
     */
    public ConfigSection(String path, Map<String, ?> values) {
        this(path, values, Map.of());
    }

    /**
     * @param unresolved by full key path, the {@code ${VAR}}s of that value that were set nowhere (interpolated as
     *                   empty): a key read as required then says which variable to set. A variable that is unset
     *                   is no error by itself: a disabled source, or a key its mode does not use, never reads it.
     */
    public ConfigSection(String path, Map<String, ?> values, Map<String, List<String>> unresolved) {
        this.path = path == null ? "" : path;
        Map<String, Object> copy = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((k, v) -> copy.put(String.valueOf(k), v));
        }
        this.values = java.util.Collections.unmodifiableMap(copy);
        this.unresolved = Map.copyOf(unresolved);
    }

    /**
     * @return the environment variables {@code key}'s value references that are set nowhere (neither in the
     *         environment nor in {@code .env}); empty when it references none or all are set
     */
    public List<String> unsetVariables(String key) {
        return unresolved.getOrDefault(keyPath(key), List.of());
    }

    public static ConfigSection empty(String path) {
        return new ConfigSection(path, Map.of());
    }

    public String path() {
        return path;
    }

    /** @return the full key path of {@code key}, for messages */
    public String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public Set<String> keys() {
        return values.keySet();
    }

    public boolean has(String key) {
        Object v = values.get(key);
        return v != null && !(v instanceof String s && s.isBlank());
    }

    /** @return the raw values, for a section whose keys are ids (exchange ids, plugin ids) */
    public Map<String, Object> asMap() {
        return values;
    }

    public Optional<String> string(String key) {
        Object v = values.get(key);
        if (v == null || v instanceof Map || v instanceof Collection) {
            return Optional.empty();
        }
        String s = String.valueOf(v).trim();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    public String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    public Optional<Secret> secret(String key) {
        return string(key).map(Secret::of);
    }

    /** @throws ConfigurationException when the value is not true/false */
    public boolean bool(String key, boolean defaultValue) {
        Optional<String> s = string(key);
        if (s.isEmpty()) {
            return defaultValue;
        }
        return switch (s.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigurationException(null, keyPath(key) + ": expected true or false but was '"
                    + s.get() + "'");
        };
    }

    /** @throws ConfigurationException when the value is not a whole number */
    public int integer(String key, int defaultValue) {
        Optional<String> s = string(key);
        if (s.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(s.get());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(null, keyPath(key) + ": expected a whole number but was '"
                    + s.get() + "'");
        }
    }

    /** @throws ConfigurationException when the value is not a decimal number */
    public Optional<BigDecimal> decimal(String key) {
        Optional<String> s = string(key);
        try {
            return s.map(BigDecimal::new);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(null, keyPath(key) + ": expected a decimal number but was '"
                    + s.get() + "'");
        }
    }

    /**
     * Reads a duration written as a number of seconds ({@code 300}), with a unit ({@code 90s}, {@code 5m},
     * {@code 2h}, {@code 7d}) or in ISO-8601 ({@code PT5M}).
     *
     * @throws ConfigurationException when the value is none of these
     */
    public Optional<Duration> duration(String key) {
        Optional<String> s = string(key);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        String v = s.get().trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Optional.of(Duration.parse(v.toUpperCase(java.util.Locale.ROOT)));
            }
            char unit = v.charAt(v.length() - 1);
            if (Character.isDigit(unit)) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1).trim());
            return Optional.of(switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException(v);
            });
        } catch (RuntimeException e) {
            throw new ConfigurationException(null, keyPath(key) + ": expected a duration such as 300, 5m or PT5M "
                    + "but was '" + s.get() + "'");
        }
    }

    /** @return a list value, or a single value as a one-element list; empty when absent */
    public List<String> strings(String key) {
        Object v = values.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof Collection<?> c) {
            return c.stream().filter(java.util.Objects::nonNull).map(String::valueOf).map(String::trim).toList();
        }
        String s = String.valueOf(v).trim();
        return s.isEmpty() ? List.of() : List.of(s);
    }

    /** @return the nested section, or an empty one when absent */
    @SuppressWarnings("unchecked")
    public ConfigSection section(String key) {
        Object v = values.get(key);
        return v instanceof Map<?, ?> m ? new ConfigSection(keyPath(key), (Map<String, ?>) m, unresolved)
                : new ConfigSection(keyPath(key), Map.of(), unresolved);
    }

    /** @return a collector of missing and invalid keys, thrown together by {@link Requirements#validate()} */
    public Requirements require() {
        return new Requirements();
    }

    @Override
    public String toString() {
        return path + masked(values);
    }

    private static String masked(Map<String, Object> map) {
        StringBuilder sb = new StringBuilder("{");
        map.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(k).append('=');
            if (v instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, Object> n = (Map<String, Object>) nested;
                sb.append(masked(n));
            } else {
                sb.append(Redaction.isSensitive(k) && v != null ? Redaction.MASK : v);
            }
        });
        return sb.append('}').toString();
    }

    /** Collects problems with a section, to report them all at once. */
    public final class Requirements {
        private final List<String> problems = new ArrayList<>();

        private Requirements() {
        }

        /** @return the value, or null after recording it as missing */
        public String string(String key) {
            Optional<String> v = ConfigSection.this.string(key);
            if (v.isEmpty()) {
                problems.add(keyPath(key) + ": missing" + unsetNote(key));
            }
            return v.orElse(null);
        }

        private String unsetNote(String key) {
            List<String> vars = unsetVariables(key);
            return vars.isEmpty() ? "" : ": " + String.join(", ", vars.stream().map(n -> "${" + n + "}").toList())
                    + " is not set in the environment or .env";
        }

        /** @return the secret, or null after recording it as missing */
        public Secret secret(String key) {
            Optional<Secret> v = ConfigSection.this.secret(key);
            if (v.isEmpty()) {
                String note = unsetNote(key);
                problems.add(keyPath(key) + ": missing" + (note.isEmpty() ? " (a secret: set it in the environment "
                        + "or .env, referenced as ${VAR})" : note));
            }
            return v.orElse(null);
        }

        /** Records {@code message} for {@code key} unless {@code ok}. */
        public Requirements check(boolean ok, String key, String message) {
            if (!ok) {
                problems.add(keyPath(key) + ": " + message);
            }
            return this;
        }

        /** Runs a typed getter, recording its {@link ConfigurationException} instead of throwing it. */
        public <T> Optional<T> attempt(java.util.function.Supplier<T> getter) {
            try {
                return Optional.ofNullable(getter.get());
            } catch (ConfigurationException e) {
                problems.addAll(e.problems());
                return Optional.empty();
            }
        }

        public List<String> problems() {
            return List.copyOf(problems);
        }

        /** @throws ConfigurationException naming every problem recorded, when there is any */
        public void validate() {
            if (!problems.isEmpty()) {
                throw new ConfigurationException(null, problems);
            }
        }
    }
}
