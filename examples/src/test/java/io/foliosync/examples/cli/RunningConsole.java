package io.foliosync.examples.cli;

import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code foliosync serve} or {@code foliosync demo --serve} running in this JVM on a thread of its own, exactly as
 * the command line runs it (picocli, Workspace, FolioSync, the console); {@link #close()} interrupts the thread,
 * which is how the command ends on Ctrl-C too (its shutdown hook releases the same wait).
 */
final class RunningConsole implements AutoCloseable {
    private static final Pattern OPEN = Pattern.compile("open: (http://\\S+)/\\?token=(\\S+)");

    private final Thread thread;
    private final StringBuffer out;
    final URI base;
    final String token;

    private RunningConsole(Thread thread, StringBuffer out, URI base, String token) {
        this.thread = thread;
        this.out = out;
        this.base = base;
        this.token = token;
    }

    static RunningConsole start(Duration timeout, String... args) {
        StringBuffer out = new StringBuffer();
        Writer sink = new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) {
                out.append(cbuf, off, len);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Thread t = new Thread(() -> FolioSyncCli.commandLine().setOut(new java.io.PrintWriter(sink, true))
                .setErr(new java.io.PrintWriter(sink, true)).execute(args), "console-under-test");
        t.setDaemon(true);
        t.start();
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            Matcher m = OPEN.matcher(out);
            if (m.find()) {
                return new RunningConsole(t, out, URI.create(m.group(1)), m.group(2));
            }
            if (!t.isAlive()) {
                throw new AssertionError("the console ended before it started:\n" + out);
            }
            sleep(50);
        }
        t.interrupt();
        throw new AssertionError("the console did not start within " + timeout + ":\n" + out);
    }

    String output() {
        return out.toString();
    }

    URI startUrl() {
        return URI.create(base + "/?token=" + token);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(Duration.ofSeconds(40).toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("the console did not stop within 40 s of an interrupt:\n" + out);
        }
    }
}
