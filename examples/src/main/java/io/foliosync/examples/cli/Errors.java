package io.foliosync.examples.cli;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.FolioSyncException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns any failure into one line a user can act on; {@code --verbose} adds the stack trace. The exit code follows
 * the error's type: {@link FolioSyncException}s are written never to hold secrets, so their messages are safe to print.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
    /** A source failed (the others still finished), or a command could not do its work. */
    static final int FAILED = 1;
    /** The configuration (or the command line) is wrong: nothing was synced. */
    static final int CONFIGURATION = 2;
    /**
     * Every source synced, but a validation rule rejected records (kept in quarantine, listed by
     * {@code foliosync rejected}): imported, but not everything. A failure (1) wins over it.
     */
    static final int REJECTED = 3;
    /**
     * The master key cannot read the stored credentials: its file is missing while the database holds credentials
     * (FolioSync makes no new key then), or it is another key than they were stored with. Nothing was changed;
     * restore the key, or {@code foliosync keys reset}.
     */
    static final int MASTER_KEY = 4;
    /**
     * Every source synced and imported everything it read, but a sink (Ghostfolio, …) failed or refused records:
     * the data is in the database, a destination lacks part of it until a later sync delivers it. A failure (1)
     * and rejected records (3) win over it: they say the database itself lacks data.
     */
    static final int SINK = 5;

    /**
     * @return the exit code of a sync: 0, {@link #FAILED} when a source failed, else {@link #REJECTED} when records
     *         were rejected, else {@link #SINK} when a sink failed or refused records
     */
    static int of(io.foliosync.imports.SyncReport report) {
        if (report.anyFailed()) {
            return FAILED;
        }
        if (report.partiallyFailed()) {
            return REJECTED;
        }
        return report.failedSinks().isEmpty() ? 0 : SINK;
    }

    /** Prints {@code heading} and one line per problem; @return {@code exitCode}, for the command to return */
    static int problems(PrintWriter to, String heading, java.util.List<?> problems, int exitCode) {
        to.println(heading);
        problems.forEach(p -> to.println("  - " + p));
        to.flush();
        return exitCode;
    }

    /**
     * @return {@code message} on one line, for a terminal: a message can quote what a statement or a server sent,
     *         so control characters left after joining the lines are shown escaped ({@link OutputFormat#terminalSafe})
     */
    static String oneLine(String message) {
        return message == null ? "" : OutputFormat.terminalSafe(message.replaceAll("\\s*\\R\\s*", " ").trim());
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean verbose = parsed.hasMatchedOption("--verbose")
                || (parsed.subcommand() != null && hasVerbose(parsed));
        err.println("foliosync: " + describe(e));
        if (verbose) {
            e.printStackTrace(err);
        } else {
            err.println("(run with --verbose for details)");
        }
        err.flush();
        if (e instanceof io.foliosync.connectors.api.secrets.SecretDecryptionException) {
            return MASTER_KEY;
        }
        return e instanceof ConfigurationException ? CONFIGURATION : FAILED;
    }

    private static boolean hasVerbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable e) {
        if (e instanceof FolioSyncException) {
            return oneLine(e.getMessage());
        }
        if (e instanceof java.io.UncheckedIOException u && u.getCause() != null) {
            return oneLine(u.getMessage() + ": " + u.getCause().getMessage());
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return oneLine(root == e ? msg : msg + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")");
    }
}
