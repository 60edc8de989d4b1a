package io.foliosync.examples.cli;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.FolioSyncVersion;
import org.apiguardian.api.API;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code foliosync} command line. */
@Command(name = "foliosync", mixinStandardHelpOptions = true, versionProvider = FolioSyncCli.Version.class,
        description = "Syncs holdings and transactions from brokers, exchanges and banks into one database.",
        subcommands = {DemoCommand.class, SyncCommand.class, StatusCommand.class, HoldingsCommand.class,
                TransactionsCommand.class, ValueCommand.class, ReconcileCommand.class, RepairCommand.class,
                RejectedCommand.class, TransfersCommand.class, PluginsCommand.class, ExchangesCommand.class,
                KeysCommand.class, SchwabCommand.class, ServeCommand.class, SinksCommand.class, ExportCommand.class,
                ConfigCommand.class, CommandLine.HelpCommand.class})
@API(status = INTERNAL, since = "0.1")
public final class FolioSyncCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of a failure.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** @return the exit code of running {@code args} */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** @return the command line, configured: case-insensitive enum values, one-line errors */
    public static CommandLine commandLine() {
        return new CommandLine(new FolioSyncCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new Errors());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"foliosync " + FolioSyncVersion.get()};
        }
    }
}
