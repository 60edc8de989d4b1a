package io.foliosync.connectors.schwab.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.schwab.SchwabCsvFallback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/** Reads the configured CSV exports; every file is parsed completely before anything is returned. */
@API(status = INTERNAL, since = "0.1")
public final class CsvSource {
    private final SchwabCsvFallback settings;

    public CsvSource(SchwabCsvFallback settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public SchwabCsvFallback settings() {
        return settings;
    }

    /** @return a short description of the files, for messages */
    public String describe() {
        List<String> parts = new ArrayList<>();
        settings.directory().ifPresent(d -> parts.add("folder " + d));
        settings.positionsFile().ifPresent(p -> parts.add("positions " + p));
        settings.transactionsFile().ifPresent(t -> parts.add("transactions " + t));
        return "Schwab CSV exports (" + String.join(", ", parts) + ")";
    }

    /** @return whether any configured file or folder exists */
    public boolean available() {
        return settings.directory().map(Files::isDirectory).orElse(false)
                || settings.positionsFile().map(Files::exists).orElse(false)
                || settings.transactionsFile().map(Files::exists).orElse(false);
    }

    /** @return the holdings of the positions export: the configured file, else the newest one in the folder */
    public List<Holding> holdings() {
        String accountId = settings.accountId().orElse(null);
        try {
            List<Path> files = settings.positionsFile().isPresent()
                    ? fileOrFolder(settings.positionsFile().get(), "holdings_path", SchwabCsv.Kind.POSITIONS)
                    : filesOf(settings.directory(), "directory", SchwabCsv.Kind.POSITIONS);
            if (files.isEmpty()) {
                return List.of();
            }
            // Positions are a snapshot: the newest export wins.
            Path newest = files.stream().max(Comparator.comparing(CsvSource::modified)).orElseThrow();
            return SchwabCsv.parsePositions(newest, accountId);
        } catch (IOException e) {
            throw new DataFetchException(SchwabIds.SOURCE, describe(), "cannot read: " + e, e);
        }
    }

    /** @return the transactions of every export that match {@code query}, duplicates across files removed */
    public List<Transaction> transactions(TransactionQuery query) {
        String accountId = settings.accountId().orElse(null);
        try {
            List<Path> files = settings.transactionsFile().isPresent()
                    ? fileOrFolder(settings.transactionsFile().get(), "transactions_path",
                            SchwabCsv.Kind.TRANSACTIONS)
                    : filesOf(settings.directory(), "directory", SchwabCsv.Kind.TRANSACTIONS);
            // Parse every file first: a malformed one fails the import before anything is returned.
            Map<String, Transaction> unique = new LinkedHashMap<>();
            for (Path file : files) {
                for (Transaction t : SchwabCsv.parseTransactions(file, accountId)) {
                    unique.putIfAbsent(t.sourceId().orElseThrow(), t);
                }
            }
            List<Transaction> out = new ArrayList<>();
            for (Transaction t : unique.values()) {
                if (query.contains(t.date()) && query.accountId().map(a -> a.equals(t.accountId())).orElse(true)) {
                    out.add(t);
                }
            }
            out.sort(Comparator.comparing(Transaction::date));
            return out;
        } catch (IOException e) {
            throw new DataFetchException(SchwabIds.SOURCE, describe(), "cannot read: " + e, e);
        }
    }

    /** A path key names one export or, as in the original system's holdings_path/transactions_path, a folder. */
    private static List<Path> fileOrFolder(Path path, String key, SchwabCsv.Kind kind) throws IOException {
        return Files.isDirectory(path) ? filesOf(Optional.of(path), key, kind) : List.of(requireFile(path));
    }

    private static List<Path> filesOf(Optional<Path> folder, String key, SchwabCsv.Kind kind) throws IOException {
        if (folder.isEmpty()) {
            return List.of();
        }
        Path dir = folder.get();
        if (!Files.isDirectory(dir)) {
            throw new DataFetchException(SchwabIds.SOURCE, "csv_fallback." + key + ": " + dir
                    + " is not a folder; create it and download the exports from schwab.com into it");
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv"))
                    .sorted().toList()) {
                if (SchwabCsv.kind(p) == kind) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static Path requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataFetchException(SchwabIds.SOURCE, file + " does not exist; download the export from "
                    + "schwab.com (Accounts → Positions or History → Export) or fix csv_fallback in the configuration");
        }
        return file;
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
