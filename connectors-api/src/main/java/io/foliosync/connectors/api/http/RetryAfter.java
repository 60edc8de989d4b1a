package io.foliosync.connectors.api.http;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import okhttp3.Response;
import org.apiguardian.api.API;

/** Reads a {@code Retry-After} header: delay seconds or an HTTP date (RFC 9110). */
@API(status = INTERNAL, since = "0.1")
public final class RetryAfter {
    private RetryAfter() {
    }

    /** @return the wait the response asks for; empty when it has no valid header */
    public static Optional<Duration> of(Response response, Clock clock) {
        return parse(response.header("Retry-After"), clock);
    }

    /** @return the wait {@code header} asks for; empty when absent or invalid; never negative */
    public static Optional<Duration> parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
