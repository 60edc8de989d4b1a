package io.foliosync.connectors.schwab;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.Path;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Where the CSV exports downloaded from schwab.com are: the settings of the {@link SchwabCsvConnector} source
 * ({@code schwab-csv}). Named after the {@code csv_fallback} configuration key, kept so existing
 * configurations keep working; the files are read as a source of their own, next to the Trader API, not only
 * when the API fails.
 *
 * @param enabled          whether to read the files at all
 * @param positionsFile    one positions export ("Positions for account … as of …"), or a folder whose newest
 *                         positions export is used ({@code positions_file} or {@code holdings_path})
 * @param transactionsFile one transactions export ("Transactions for account …"), or a folder whose every
 *                         transactions export is read ({@code transactions_file} or {@code transactions_path})
 * @param directory        a folder of exports, told apart by their content; every transactions export in it
 *                         is read (overlapping rows deduplicate) and the newest positions export is used. An
 *                         explicit positions or transactions path takes precedence for its kind.
 * @param accountId        the account id to report for CSV records; empty to use {@code csv:<account label>}
 *                         from the file's preamble. Set it to the account hash to line CSV and API records up.
 */
@API(status = INTERNAL, since = "0.1")
public record SchwabCsvFallback(boolean enabled, Optional<Path> positionsFile, Optional<Path> transactionsFile,
                                Optional<Path> directory, Optional<String> accountId) {
    public SchwabCsvFallback {
        if (positionsFile == null || transactionsFile == null || directory == null || accountId == null) {
            throw new IllegalArgumentException("SchwabCsvFallback: use Optional.empty(), not null");
        }
        if (enabled && positionsFile.isEmpty() && transactionsFile.isEmpty() && directory.isEmpty()) {
            throw new IllegalArgumentException("SchwabCsvFallback: enabled without a positions path, "
                    + "a transactions path or a directory");
        }
    }

    /** @return no CSV source */
    public static SchwabCsvFallback disabled() {
        return new SchwabCsvFallback(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** @return settings reading every export in {@code directory} */
    public static SchwabCsvFallback directory(Path directory) {
        return new SchwabCsvFallback(true, Optional.empty(), Optional.empty(), Optional.of(directory),
                Optional.empty());
    }

    /** @return settings reading these two files (or folders); either may be null */
    public static SchwabCsvFallback files(Path positionsFile, Path transactionsFile) {
        return new SchwabCsvFallback(true, Optional.ofNullable(positionsFile), Optional.ofNullable(transactionsFile),
                Optional.empty(), Optional.empty());
    }

    /** @return these settings reporting {@code id} as the account of every CSV record */
    public SchwabCsvFallback withAccountId(String id) {
        return new SchwabCsvFallback(enabled, positionsFile, transactionsFile, directory, Optional.of(id));
    }
}
