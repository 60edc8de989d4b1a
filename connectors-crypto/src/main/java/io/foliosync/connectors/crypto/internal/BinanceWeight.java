package io.foliosync.connectors.crypto.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Binance's IP ban: after a 418 every call fails at once with {@link IpBanException} until the ban is over,
 * without touching the server. Shared per IP address (the ban is the address's). The request-weight budget itself
 * is the account's {@link io.foliosync.connectors.crypto.pacing.Pacer} ({@code api-weight}, per IP).
 */
final class BinanceWeight {
    private final Clock clock;
    private Instant bannedUntil = Instant.MIN;

    BinanceWeight(Clock clock) {
        this.clock = clock;
    }

    /** Fails when the IP is banned. */
    synchronized void checkBan(String source, String endpoint) {
        Instant now = clock.instant();
        if (now.isBefore(bannedUntil)) {
            Duration left = Duration.between(now, bannedUntil);
            throw new IpBanException(source, endpoint + ": not sent: Binance banned this IP address (HTTP 418) for "
                    + left.toSeconds() + " s more; calls resume after that", Optional.of(left));
        }
    }

    synchronized void ban(Duration d) {
        bannedUntil = clock.instant().plus(d);
    }
}
