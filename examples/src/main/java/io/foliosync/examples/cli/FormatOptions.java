package io.foliosync.examples.cli;

import picocli.CommandLine.Option;

/** How a listing command writes its rows: the {@code --format} and {@code --raw} options they share. */
final class FormatOptions {
    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--raw", description = "With --format csv: write text exactly as stored. By default a text "
            + "cell that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading '.")
    boolean raw;
}
