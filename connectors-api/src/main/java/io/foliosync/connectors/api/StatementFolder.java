package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * The statement downloads a file-based bank plugin reads: one file, or the files of a folder with the
 * plugin's extensions. Each file is parsed once, on first use; statements are grouped by account; an
 * account's lines from overlapping downloads are merged by source id. Not thread-safe: the plugin, whose
 * methods are synchronized, owns it.
 *
 * <p>Made {@link #withWarnings with warnings}, one file never costs the others: a folder's file the plugin cannot
 * parse (an investment statement, a truncated download, an institution's error) is skipped, and so is a file
 * without one of the plugin's endings; each skipped file is a {@link DataWarning} naming it and saying why
 * ({@link #takeWarnings()}, which the plugin returns from its own). Only when every statement file fails, or the
 * one file given fails, is the first failure thrown: then there is nothing to import. Made with {@link #of}, for a
 * plugin that passes no warnings on, the first file that fails fails the whole read, so nothing is left out unsaid.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class StatementFolder {
    /** Parses one statement file, reporting what it reads but cannot use in full. */
    @FunctionalInterface
    public interface Parser {
        /**
         * @param warnings receives a warning for each malformed optional field dropped, each line kept apart,
         *                 naming file, line and field; kept only when the file parses
         * @return the statements the file holds
         * @throws ConnectorException naming the file, line and field for data the file cannot be read without
         */
        List<BankStatement> parse(Path file, Consumer<DataWarning> warnings);
    }

    private static final Pattern LINE = Pattern.compile("(?i)line (\\d{1,9})");

    private final String source;
    private final Path location;
    private final Set<String> extensions;
    private final Parser parser;
    private final boolean skipsUnreadable;
    private final long maxFileSize;
    private final String maxFileSizeSetting;
    private final List<DataWarning> warnings = new ArrayList<>();
    private Map<String, List<BankStatement>> byAccount;

    /**
     * The largest statement file read unless the plugin says otherwise: 10 MB, some fifty thousand OFX lines, far
     * beyond a real download, and small enough that parsing it fits a 256 MB heap.
     */
    public static final long DEFAULT_MAX_FILE_SIZE = 10L * 1024 * 1024;

    private StatementFolder(String source, Path location, Set<String> extensions, Parser parser,
                            boolean skipsUnreadable, long maxFileSize, String maxFileSizeSetting) {
        this.source = source;
        this.location = location;
        this.extensions = Set.copyOf(extensions);
        this.parser = parser;
        this.skipsUnreadable = skipsUnreadable;
        if (maxFileSize < 1) {
            throw new IllegalArgumentException("maxFileSize must be positive but was " + maxFileSize);
        }
        this.maxFileSize = maxFileSize;
        this.maxFileSizeSetting = maxFileSizeSetting;
    }

    /**
     * @param bytes   the largest statement file to read; a larger one is refused with a
     *                {@link StatementTooLargeException} before it is read (and, made with warnings, skipped)
     * @param setting how the user raises it (the plugin's field name), for the message
     * @return this folder with that limit
     */
    public StatementFolder maxFileSize(long bytes, String setting) {
        return new StatementFolder(source, location, extensions, parser, skipsUnreadable, bytes, setting);
    }

    /**
     * @param source     the plugin id, for error messages
     * @param location   a statement file, or a folder of them
     * @param extensions the file endings read from a folder, lower case with the dot ({@code .csv})
     * @param parser     parses one file into the statements it holds; throws {@link DataFetchException} naming
     *                   the file, line and field for bad data
     */
    public static StatementFolder of(String source, Path location, Set<String> extensions,
                                     Function<Path, List<BankStatement>> parser) {
        return new StatementFolder(source, location, extensions, (file, w) -> parser.apply(file), false,
                DEFAULT_MAX_FILE_SIZE, "the default limit");
    }

    /**
     * Like {@link #of}, for a plugin that returns {@link #takeWarnings()} from its
     * {@link BankIntegrationPlugin#takeWarnings()}: the parser's warnings reach the user, and a file that cannot be
     * read is skipped with a warning while the others are imported.
     */
    public static StatementFolder withWarnings(String source, Path location, Set<String> extensions, Parser parser) {
        return new StatementFolder(source, location, extensions, parser, true, DEFAULT_MAX_FILE_SIZE,
                "the default limit");
    }

    public Path location() {
        return location;
    }

    /** @return the file itself, or the folder's files with one of the extensions, sorted by name */
    public List<Path> files() {
        if (Files.isRegularFile(location)) {
            return List.of(location);
        }
        return list().stream().filter(this::supported).toList();
    }

    /** @return the folder's visible files, sorted by name; hidden files (.DS_Store) are no statements */
    private List<Path> list() {
        try (Stream<Path> s = Files.list(location)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new DataFetchException(source, location.toString(), "cannot list the statement folder: "
                    + e.getMessage(), e);
        }
    }

    private boolean supported(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return extensions.stream().anyMatch(n::endsWith);
    }

    /** @return every statement by account id, in file order; parsed on the first call only */
    public Map<String, List<BankStatement>> statementsByAccount() {
        if (byAccount == null) {
            Map<String, List<BankStatement>> map = new LinkedHashMap<>();
            List<DataWarning> found = new ArrayList<>();
            if (skipsUnreadable && !Files.isRegularFile(location)) {
                String endings = extensions.stream().sorted().collect(Collectors.joining(", "));
                list().stream().filter(p -> !supported(p)).forEach(p -> found.add(DataWarning.of(source,
                        p.toString(), "skipped: not a statement file this plugin reads (" + endings + ")")));
            }
            RuntimeException firstFailure = null;
            Path firstFailed = null;
            int parsed = 0;
            for (Path f : files()) {
                List<DataWarning> fileWarnings = new ArrayList<>();
                List<BankStatement> statements;
                try {
                    refuseIfTooLarge(f);
                    statements = parser.parse(f, fileWarnings::add);
                } catch (ConnectorException | IllegalArgumentException e) {
                    if (!skipsUnreadable) {
                        throw e;
                    }
                    if (firstFailure == null) {
                        firstFailure = e;
                        firstFailed = f;
                    } else {
                        found.add(skipped(f, e));
                    }
                    continue;
                }
                parsed++;
                found.addAll(fileWarnings);
                for (BankStatement s : statements) {
                    map.computeIfAbsent(s.accountId(), k -> new ArrayList<>()).add(s);
                }
            }
            if (firstFailure != null) {
                if (parsed == 0) {
                    // nothing could be read: the job fails with the first file's error; the others' are warnings
                    warnings.addAll(found);
                    throw firstFailure;
                }
                found.add(0, skipped(firstFailed, firstFailure));
            }
            warnings.addAll(found);
            byAccount = map;
        }
        return byAccount;
    }

    /** Checked before the parser reads a byte: parsers hold the file and its tree in memory. */
    private void refuseIfTooLarge(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new DataFetchException(source, file.toString(), "cannot read the statement file: "
                    + e.getMessage(), e);
        }
        if (size > maxFileSize) {
            throw new StatementTooLargeException(source, file.toString(), size, maxFileSize, maxFileSizeSetting);
        }
    }

    private DataWarning skipped(Path file, RuntimeException e) {
        String why;
        OptionalInt line = OptionalInt.empty();
        Optional<String> field = Optional.empty();
        if (e instanceof DataFetchException d) {
            why = d.detail();
            line = d.record().map(StatementFolder::lineNumber).orElse(OptionalInt.empty());
            field = d.field();
        } else if (e instanceof InstitutionAuthenticationException a) {
            why = a.detail();
            line = a.line();
            field = Optional.of("SONRS.STATUS");
        } else if (e instanceof ConnectorException c) {
            why = c.reason();
        } else {
            why = String.valueOf(e.getMessage());
        }
        return new DataWarning(source, file.toString(), line, field, "skipped, nothing imported from this file: "
                + why);
    }

    /** @return the line a parser's record reference names ({@code line 54}), when it names one */
    private static OptionalInt lineNumber(String record) {
        Matcher m = LINE.matcher(record);
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /**
     * @return the files skipped and the parsers' warnings since the last call, which clears them; a folder is
     *         parsed once, so its warnings are returned once
     */
    public List<DataWarning> takeWarnings() {
        List<DataWarning> out = List.copyOf(warnings);
        warnings.clear();
        return out;
    }
    /**
     * @param since the earliest posted date, inclusive; empty for all
     * @return the account's lines from every statement, each source id once (the first seen), oldest first;
     *         lines of one day keep their file order
     */
    public List<BankTransaction> transactions(String accountId, Optional<LocalDate> since) {
        Map<String, BankTransaction> unique = new LinkedHashMap<>();
        for (BankStatement s : statementsByAccount().getOrDefault(accountId, List.of())) {
            for (BankTransaction t : s.transactions()) {
                if (since.map(d -> !t.postedDate().isBefore(d)).orElse(true)) {
                    unique.putIfAbsent(t.sourceId(), t);
                }
            }
        }
        List<BankTransaction> out = new ArrayList<>(unique.values());
        out.sort(Comparator.comparing(BankTransaction::postedDate));
        return out;
    }

    /** @return the newest balance any of the account's statements states */
    public Optional<Balance> balance(String accountId) {
        return statementsByAccount().getOrDefault(accountId, List.of()).stream().map(BankStatement::balance)
                .flatMap(Optional::stream).max(Comparator.comparing(Balance::asOf));
    }

    /** @return whether the statements can be read, and how many files there are */
    public HealthStatus health(Instant now) {
        if (!Files.isReadable(location)) {
            return HealthStatus.unhealthy("statement_dir " + location + " cannot be read", now);
        }
        return HealthStatus.healthy(files().size() + " statement files in " + location, now, Duration.ZERO);
    }
}
