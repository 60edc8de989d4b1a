package io.foliosync.examples.console;

import io.foliosync.imports.internal.FolioSyncInternals;
import io.foliosync.connectors.api.AuthField;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.secrets.SecretDecryptionException;
import io.foliosync.imports.FolioSync;
import io.foliosync.plugins.BankPluginConnectorProvider;
import io.foliosync.plugins.DiscoveryReport;
import io.foliosync.plugins.PluginDescriptor;
import io.foliosync.plugins.PluginException;
import io.foliosync.plugins.PluginManager;
import io.foliosync.plugins.PluginsSection;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The Plugins page and its actions: install a jar, enable a plugin, store its credentials (and test them). */
final class PluginPages {
    private final FolioSync folio;
    private final Pages pages;
    private final PluginEnabler enabler;
    // what the last credentials test of each plugin said
    private final Map<String, Pages.Tested> tested = new ConcurrentHashMap<>();
    private PluginManager plugins;

    PluginPages(FolioSync folio, Pages pages) {
        this.folio = folio;
        this.pages = pages;
        this.enabler = new PluginEnabler(FolioSyncInternals.config(folio).file());
    }

    void register(RoutesConfig r) {
        r.get("/plugins", this::pluginsPage);
        r.post("/plugins/install", this::installPlugin);
        r.post("/plugins/{id}/enable", this::enablePlugin);
        r.post("/plugins/{id}/credentials", this::savePluginCredentials);
    }

    /**
     * @param unreadable why the stored credentials cannot be read (stored under another master key) and what to do,
     *                   when that is so: the form below takes them again
     */
    record PluginRow(String id, String name, String version, String origin, boolean enabled, boolean credentials,
                     List<AuthField> fields, Optional<Pages.Tested> test, Optional<Pages.LastJob> last,
                     Optional<String> unreadable) {
    }

    /** What the Plugins page says of credentials the current master key cannot read: the CLI's remedy, and the form. */
    static final String UNREADABLE = "stored, but the current master key cannot read them (they were encrypted "
            + "under another key). Restore the key they were stored with (the key file, or FOLIOSYNC_MASTER_KEY) and "
            + "restart the console, or enter them again below: they replace the unreadable ones (`foliosync keys "
            + "reset` deletes every unreadable credential at once).";

    void pluginsPage(Context ctx) {
        PluginManager pm = plugins();
        DiscoveryReport report = pm.discoverPlugins();
        List<String> enabled = PluginsSection.parse(FolioSyncInternals.config(folio).plugins()).ids();
        List<PluginRow> rows = new ArrayList<>();
        for (PluginDescriptor p : report.plugins()) {
            List<AuthField> fields;
            try {
                fields = pm.loadPlugin(p.id()).metadata().authFields();
            } catch (PluginException e) {
                fields = List.of();
            }
            boolean stored;
            Optional<String> unreadable = Optional.empty();
            try {
                stored = FolioSyncInternals.credentials(folio).load(p.id()).isPresent();
            } catch (SecretDecryptionException e) {
                // a wrong master key: say so on the page (the key's id only, never a value) and take them again
                stored = true;
                unreadable = Optional.of(UNREADABLE);
            }
            rows.add(new PluginRow(p.id(), p.name(), p.version(), p.origin().name().toLowerCase(Locale.ROOT),
                    enabled.contains(p.id()), stored, fields, Optional.ofNullable(tested.get(p.id())),
                    pages.lastJob(p.id()), unreadable));
        }
        List<String> problems = report.problems().stream().map(Object::toString).map(Views::scrub).toList();
        Map<String, String> syncable = new LinkedHashMap<>();
        folio.sourceIds().forEach(id -> syncable.put(id, pages.ref(id)));
        pages.page(ctx, "plugins.jte", "Plugins", Map.of("rows", rows, "problems", problems, "syncable", syncable));
    }

    void installPlugin(Context ctx) {
        UploadedFile upload = ctx.uploadedFile("jar");
        if (upload == null || upload.size() == 0) {
            throw new BadRequestResponse("choose a plugin jar to install");
        }
        Path given = upload.filename() == null || upload.filename().isBlank() ? null
                : Path.of(upload.filename()).getFileName();
        String name = given == null ? "" : given.toString();
        if (!name.endsWith(".jar") || name.length() < 5) {
            throw new BadRequestResponse("a plugin is a .jar file; " + name + " is not");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("foliosync-upload");
            Path jar = dir.resolve(name);
            try (InputStream in = upload.content()) {
                Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
            }
            PluginDescriptor p = plugins().installPlugin(jar);
            pages.note(true, "installed " + p.id() + " " + p.version() + "; enable it to sync it");
        } catch (PluginException e) {
            pages.note(false, "cannot install " + name + ": " + String.join("; ", e.problems().stream()
                    .map(Object::toString).toList()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the uploaded jar in a temporary folder", e);
        } finally {
            deleteQuietly(dir);
        }
        ctx.redirect("/plugins", HttpStatus.SEE_OTHER);
    }

    void enablePlugin(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            if (plugins().discoverPlugins().plugins().stream().noneMatch(p -> p.id().equals(id))) {
                throw new BadRequestResponse("no plugin " + id + " is installed");
            }
            boolean changed = enabler.enable(id);
            pages.note(true, changed ? id + " enabled in " + FolioSyncInternals.config(folio).file().getFileName()
                    + ": restart `foliosync serve` to sync it" : id + " is already enabled");
        } catch (PluginEnabler.CannotEditException e) {
            pages.note(false, e.getMessage());
        }
        ctx.redirect("/plugins", HttpStatus.SEE_OTHER);
    }

    void savePluginCredentials(Context ctx) {
        String id = ctx.pathParam("id");
        Map<String, String> values = new LinkedHashMap<>();
        ctx.formParamMap().forEach((k, v) -> {
            if (k.startsWith("field.") && !v.isEmpty() && !v.get(0).isEmpty()) {
                values.put(k.substring("field.".length()), v.get(0));
            }
        });
        try {
            plugins().saveCredentials(id, values);
            AuthenticationResult r = plugins().authenticate(id);
            // a plugin may echo what it was given: the values entered are never shown again, not even there
            String message = Views.scrub(redact(r.message(), values.values()));
            tested.put(id, new Pages.Tested(r.success() ? Pages.Tested.ACCEPTED : Pages.Tested.REFUSED, message));
            pages.note(r.success(), "stored " + values.size() + " field(s) for " + id + " (encrypted); authentication: "
                    + (r.success() ? "ok" : "failed") + " - " + message);
        } catch (PluginException e) {
            pages.note(false, String.join("; ", e.problems().stream().map(Object::toString).toList()));
        }
        ctx.redirect("/plugins", HttpStatus.SEE_OTHER);
    }

    private synchronized PluginManager plugins() {
        if (plugins == null) {
            plugins = BankPluginConnectorProvider.manager(PluginsSection.parse(FolioSyncInternals.config(folio).plugins()),
                    FolioSyncInternals.connectorContext(folio));
        }
        return plugins;
    }

    synchronized void close() {
        if (plugins != null) {
            plugins.close();
        }
    }

    private static String redact(String message, java.util.Collection<String> values) {
        String out = message;
        for (String v : values) {
            if (v.length() >= 3) {
                out = out.replace(v, "•••");
            }
        }
        return out;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
