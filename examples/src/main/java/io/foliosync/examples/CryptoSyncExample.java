package io.foliosync.examples;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Holding;
import io.foliosync.imports.FolioSync;
import io.foliosync.imports.ImportCounts;
import io.foliosync.imports.ImportListener;
import io.foliosync.imports.JobResult;
import io.foliosync.imports.SyncReport;
import java.nio.file.Path;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Syncs every crypto exchange account the configuration enables (each its own source), with progress, then
 * prints each account's result and its latest balances. Usage: {@code CryptoSyncExample [config/data_sources.yaml]}
 */
@API(status = INTERNAL, since = "0.1")
public final class CryptoSyncExample {
    public static void main(String[] args) {
        ImportListener progress = new ImportListener() {
            @Override
            public void pageFetched(String account, long job, int page, int records) {
                System.out.println(account + ": page " + page + " with " + records + " records");
            }

            @Override
            public void recordsStored(String account, long job, ImportCounts page, ImportCounts total) {
                System.out.println(account + ": " + total.imported() + " new, " + total.skipped() + " unchanged");
            }
        };
        Path config = Path.of(args.length > 0 ? args[0] : "config/data_sources.yaml");
        try (FolioSync folio = FolioSync.builder(config).listener(progress).build()) {
            if (!folio.sections().contains("crypto_exchanges")) {
                System.out.println("no crypto exchange account is enabled in " + config);
                return;
            }
            SyncReport report = folio.sync(List.of("crypto_exchanges")); // every account, concurrently
            for (JobResult r : report.results()) {
                System.out.println(r.sourceId() + ": " + r.status() + ", " + r.counts().imported() + " new"
                        + r.error().map(e -> " - " + e).orElse(""));
            }
            for (Holding h : folio.query().latestHoldings("crypto_exchanges")) {
                System.out.printf("%-10s %-6s %18s  %s%n", h.accountId(), h.symbol(), h.quantity().toPlainString(),
                        h.marketValue().map(v -> v.toPlainString() + " " + h.currency()).orElse("(no price)"));
            }
            System.exit(report.allSucceeded() ? 0 : 1);
        }
    }
}
