package io.foliosync.connectors.api.http;

import java.time.Duration;

/** Waits; replaced in tests by one that advances a fake clock. */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis(), (int) (duration.toNanosPart() % 1_000_000));

    void sleep(Duration duration) throws InterruptedException;
}
