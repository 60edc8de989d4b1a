package io.foliosync.examples.cli;

import io.foliosync.connectors.api.Holding;
import io.foliosync.imports.ImportCounts;
import io.foliosync.imports.SyncReport;
import io.foliosync.imports.internal.FolioSyncInternals;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The README's main job: a complete sync with no account and no network. Loopback servers inside this
 * process replay recorded Kraken, IBKR Client Portal and Yahoo Finance responses; the Schwab CSV exports, a
 * Chase QFX (through the Chase plugin) and an IBKR Flex statement are imported from files. The files written for
 * FolioSync agree with each other: every account reconciles or carries an explained difference, and the Chase
 * checking account's two transfers with the Schwab account are linked. Everything else
 * is the real code path, into the embedded SQLite database {@code data/foliosync-demo.db}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs a complete offline sync of recorded data into data/foliosync-demo.db and values it.")
final class DemoCommand implements Callable<Integer> {
    static final String[] FILES = {"ibkr/flex-activity.xml", "schwab/positions-sample.csv",
        "schwab/transactions-sample.csv", "chase/Chase5678_Activity_20250321.QFX", "data_sources.yaml"};

    @Option(names = "--dir", defaultValue = "data", paramLabel = "DIR",
            description = "Where the demo database and files go (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--fresh", description = "Delete the demo database and files first, and start over.")
    boolean fresh;

    @Option(names = "--serve", description = "Then open the web console on the demo database (as `serve` does), "
            + "with the replay servers kept running so its buttons work.")
    boolean serve;

    @picocli.CommandLine.Mixin
    ServeCommand.ServeOptions serveOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path db = dir.resolve("foliosync-demo.db");
        Path demoDir = dir.resolve("demo");
        if (fresh) {
            deleteDemo(db, demoDir);
        }
        boolean firstRun = !Files.exists(db);
        extractFiles(demoDir);

