package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.examples.cli.ShadedJar.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Chase statement folder as a user keeps it, synced through the shaded jar as a process: the files the plugin can
 * read are imported, and the sync summary says which file it skipped and why, which field it dropped and which
 * lines shared a FITID; a download that holds only the bank's sign-on error fails with the bank's code and message.
 */
class StatementFolderWarningsJarTest {
    private static final String HEADER = """
            OFXHEADER:100
            DATA:OFXSGML
            VERSION:102
            SECURITY:NONE
            ENCODING:USASCII
            CHARSET:1252
            COMPRESSION:NONE
            OLDFILEUID:NONE
            NEWFILEUID:NONE

            """;
    private static final String SIGNON_OK = """
            <OFX>
            <SIGNONMSGSRSV1>
            <SONRS>
            <STATUS>
            <CODE>0
            <SEVERITY>INFO
            </STATUS>
            <DTSERVER>20230301080000.000[-5:EST]
            <LANGUAGE>ENG
            </SONRS>
            </SIGNONMSGSRSV1>
            """;

    @TempDir
    Path dir;
    Path statements;
    Path config;
    Path db;

    /** A checking statement; {@code lines} are STMTTRN aggregates, {@code tail} what follows BANKTRANLIST. */
    private static String checking(String account, String lines, String tail) {
        return HEADER + SIGNON_OK + """
                <BANKMSGSRSV1>
                <STMTTRNRS>
                <TRNUID>1
                <STATUS>
                <CODE>0
                <SEVERITY>INFO
                </STATUS>
                <STMTRS>
                <CURDEF>USD
                <BANKACCTFROM>
                <BANKID>322271627
                <ACCTID>%s
                <ACCTTYPE>CHECKING
                </BANKACCTFROM>
                <BANKTRANLIST>
                <DTSTART>20230201120000[0:GMT]
                <DTEND>20230228120000[0:GMT]
                %s%s
                </STMTRS>
                </STMTTRNRS>
                </BANKMSGSRSV1>
                </OFX>
                """.formatted(account, lines, tail);
    }

    private static String line(String fitid, String day, String amount, String name) {
        return """
                <STMTTRN>
                <TRNTYPE>%s
                <DTPOSTED>%s120000[0:GMT]
                <TRNAMT>%s
                <FITID>%s
                <NAME>%s
                </STMTTRN>
                """.formatted(amount.startsWith("-") ? "DEBIT" : "CREDIT", day, amount, fitid, name);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(statements.resolve(name), text, StandardCharsets.US_ASCII);
    }

    @BeforeEach
    void configure() throws Exception {
        statements = Files.createDirectories(dir.resolve("statements"));
        db = dir.resolve("foliosync.db");
        config = dir.resolve("data_sources.yaml");
        Files.writeString(config, """
                global:
                  database_path: %s
                  master_key_file: %s
                plugins:
                  directory: %s
                  classpath: false
                  enabled: [chase]
                """.formatted(db, dir.resolve("master.key"), DemoCommand.shippedPlugins()));
    }

    private Run configureChase(Path statementDir) throws Exception {
        return ShadedJar.start(dir, "plugins", "configure", "chase", "--set", "statement_dir=" + statementDir,
                "--config", config.toString()).await();
    }

    @Test
    void aFolderWithAFileThePluginCannotReadImportsTheOthersAndTheSummaryNamesWhatWasSkipped() throws Exception {
        // a bank that numbers lines by day: two purchases share a FITID; and its </BANKTRANLIST> is missing
        Path shared = write("Checking_2023-02.qfx", checking("000000004321",
                line("20230206", "20230206", "-42.10", "WHOLE FOODS MARKET")
                        + line("20230206", "20230206", "-8.75", "CITY PARKING")
                        + line("20230215001", "20230215", "1500.00", "PAYROLL ACME CORP"), """
                        <LEDGERBAL>
                        <BALAMT>2449.15
                        <DTASOF>20230228120000[0:GMT]
                        </LEDGERBAL>"""));
        Path garbled = write("Savings_2023-02.ofx", checking("000000008765",
                line("202302100001", "20230210", "250.00", "TRANSFER FROM CHECKING"), """
                        </BANKTRANLIST>
                        <LEDGERBAL>
                        <BALAMT>5250.00
                        <DTASOF>2023022812:00:00[-5:EST]
                        </LEDGERBAL>"""));
        Path refused = write("Brokerage_2023-02.qfx", HEADER + """
                <OFX>
                <SIGNONMSGSRSV1>
                <SONRS>
                <STATUS>
                <CODE>15500
                <SEVERITY>ERROR
                <MESSAGE>Invalid identification code or password
                </STATUS>
                <DTSERVER>20230301080000.000[-5:EST]
                <LANGUAGE>ENG
                </SONRS>
                </SIGNONMSGSRSV1>
                </OFX>
                """);
        Path pdf = write("Statement_2023-02.pdf", "%PDF-1.4");
        assertThat(configureChase(statements).exit()).isZero();

        Run sync = ShadedJar.sync(config);

        assertThat(sync.exit()).as(sync.output()).isZero();
        assertThat(sync.line("chase")).contains("succeeded");
        assertThat(sync.imported("chase")).as(sync.output()).isEqualTo(4);
        assertThat(sync.output()).contains("4 warnings (chase: 4):")
                .contains("chase: " + refused + ", line 14, field 'SONRS.STATUS': skipped, nothing imported from this "
                        + "file: the institution refused the sign-on with its error code 15500 (ERROR): Invalid "
                        + "identification code or password")
                .contains("chase: " + pdf + ": skipped: not a statement file this plugin reads (.csv, .ofx, .qfx)")
                .contains("chase: " + shared + ", line ")
                .contains("field 'FITID': FITID '20230206' is also the id of the different line")
                .contains("chase: " + garbled + ", line ")
                .contains("field 'LEDGERBAL.DTASOF': '2023022812:00:00[-5:EST]' is not an OFX date")
                .doesNotContain("investment statements are not supported");
        assertThat(ShadedJar.count(db, "SELECT COUNT(*) FROM transactions WHERE source_name = 'chase'")).isEqualTo(4);
        // the ledger balance after the missing </BANKTRANLIST> is stored, as cash
        assertThat(ShadedJar.count(db, "SELECT COUNT(*) FROM holdings WHERE source_name = 'chase'"))
                .isEqualTo(2);
    }

    @Test
    void aDownloadHoldingOnlyTheBanksErrorFailsWithTheBanksCodeAndMessage() throws Exception {
        Path file = write("Checking_2023-03.ofx", HEADER + SIGNON_OK + """
                <BANKMSGSRSV1>
                <STMTTRNRS>
                <TRNUID>1
                <STATUS>
                <CODE>2000
                <SEVERITY>ERROR
                <MESSAGE>General Server Error
                </STATUS>
                </STMTTRNRS>
                </BANKMSGSRSV1>
                </OFX>
                """);
        assertThat(configureChase(file).exit()).isZero();

        Run sync = ShadedJar.sync(config);

        assertThat(sync.exit()).as(sync.output()).isEqualTo(Errors.FAILED);
        assertThat(sync.line("chase")).contains("failed").contains(file.toString())
                .contains("code 2000 (ERROR): General Server Error")
                .doesNotContain("investment statements are not supported");
    }
}
