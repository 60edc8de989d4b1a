package io.foliosync.examples.cli;

import java.time.LocalDate;
import picocli.CommandLine.Option;

/** Filters and output format of the listing commands. */
final class QueryOptions {
    @Option(names = "--source", paramLabel = "ID", description = "Only this source: an id `sync --source` takes "
            + "(kraken, ibkr-U1234567, schwab-csv) or a stored source name (crypto_exchanges).")
    String source;

    @Option(names = "--account", paramLabel = "ID", description = "Only this account.")
    String account;

    @Option(names = "--symbol", paramLabel = "SYMBOL", description = "Only this symbol.")
    String symbol;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "From this trade date (inclusive).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Up to this trade date (inclusive).")
    LocalDate to;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--raw", description = "With --format csv: write text exactly as stored. By default a text "
            + "cell that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading '.")
    boolean raw;

    boolean matches(String sourceName, String accountId, String sym, LocalDate date) {
        return (source == null || io.foliosync.examples.sources.Sources.belongsTo(sourceName, accountId, source))
                && (account == null || account.equals(accountId))
                && (symbol == null || symbol.equalsIgnoreCase(sym))
                && (from == null || date == null || !date.isBefore(from))
                && (to == null || date == null || !date.isAfter(to));
    }
}
