package io.foliosync.examples.cli;

import io.foliosync.examples.console.Console;
import io.foliosync.imports.FolioSync;
import io.foliosync.imports.ImportCounts;
import io.foliosync.imports.ImportListener;
import io.foliosync.imports.JobResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The web console over the same FolioSync the other commands use. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Opens the web console (accounts, brokers, plugins, jobs, holdings, transactions) on this machine.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    ServeOptions serve;

    @Spec
    CommandSpec spec;

    /** Where the console listens; shared with {@code demo --serve}. */
    static final class ServeOptions {
        @Option(names = "--port", defaultValue = "5000", description = "The port (default: ${DEFAULT-VALUE}; 0 for any free one).")
        int port;

        @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS", description = "The address to "
                + "listen on (default: ${DEFAULT-VALUE}, this machine only). Any other address exposes the console "
                + "to the network, still behind the access token.")
        String bind;
    }

    @Override
    public Integer call() {
        try (Workspace ws = Workspace.open(options, true, System.getenv())) {
            Console.Builder console = Console.builder().host(serve.bind).port(serve.port);
            FolioSync folio = ws.folio(both(new ProgressDisplay(spec.commandLine().getOut(), false),
                    console.listener()));
            run(console, folio, spec.commandLine().getOut());
            return 0;
        }
    }

    /** Starts the console, says where and how it is protected, and serves until the process is stopped. */
    static void run(Console.Builder builder, FolioSync folio, PrintWriter out) {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                closed.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "console-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Console console = builder.start(folio)) {
            out.println("FolioSync console on " + console.baseUrl() + " (Ctrl-C stops it)");
            if (!console.loopbackOnly()) {
                out.println("  WARNING: listening on " + console.baseUrl().getHost() + ", not only this machine: anyone "
                        + "who can reach it and has the token below can use the console. Every request needs the "
                        + "token; prefer --bind 127.0.0.1 with an SSH tunnel.");
            }
            out.println("  open: " + console.startUrl());
            out.println("  (the address carries a new random access token: the browser keeps it in a cookie; "
                    + "anyone with it can use the console until it stops)");
            out.flush();
            stop.await();
        } catch (InterruptedException e) {
            // an interrupt asks the console to stop, as Ctrl-C does (an embedding program's way): close and return
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is what woke us
            }
        }
    }

    /** @return a listener that tells both (the terminal's progress line and the console's live progress) */
    static ImportListener both(ImportListener a, ImportListener b) {
        return new ImportListener() {
            @Override
            public void jobStarted(String sourceId, long jobId, int attempt) {
                a.jobStarted(sourceId, jobId, attempt);
                b.jobStarted(sourceId, jobId, attempt);
            }

            @Override
            public void pageFetched(String sourceId, long jobId, int page, int records) {
                a.pageFetched(sourceId, jobId, page, records);
                b.pageFetched(sourceId, jobId, page, records);
            }

            @Override
            public void timeLeft(String sourceId, long jobId, Duration estimate) {
                a.timeLeft(sourceId, jobId, estimate);
                b.timeLeft(sourceId, jobId, estimate);
            }

            @Override
            public void recordsStored(String sourceId, long jobId, ImportCounts page, ImportCounts total) {
                a.recordsStored(sourceId, jobId, page, total);
                b.recordsStored(sourceId, jobId, page, total);
            }

            @Override
            public void jobFinished(JobResult result) {
                a.jobFinished(result);
                b.jobFinished(result);
            }
        };
    }
}
