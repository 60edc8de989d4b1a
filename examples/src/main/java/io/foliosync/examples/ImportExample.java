package io.foliosync.examples;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.ibkr.IbkrConnector;
import io.foliosync.imports.FolioSync;
import io.foliosync.imports.ImportCounts;
import io.foliosync.imports.ImportListener;
import io.foliosync.imports.JobResult;
import io.foliosync.imports.config.DatabaseSettings;
import java.nio.file.Path;
import java.util.List;
import org.apiguardian.api.API;

/**
 * A full import into a database with a progress listener: an IBKR Flex statement downloaded by hand, into a
 * SQLite file, through FolioSync without a configuration file. Run it twice: the second run stores nothing new.
 * Usage: {@code ImportExample DB_FILE FLEX_XML}
 */
@API(status = INTERNAL, since = "0.1")
public final class ImportExample {
    public static void main(String[] args) {
        Path db = Path.of(args.length > 0 ? args[0] : "data/example.db");
        Path flex = Path.of(args.length > 1 ? args[1] : "statement.xml");
        ImportListener progress = new ImportListener() {
            @Override
            public void pageFetched(String source, long job, int page, int records) {
                System.out.println(source + ": page " + page + " with " + records + " records");
            }

            @Override
            public void recordsStored(String source, long job, ImportCounts page, ImportCounts total) {
                System.out.println(source + ": " + total.imported() + " new, " + total.skipped() + " unchanged, "
                        + total.rejected() + " quarantined so far");
            }
        };
        IbkrConnector ibkr = IbkrConnector.builder().clientPortal(false).flexFiles(List.of(flex))
                .dataDirectory(db.toAbsolutePath().getParent()).build();
        try (FolioSync folio = FolioSync.builder().database(DatabaseSettings.sqlite(db)).addConnector(ibkr)
                .listener(progress).build()) {
            for (JobResult result : folio.syncAll().results()) {
                System.out.println(result.sourceId() + " " + result.status() + ": " + result.counts().imported()
                        + " imported, " + result.counts().skipped() + " unchanged, " + result.holdings() + " holdings"
                        + result.error().map(e -> " - " + e).orElse(""));
            }
        }
    }
}
