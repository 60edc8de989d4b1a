package io.foliosync.connectors.schwab;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the CSV exports downloaded from schwab.com are, for when the Trader API is disabled, not authorized
 * or down.
 *
 * @param enabled          whether to fall back to the files at all
 * @param positionsFile    one positions export ("Positions for account … as of …")
 * @param transactionsFile one transactions export ("Transactions for account …")
 * @param directory        a folder of exports, told apart by their content; every transactions export in it
 *                         is read (overlapping rows deduplicate) and the newest positions export is used
 * @param accountId        the account id to report for CSV records; empty to use {@code csv:<account label>}
 *                         from the file's preamble. Set it to the account hash to line CSV and API records up.
 */
public record SchwabCsvFallback(boolean enabled, Optional<Path> positionsFile, Optional<Path> transactionsFile,
                                Optional<Path> directory, Optional<String> accountId) {
    public SchwabCsvFallback {
        if (positionsFile == null || transactionsFile == null || directory == null || accountId == null) {
            throw new IllegalArgumentException("SchwabCsvFallback: use Optional.empty(), not null");
        }
        if (enabled && positionsFile.isEmpty() && transactionsFile.isEmpty() && directory.isEmpty()) {
            throw new IllegalArgumentException("SchwabCsvFallback: enabled without positions_file, "
                    + "transactions_file or directory");
        }
    }

    /** @return no fallback */
    public static SchwabCsvFallback disabled() {
        return new SchwabCsvFallback(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** @return a fallback reading every export in {@code directory} */
    public static SchwabCsvFallback directory(Path directory) {
        return new SchwabCsvFallback(true, Optional.empty(), Optional.empty(), Optional.of(directory),
                Optional.empty());
    }

    /** @return a fallback reading these two files; either may be null */
    public static SchwabCsvFallback files(Path positionsFile, Path transactionsFile) {
        return new SchwabCsvFallback(true, Optional.ofNullable(positionsFile), Optional.ofNullable(transactionsFile),
                Optional.empty(), Optional.empty());
    }

    /** @return this fallback reporting {@code id} as the account of every CSV record */
    public SchwabCsvFallback withAccountId(String id) {
        return new SchwabCsvFallback(enabled, positionsFile, transactionsFile, directory, Optional.of(id));
    }
}
