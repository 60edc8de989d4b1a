package io.foliosync.connectors.api.http;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import org.apiguardian.api.API;

/** Waits; replaced in tests by one that advances a fake clock. */
@FunctionalInterface
@API(status = INTERNAL, since = "0.1")
public interface Sleeper {
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis(), (int) (duration.toNanosPart() % 1_000_000));

    void sleep(Duration duration) throws InterruptedException;
}
