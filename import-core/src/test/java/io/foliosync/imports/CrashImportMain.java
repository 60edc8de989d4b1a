package io.foliosync.imports;

import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.store.PortfolioStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The child process of {@link CrashConsistencyTest}: imports a slow synthetic source and prints
 * {@code stored <page>} after each committed page, so the parent can kill it mid-import.
 *
 * <p>Arguments: {@code sqlite <file>} or {@code postgres <jdbc url> <schema>}, then the record count.
 */
public final class CrashImportMain {
    private CrashImportMain() {
    }

    public static void main(String[] args) {
        DatabaseSettings settings = args[0].equals("sqlite") ? DatabaseSettings.sqlite(Path.of(args[1]))
                : DatabaseSettings.postgres(args[1], TestDatabases.PG_USER, Optional.empty()).withSchema(args[2]);
        int total = Integer.parseInt(args[args.length - 1]);
        PortfolioStore store = PortfolioStore.open(settings);
        ImportOrchestrator sync = ImportOrchestrator.builder(store)
                .addConnector(new SyntheticConnector("synthetic", total, 100, Duration.ofMillis(40)))
                .listener(new ImportListener() {
                    @Override
                    public void recordsStored(String sourceId, long jobId, ImportCounts page, ImportCounts sum) {
                        System.out.println("stored " + sum.total());
                        System.out.flush();
                    }
                })
                .build();
        sync.sync("synthetic");
        System.out.println("done");
        System.exit(0);
    }
}
