package io.foliosync.plugins.icbc;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountStatus;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthField;
import io.foliosync.connectors.api.AuthenticationType;
import io.foliosync.connectors.api.Balance;
import io.foliosync.connectors.api.BankStatement;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.PluginMetadata;
import io.foliosync.connectors.api.StatementFolder;
import io.foliosync.connectors.api.StatementFolderPlugin;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Imports ICBC (中国工商银行) personal account statement exports: CSV files with Chinese headers, in GBK or
 * UTF-8 (with or without BOM), amounts in CNY unless a currency column says otherwise.
 *
 * <p>Auth fields:
 * <ul>
 *   <li>{@code statement_dir} (required): the folder (or one file) holding the {@code .csv} exports;</li>
 *   <li>{@code encoding} (default {@code auto}): {@code auto}, {@code GBK}, {@code GB18030} or {@code UTF-8};</li>
 *   <li>{@code column_mapping} (optional): overrides of the header mapping, see {@link ColumnMapping};</li>
 *   <li>{@code account_id} (optional): the account id for files whose preamble names no card number.</li>
 * </ul>
 *
 * <p>The account id is {@code icbc-} and the last four digits of the card number (卡号) the export names.
 * ICBC gives no transaction id, so each line's source id is the documented hash of
 * {@link io.foliosync.connectors.api.StatementLineIds}.
 */
@API(status = INTERNAL, since = "0.1")
public final class IcbcPlugin extends StatementFolderPlugin {
    static final String ID = "icbc";
    private static final PluginMetadata METADATA = new PluginMetadata(ID, "ICBC 中国工商银行", "0.1.0", "FolioSync",
            "Imports ICBC personal account statement CSV exports (GBK or UTF-8) with an adjustable column mapping",
            Set.of("CN"), Set.of(AssetClass.CASH), AuthenticationType.FILE,
            List.of(new AuthField("statement_dir", "Statement folder", false, true,
                            "The folder (or one file) holding ICBC .csv statement exports", Optional.empty()),
                    new AuthField("encoding", "File encoding", false, false,
                            "auto (UTF-8 when valid, else GBK), GBK, GB18030 or UTF-8", Optional.of("auto")),
                    new AuthField("column_mapping", "Column mapping", false, false,
                            "Overrides such as 'date=记账日期; amount=发生额; balance=余额' when ICBC changes its layout",
                            Optional.empty()),
                    new AuthField("account_id", "Account id", false, false,
                            "The account id for files that name no card number", Optional.empty())),
            Optional.of(URI.create("https://github.com/foliosync/foliosync/blob/main/docs/plugin_development.md")),
            "0.1.0", List.of());

    /** Does no I/O; discovery creates plugins freely. */
    public IcbcPlugin() {
        this(Clock.systemUTC());
    }

    IcbcPlugin(Clock clock) {
        super(clock, "ICBC", "ICBC exports");
    }

    @Override
    public PluginMetadata metadata() {
        return METADATA;
    }

    @Override
    protected StatementFolder open(Path location, Map<String, String> settings) {
        String enc = settings.getOrDefault("encoding", "auto").trim();
        if (!enc.equalsIgnoreCase("auto") && !Charset.isSupported(enc)) {
            throw new IllegalArgumentException("encoding '" + enc + "' is not known: use auto, GBK, GB18030 or UTF-8");
        }
        // throws IllegalArgumentException naming the override it cannot read
        ColumnMapping mapping = ColumnMapping.withOverrides(settings.get("column_mapping"));
        String encoding = enc.isEmpty() ? "auto" : enc;
        Optional<String> accountOverride = Optional.ofNullable(settings.get("account_id")).map(String::trim)
                .filter(s -> !s.isEmpty());
        // a file that cannot be read is skipped with a warning (takeWarnings), the others imported
        return StatementFolder.withWarnings(ID, location, Set.of(".csv"),
                (f, warnings) -> List.of(parseFile(f, encoding, mapping, accountOverride)));
    }

    @Override
    protected Account account(String id, List<BankStatement> statements, Optional<Balance> balance) {
        return new Account(id, "ICBC " + id.substring(ID.length() + 1), statements.get(0).type(),
                statements.get(0).currency(), AccountStatus.ACTIVE, balance.map(Balance::amount), ID);
    }

    /** Parses one export with the given settings. */
    static BankStatement parseFile(Path file, String encoding, ColumnMapping mapping, Optional<String> accountOverride) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataFetchException(ID, file.toString(), "cannot read the statement file: " + e.getMessage(), e);
        }
        return new IcbcCsvParser(ID, file, mapping, accountOverride).parse(IcbcCsvParser.decode(bytes, encoding));
    }
}
