package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * The answer of the provider chain: the value and the provider that served it, or nothing, with every
 * provider that was asked before and why it handed over.
 *
 * @param value    the answer; empty when no provider had it (missing stays missing, never zero)
 * @param provider the provider that served {@code value}; empty exactly when {@code value} is
 * @param attempts the providers that were asked and did not answer, in the order asked
 * @param <T>      the answer's type
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Lookup<T>(Optional<T> value, Optional<String> provider, List<Attempt> attempts) {
    public Lookup {
        Objects.requireNonNull(value, "Lookup.value");
        Objects.requireNonNull(provider, "Lookup.provider");
        attempts = List.copyOf(attempts);
        if (value.isPresent() != provider.isPresent()) {
            throw new IllegalArgumentException("Lookup.provider must be present exactly when value is");
        }
    }

    public static <T> Lookup<T> found(T value, String provider, List<Attempt> attempts) {
        return new Lookup<>(Optional.of(value), Optional.of(provider), attempts);
    }

    public static <T> Lookup<T> missing(List<Attempt> attempts) {
        return new Lookup<>(Optional.empty(), Optional.empty(), attempts);
    }

    public boolean found() {
        return value.isPresent();
    }

    public <R> Lookup<R> map(Function<? super T, ? extends R> f) {
        return new Lookup<>(value.map(f), provider, attempts);
    }

    /** @return why nothing was found, for messages: each provider asked and its outcome */
    public String explain() {
        if (attempts.isEmpty()) {
            return "no configured provider offers this";
        }
        return String.join("; ", attempts.stream().map(Attempt::toString).toList());
    }
}
