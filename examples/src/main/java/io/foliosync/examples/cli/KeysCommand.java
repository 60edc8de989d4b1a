package io.foliosync.examples.cli;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.imports.MasterKeyRotation;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The master key's life: {@code rotate} moves every stored secret to a new key; {@code reset} deletes the stored
 * secrets no key can read any more (the key they were encrypted with is lost), so they can be entered again.
 * Neither prints a key or a secret.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Rotates or resets the master key.",
        subcommands = {KeysCommand.Rotate.class, KeysCommand.Reset.class})
final class KeysCommand extends GroupCommand {

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Re-encrypts every stored credential (database credential store, plugin credentials, "
                    + "Schwab's token file) under a new master key: the database in one transaction, each file "
                    + "written to a temporary file and moved into place, the new key file last.",
                "With the key in " + io.foliosync.connectors.api.secrets.MasterKey.ENV + ", set "
                    + MasterKeyRotation.NEW_KEY_ENV + " to the new key, rotate, then use it as "
                    + io.foliosync.connectors.api.secrets.MasterKey.ENV + "."})
    static final class Rotate implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(options, false, System.getenv())) {
                MasterKeyRotation.Rotated r = MasterKeyRotation.rotate(ws.jdbcStore(), ws.variables(),
                        ws.masterKeyFile(), ws.encryptedFiles());
                PrintWriter out = spec.commandLine().getOut();
                if (r.completed()) {
                    out.println("completed an interrupted rotation: the stored credentials are under master key "
                            + r.toKey() + ", now in " + ws.masterKeyFile());
                } else {
                    out.println("re-encrypted " + r.rows() + " stored credential(s) and " + r.files().size()
                            + " encrypted file(s) from master key " + r.fromKey() + " to " + r.toKey());
                }
                if (r.keyFromEnv()) {
                    out.println("now set " + io.foliosync.connectors.api.secrets.MasterKey.ENV + " to the value of "
                            + MasterKeyRotation.NEW_KEY_ENV + ": the old key no longer reads them");
                } else {
                    out.println("the new key is in " + ws.masterKeyFile() + ": back it up (the old one no longer "
                            + "reads anything)");
                }
                out.flush();
                return 0;
            }
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = {"For a lost master key: deletes every stored credential the current key cannot read "
                    + "(all of them when the key file is missing; a new key file is made), after confirmation, so "
                    + "they can be entered again (`foliosync plugins configure ID`, the console's Plugins page, "
                    + "`foliosync schwab login`). Credentials the key reads are kept."})
    static final class Reset implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Option(names = "--yes", description = "Delete without asking (for scripts).")
        boolean yes;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (Workspace ws = Workspace.open(options, false, System.getenv())) {
                if (!yes) {
                    java.io.Console terminal = System.console();
                    if (terminal == null) {
                        // a script cannot answer: it says --yes, rather than hang on a question no one sees
                        throw new ConfigurationException("credentials", "keys reset asks for confirmation in a "
                                + "terminal; not run in one, nothing was deleted: pass --yes");
                    }
                    String answer = terminal.readLine("This deletes every stored credential the current master key "
                            + "cannot read; they cannot be recovered without the old key. Type 'reset' to go on: ");
                    if (answer == null || !answer.trim().equals("reset")) {
                        throw new ConfigurationException("credentials", "keys reset: not confirmed, nothing deleted "
                                + "(type 'reset', or pass --yes)");
                    }
                }
                MasterKeyRotation.Reset r = MasterKeyRotation.reset(ws.jdbcStore(), ws.variables(),
                        ws.masterKeyFile(), ws.encryptedFiles());
                out.println("deleted " + r.deleted().size() + " unreadable stored credential(s)"
                        + (r.deleted().isEmpty() ? "" : " (" + String.join(", ", r.deleted()) + ")")
                        + (r.deletedFiles().isEmpty() ? "" : " and " + r.deletedFiles()));
                if (r.newKey()) {
                    out.println("created a new master key file " + ws.masterKeyFile() + " (id " + r.keyId()
                            + "): back it up");
                }
                out.println("enter the credentials again: `foliosync plugins configure ID --set FIELD=VALUE`, the "
                        + "console's Plugins page, or `foliosync schwab login`");
                out.flush();
                return 0;
            }
        }
    }
}