        // Like the real gateway's: self-signed, long-lived, trusted here only through its pinned fingerprint.
        HeldCertificate gatewayCert = new HeldCertificate.Builder().commonName("localhost")
                .addSubjectAlternativeName("localhost").duration(365, java.util.concurrent.TimeUnit.DAYS).build();
        HandshakeCertificates gatewayTls = new HandshakeCertificates.Builder().heldCertificate(gatewayCert).build();
        try (ReplayServer kraken = ReplayServer.start("kraken", null);
             ReplayServer ibkr = ReplayServer.start("ibkr", gatewayTls.sslSocketFactory());
             ReplayServer yahoo = ReplayServer.start("yahoo", null)) {
            Map<String, String> env = Map.of(
                    "DEMO_DB", db.toString(),
                    "DEMO_DIR", demoDir.toString(),
                    "DEMO_KRAKEN_URL", kraken.baseUrl("127.0.0.1"),
                    "DEMO_IBKR_URL", ibkr.baseUrl("localhost"),
                    "DEMO_IBKR_PIN", sha256(gatewayCert.certificate().getEncoded()),
                    "DEMO_YAHOO_URL", yahoo.baseUrl("127.0.0.1"),
                    "DEMO_PLUGINS", shippedPlugins().toString());
            CommonOptions options = new CommonOptions();
            options.config = demoDir.resolve("data_sources.yaml");

            out.println("FolioSync demo (" + (firstRun ? "first run: new database" : "database exists: re-run")
                    + ") -> " + db);
            out.println("  replaying recorded responses on loopback: Kraken " + env.get("DEMO_KRAKEN_URL")
                    + ", IBKR gateway " + env.get("DEMO_IBKR_URL") + " (self-signed, pinned), Yahoo "
                    + env.get("DEMO_YAHOO_URL"));
            out.println("  importing files: IBKR Flex statement, Schwab CSV exports, Chase QFX (chase plugin)");
            out.println();
            out.flush();

            try (Workspace ws = Workspace.open(options, true, env)) {
                io.foliosync.examples.console.Console.Builder console = io.foliosync.examples.console.Console.builder()
                        .host(serveOptions.bind).port(serveOptions.port);
                ProgressDisplay terminal = new ProgressDisplay(out, System.console() != null && !serve);
                io.foliosync.imports.ImportListener progress = serve
                        ? ServeCommand.both(terminal, console.listener()) : terminal;
                // entered once, kept encrypted in the database, read by the plugin when its sync authenticates
                FolioSyncInternals.credentials(ws.folio(progress)).save("chase",
                        Map.of("statement_dir", demoDir.resolve("chase").toString()));
                SyncReport report = SyncCommand.run(ws, List.of(), progress);
                SyncCommand.printSummary(out, report);
                SyncCommand.printWarnings(out, report);
                SyncCommand.printTransferLinks(out, report);
                RejectedCommand.printSyncRejections(out, ws.query(), report);
                out.println();
                out.println("Reconciliation: each account's reported quantities against its imported history "
                        + "(`foliosync reconcile` shows every asset):");
                List<io.foliosync.imports.reconcile.AccountReconciliation> checked =
                        ws.query().reconciliations(java.util.Optional.empty());
                checked.stream().filter(io.foliosync.imports.reconcile.AccountReconciliation::reconciles)
                        .forEach(a -> out.println("  " + ReconcileCommand.verdict(a)));
                checked.stream().filter(a -> !a.reconciles()).forEach(a -> ReconcileCommand.printGap(out, a,
                        ws.query().syncedBy(a.namespace(), a.accountId())));
                out.println(checked.stream().allMatch(io.foliosync.imports.reconcile.AccountReconciliation::reconciles)
                        ? "Every account reconciles or its difference is explained."
                        : "Some accounts do not reconcile (above): `foliosync reconcile` shows every asset.");
                out.println();
                out.println("Transfers between your own accounts (linked, each counted once; `foliosync transfers`):");
                TransfersCommand.print(out, ws.query().transfers(java.util.Optional.empty()), OutputFormat.TABLE,
                        false);
                ImportCounts totals = report.totals();
                out.println();
                out.println(firstRun || totals.imported() > 0
                        ? "Imported " + totals.imported() + " records (" + totals.rejected() + " quarantined). "
                                + "Run the demo again: the second run imports nothing new."
                        : "Nothing new: this run imported 0 records and left " + totals.skipped()
                                + " unchanged, as a re-import must.");
                out.println();
                out.println("Valued holdings (each at its freshest price: the exchange's or broker's own at the sync, or a "
                        + "newer quote from the replayed Yahoo Finance recordings):");
                List<Holding> holdings = HoldingsCommand.latestHoldings(ws.query());
                ValueCommand.print(out, ValueCommand.value(ws, holdings, java.util.Optional.of("USD")), OutputFormat.TABLE, false);
                out.println();
                out.println("Requests served by the replay servers: Kraken " + kraken.requestCount() + ", IBKR "
                        + ibkr.requestCount() + ", Yahoo " + yahoo.requestCount()
                        + ".");
                out.println("Explore the database: java -jar examples/target/foliosync.jar status|holdings|transactions --db "
                        + db + (serve ? "" : ", or open it in the web console: foliosync demo --serve"));
                out.flush();
                if (serve) {
                    out.println();
                    ServeCommand.run(console, ws.folio(), out);
                }
                return Errors.of(report);
            }
        }
    }

    /** @return the folder of plugin jars the build puts beside the command line's jar */
    static Path shippedPlugins() throws Exception {
        Path codeSource = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path plugins = codeSource.getParent().resolve("plugins");
        if (!Files.isDirectory(plugins)) {
            throw new io.foliosync.connectors.api.ConfigurationException(null, "the bank plugin jars are not at "
                    + plugins + ": build with ./mvnw -B -q install -DskipTests first");
        }
        return plugins;
    }

    private static void extractFiles(Path demoDir) throws IOException {
        for (String f : FILES) {
            Path target = demoDir.resolve(f);
            // the data directory (--dir) is the database's too: owner-only when this creates it
            io.foliosync.connectors.api.secrets.OwnerOnlyFiles.createDirectories(target.getParent());
            Files.write(target, ReplayServer.bytes(f));
        }
    }

    private static void deleteDemo(Path db, Path demoDir) throws IOException {
        for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
            Files.deleteIfExists(db.resolveSibling(db.getFileName() + suffix));
        }
        if (Files.exists(demoDir)) {
            try (Stream<Path> walk = Files.walk(demoDir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String sha256(byte[] der) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    }
}
