package io.foliosync.connectors.api;

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
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The statement downloads a file-based bank plugin reads: one file, or the files of a folder with the
 * plugin's extensions. Each file is parsed once, on first use; statements are grouped by account; an
 * account's lines from overlapping downloads are merged by source id. Not thread-safe: the plugin, whose
 * methods are synchronized, owns it.
 */
public final class StatementFolder {
    private final String source;
    private final Path location;
    private final Set<String> extensions;
    private final Function<Path, List<BankStatement>> parser;
    private Map<String, List<BankStatement>> byAccount;

    private StatementFolder(String source, Path location, Set<String> extensions,
                            Function<Path, List<BankStatement>> parser) {
        this.source = source;
        this.location = location;
        this.extensions = Set.copyOf(extensions);
        this.parser = parser;
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
        return new StatementFolder(source, location, extensions, parser);
    }

    public Path location() {
        return location;
    }

    /** @return the file itself, or the folder's files with one of the extensions, sorted by name */
    public List<Path> files() {
        if (Files.isRegularFile(location)) {
            return List.of(location);
        }
        try (Stream<Path> s = Files.list(location)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return extensions.stream().anyMatch(n::endsWith);
            }).sorted().toList();
        } catch (IOException e) {
            throw new DataFetchException(source, location.toString(), "cannot list the statement folder: "
                    + e.getMessage(), e);
        }
    }

    /** @return every statement by account id, in file order; parsed on the first call only */
    public Map<String, List<BankStatement>> statementsByAccount() {
        if (byAccount == null) {
            Map<String, List<BankStatement>> map = new LinkedHashMap<>();
            for (Path f : files()) {
                for (BankStatement s : parser.apply(f)) {
                    map.computeIfAbsent(s.accountId(), k -> new ArrayList<>()).add(s);
                }
            }
            byAccount = map;
        }
        return byAccount;
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
