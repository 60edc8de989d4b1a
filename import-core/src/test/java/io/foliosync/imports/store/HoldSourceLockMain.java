package io.foliosync.imports.store;

import io.foliosync.imports.config.DatabaseSettings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A second process for {@link SourceLockTest}: opens the SQLite file, claims a source, says whether it got it
 * ({@code LOCKED} or {@code BUSY}), then holds it until its standard input closes or it is killed.
 */
public final class HoldSourceLockMain {
    private HoldSourceLockMain() {
    }

    public static void main(String[] args) throws Exception {
        try (PortfolioStore store = PortfolioStore.open(DatabaseSettings.sqlite(Path.of(args[0])))) {
            Optional<PortfolioStore.SourceLock> lock = store.tryLockSource(args[1]);
            System.out.println(lock.isPresent() ? "LOCKED" : "BUSY");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the parent closes our input (or kills us)
            }
            lock.ifPresent(PortfolioStore.SourceLock::close);
        }
    }
}
