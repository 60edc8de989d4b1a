package io.foliosync.examples.cli;

import io.foliosync.imports.ImportCounts;
import io.foliosync.imports.ImportListener;
import io.foliosync.imports.JobResult;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shows each source's progress as import events arrive: on a terminal, one line per source redrawn in place;
 * otherwise (a pipe, a log file, CI) plain lines, one per event.
 */
final class ProgressDisplay implements ImportListener {
    private final PrintWriter out;
    private final boolean terminal;
    private final Map<String, String> lines = new LinkedHashMap<>();
    private int drawn;

    ProgressDisplay(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void jobStarted(String sourceId, long jobId, int attempt) {
        update(sourceId, "started" + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
    }

    @Override
    public synchronized void pageFetched(String sourceId, long jobId, int page, int records) {
        update(sourceId, "page " + page + ": " + records + " records fetched");
    }

    @Override
    public synchronized void recordsStored(String sourceId, long jobId, ImportCounts page, ImportCounts total) {
        update(sourceId, bar(total) + " " + total.imported() + " new, " + total.updated() + " updated, "
                + total.skipped() + " unchanged, " + total.rejected() + " rejected");
    }

    @Override
    public synchronized void timeLeft(String sourceId, long jobId, java.time.Duration estimate) {
        if (!estimate.isZero()) {
            update(sourceId, lines.getOrDefault(sourceId, "").replaceFirst(", about .* left$", "") + ", about "
                    + human(estimate) + " left");
        }
    }

    /** @return {@code 45 s}, {@code 3 min}, {@code 1 h 20 min}: what a person plans around */
    static String human(java.time.Duration d) {
        long s = Math.max(1, d.toSeconds());
        if (s < 90) {
            return s + " s";
        }
        long min = Math.round(s / 60.0);
        return min < 90 ? min + " min" : (min / 60) + " h " + (min % 60) + " min";
    }

    @Override
    public synchronized void jobFinished(JobResult result) {
        update(result.sourceId(), result.status().name().toLowerCase(java.util.Locale.ROOT)
                + result.error().map(e -> ": " + Errors.oneLine(e)).orElse(""));
    }

    private static String bar(ImportCounts total) {
        // The total is unknown until the source runs out of pages, so the bar shows activity, not a fraction.
        long n = total.total();
        int filled = (int) Math.min(20, Math.max(1, Math.round(Math.log10(n + 1) * 4)));
        return "[" + "#".repeat(filled) + " ".repeat(20 - filled) + "]";
    }

    private void update(String sourceId, String status) {
        lines.put(sourceId, status);
        if (!terminal) {
            out.println(sourceId + ": " + status);
            out.flush();
            return;
        }
        if (drawn > 0) {
            out.print("\u001b[" + drawn + "F"); // back to the first line drawn
        }
        int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0);
        lines.forEach((id, s) -> out.print("\u001b[2K" + id + " ".repeat(width - id.length()) + "  " + s + "\n"));
        drawn = lines.size();
        out.flush();
    }
}
