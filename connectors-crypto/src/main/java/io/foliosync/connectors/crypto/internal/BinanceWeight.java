package io.foliosync.connectors.crypto.internal;

import io.foliosync.connectors.api.http.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binance's request-weight budget for {@code /api/v3} calls: the weight used in the current minute as the server
 * last reported it ({@code X-MBX-USED-WEIGHT-1M}) plus what was spent since. A call that would pass the budget
 * waits for the next minute. After a 429 calls wait out its {@code Retry-After}; after a 418 (IP ban) they fail
 * at once with {@link IpBanException} until the ban is over, without touching the server.
 */
final class BinanceWeight {
    private static final Logger LOG = LoggerFactory.getLogger(BinanceWeight.class);
    private final String source;
    private final int budget;
    private final Clock clock;
    private final Sleeper sleeper;
    private long minute = Long.MIN_VALUE;
    private int used;
    private Instant coolUntil = Instant.MIN;
    private Instant bannedUntil = Instant.MIN;

    BinanceWeight(String source, int budget, Clock clock, Sleeper sleeper) {
        this.source = source;
        this.budget = budget;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Takes {@code cost} from the budget, waiting when needed. */
    synchronized void acquire(String endpoint, int cost) {
        Instant now = clock.instant();
        if (now.isBefore(bannedUntil)) {
            Duration left = Duration.between(now, bannedUntil);
            throw new IpBanException(source, endpoint + ": not sent: Binance banned this IP address (HTTP 418) for "
                    + left.toSeconds() + " s more; calls resume after that", Optional.of(left));
        }
        if (now.isBefore(coolUntil)) {
            pause(Duration.between(now, coolUntil), "after HTTP 429");
            coolUntil = Instant.MIN;
        }
        long m = Math.floorDiv(now.getEpochSecond(), 60);
        if (m != minute) {
            minute = m;
            used = 0;
        }
        if (used + cost > budget) {
            Duration wait = Duration.ofSeconds((m + 1) * 60 - now.getEpochSecond());
            pause(wait, "request weight " + used + " + " + cost + " would pass the budget of " + budget);
            minute = m + 1;
            used = 0;
        }
        used += cost;
    }

    /** Takes the server's count of the weight used this minute. */
    synchronized void observe(int serverUsed) {
        long m = Math.floorDiv(clock.instant().getEpochSecond(), 60);
        if (m >= minute) {
            minute = m;
            used = serverUsed;
        }
    }

    synchronized void cooldown(Duration d) {
        coolUntil = clock.instant().plus(d);
    }

    synchronized void ban(Duration d) {
        bannedUntil = clock.instant().plus(d);
    }

    synchronized int used() {
        return used;
    }

    private void pause(Duration wait, String why) {
        LOG.info("{}: waiting {} ms: {}", source, wait.toMillis(), why);
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.foliosync.connectors.api.RateLimitException(source, "interrupted while waiting: " + why,
                    Optional.of(wait));
        }
    }
}
