package io.foliosync.plugins.chase;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountStatus;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthField;
import io.foliosync.connectors.api.AuthenticationType;
import io.foliosync.connectors.api.Balance;
import io.foliosync.connectors.api.BankStatement;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.DataWarning;
import io.foliosync.connectors.api.PluginMetadata;
import io.foliosync.connectors.api.StatementFolder;
import io.foliosync.connectors.api.StatementFolderPlugin;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports the statements a Chase customer downloads: OFX/QFX files (Chase's "Quicken/QFX" and "OFX" download;
 * OFX 1.x SGML and 2.x XML) and the CSV activity export, for checking, savings and credit-card accounts.
 *
 * <p>Auth fields: {@code statement_dir} (required), the folder (or one file) holding the downloads. Files
 * ending in {@code .ofx}, {@code .qfx} or {@code .csv} are read, in name order.
 *
 * <p>Account ids are {@code chase-} plus the last four characters of the account number (Chase's CSV file
 * names carry only those), so the full account or card number is never kept. OFX lines keep Chase's
 * {@code FITID} as source id; CSV lines get the documented hash of
 * {@link io.foliosync.connectors.api.StatementLineIds}. A line that appears in two overlapping downloads is
 * reported once; two different lines that share a FITID in one statement are both kept (the second with the
 * FITID plus a digest of its content) and warned about.
 *
 * <p>A file of the folder that cannot be read (an investment statement, a truncated download, a file holding the
 * bank's sign-on error) is skipped with a warning and the others are imported; a malformed optional field (a
 * balance's date, a running balance) is dropped with a warning naming file, line and field. See
 * {@link #takeWarnings()}.
 */
@API(status = INTERNAL, since = "0.1")
public final class ChasePlugin extends StatementFolderPlugin {
    static final String ID = "chase";
    static final String MAX_SIZE_FIELD = "max_statement_mb";
    /** A year of Chase activity is well under 1 MB; see {@link StatementFolder#DEFAULT_MAX_FILE_SIZE}. */
    static final int DEFAULT_MAX_MB = 10;
    /** The most the setting may say: the parser needs some twenty times the file's size in heap. */
    static final int MAX_MAX_MB = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ChasePlugin.class);
    private static final Pattern CSV_NAME = Pattern.compile("(?i)chase(\\d{4})_.*");
    private static final PluginMetadata METADATA = new PluginMetadata(ID, "Chase", "0.1.0", "FolioSync",
            "Imports Chase OFX/QFX and CSV statement downloads for checking, savings and credit-card accounts",
            Set.of("US"), Set.of(AssetClass.CASH), AuthenticationType.FILE,
            List.of(new AuthField("statement_dir", "Statement folder", false, true,
                    "The folder (or one file) holding Chase downloads: .ofx, .qfx or .csv", Optional.empty()),
                    new AuthField(ChasePlugin.MAX_SIZE_FIELD, "Largest statement file (MB)", false, false,
                            "A larger file is skipped with a warning instead of read: parsing holds it in memory "
                                    + "many times over", Optional.of(String.valueOf(ChasePlugin.DEFAULT_MAX_MB)))),
            Optional.of(URI.create("https://github.com/foliosync/foliosync/blob/main/docs/plugin_development.md")),
            "0.1.0", List.of());

    /** Does no I/O; discovery creates plugins freely. */
    public ChasePlugin() {
        this(Clock.systemUTC());
    }

    ChasePlugin(Clock clock) {
        super(clock, "Chase", "Chase downloads");
    }

    @Override
    public PluginMetadata metadata() {
        return METADATA;
    }

    @Override
    protected StatementFolder open(Path location, Map<String, String> settings) {
        String maxText = settings.getOrDefault(MAX_SIZE_FIELD, "");
        int maxMb;
        try {
            maxMb = maxText == null || maxText.isBlank() ? DEFAULT_MAX_MB : Integer.parseInt(maxText.trim());
        } catch (NumberFormatException e) {
            maxMb = -1;
        }
        if (maxMb < 1 || maxMb > MAX_MAX_MB) {
            throw new IllegalArgumentException(MAX_SIZE_FIELD + " must be a whole number of megabytes from 1 to "
                    + MAX_MAX_MB + " but was '" + maxText + "'");
        }
        // the SGML parser holds the file and its tree in memory: a file past the limit is refused unread
        return StatementFolder.withWarnings(ID, location, Set.of(".ofx", ".qfx", ".csv"), ChasePlugin::read)
                .maxFileSize(maxMb * 1024L * 1024L, MAX_SIZE_FIELD + " is " + maxMb + "; raise it to read the file");
    }

    @Override
    protected Account account(String id, List<BankStatement> statements, Optional<Balance> balance) {
        BankStatement first = statements.get(0);
        String kind = first.type().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return new Account(id, "Chase " + kind + " ..." + id.substring(ID.length() + 1), first.type(),
                first.currency(), AccountStatus.ACTIVE, balance.map(Balance::amount), ID);
    }

    /** @return the account id for an account number: {@code chase-} and its last four letters or digits */
    static String accountId(String accountNumber) {
        String alnum = accountNumber.replaceAll("[^A-Za-z0-9]", "");
        return ID + "-" + (alnum.length() <= 4 ? alnum : alnum.substring(alnum.length() - 4));
    }

    /** Parses one statement file: OFX/QFX by content, otherwise Chase CSV; warnings are dropped. */
    static List<BankStatement> parseFile(Path file) {
        return read(file, w -> { });
    }

    /**
     * Parses one statement file: OFX/QFX by content, otherwise Chase CSV.
     *
     * @param warnings receives what the file holds but cannot be used in full (a malformed optional field)
     */
    static List<BankStatement> read(Path file, Consumer<DataWarning> warnings) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataFetchException(ID, file.toString(), "cannot read the statement file: " + e.getMessage(), e);
        }
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".ofx") || lower.endsWith(".qfx") || OfxParser.decode(bytes).contains("<OFX>")) {
            return new OfxParser(ID, file, "USD", warnings).parse(bytes);
        }
        Matcher m = CSV_NAME.matcher(name);
        String account = m.matches() ? accountId(m.group(1))
                : ID + "-" + name.replaceFirst("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(Locale.ROOT);
        return List.of(new ChaseCsvParser(ID, file, account).parse(bytes));
    }
}
