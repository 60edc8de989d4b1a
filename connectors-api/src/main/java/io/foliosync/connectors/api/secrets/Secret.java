package io.foliosync.connectors.api.secrets;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A secret value (API secret, password, token) that never shows itself in {@code toString()}, so it cannot
 * reach a log or an exception message by accident. Call {@link #reveal()} only where the value is used.
 */
@API(status = INTERNAL, since = "0.1")
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** @throws NullPointerException when {@code value} is null */
    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "secret value"));
    }

    /** @return the secret itself */
    public String reveal() {
        return value;
    }

    public boolean isBlank() {
        return value.isBlank();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && java.security.MessageDigest.isEqual(
                s.value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0; // equal secrets must hash alike, and a hash of the value would leak a little of it
    }

    @Override
    public String toString() {
        return "Secret[****]";
    }
}
