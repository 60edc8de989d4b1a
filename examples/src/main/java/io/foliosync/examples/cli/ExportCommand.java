package io.foliosync.examples.cli;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.imports.export.ExportFilter;
import io.foliosync.imports.export.Exports;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Writes the stored history to files other tools import ({@code docs/sinks.md#exports}). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes the stored history to files: pp (Portfolio Performance's CSV import, two files per "
                + "account), csv, json or ofx.")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Parameters(index = "0", paramLabel = "FORMAT", description = "pp, csv, json or ofx.")
    String format;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder the files go to.")
    Path out;

    @Option(names = "--source", paramLabel = "NAME", description = "Only this namespace (ibkr, crypto_exchanges, "
            + "schwab, a plugin id).")
    String source;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "The first trade date exported.")
    String from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "The last trade date exported.")
    String to;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ExportFilter filter;
        try {
            filter = new ExportFilter(Optional.ofNullable(source), date("--from", from), date("--to", to));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(null, e.getMessage());
        }
        try (Workspace ws = Workspace.open(options, false, System.getenv())) {
            Exports exports = Exports.of(ws.jdbcStore());
            List<Path> files = switch (format) {
                case "pp" -> exports.portfolioPerformance(out, filter);
                case "csv" -> List.of(exports.csv(out, filter));
                case "json" -> List.of(exports.json(out, filter));
                case "ofx" -> List.of(exports.ofx(out, filter));
                default -> throw new ConfigurationException(null, "export FORMAT: pp, csv, json or ofx, not '"
                        + format + "'");
            };
            PrintWriter w = spec.commandLine().getOut();
            if (files.isEmpty()) {
                w.println("nothing to export: no stored record matches");
            }
            files.forEach(f -> w.println("wrote " + f));
            w.flush();
            return 0;
        }
    }

    private static Optional<LocalDate> date(String option, String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(text));
        } catch (DateTimeParseException e) {
            throw new ConfigurationException(null, option + ": expected YYYY-MM-DD but was '" + text + "'");
        }
    }
}
