package io.foliosync.examples.console;

import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.marketdata.Valuation;
import io.foliosync.imports.FolioSync;
import io.foliosync.imports.SourceBusyException;
import io.foliosync.imports.reconcile.AccountReconciliation;
import io.foliosync.imports.JobStatus;
import io.foliosync.imports.internal.FolioSyncInternals;
import io.foliosync.imports.query.JobRecord;
import io.foliosync.imports.query.StoredTransaction;
import io.foliosync.imports.query.TransactionPage;
import io.foliosync.imports.query.TransactionPageQuery;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** The console's routes: each page reads through the FolioSync the command line built; each action redirects back. */
final class Pages {
    static final String CRYPTO_SECTION = "crypto_exchanges";
    static final String IBKR_SECTION = "interactive_brokers";
    private static final int PAGE_SIZE = 50;

    private final FolioSync folio;
    private final SyncJobs jobs;
    private final SchwabLink schwab;
    private final Views views;
    private final PluginPages pluginPages;
    private final Map<String, Tested> tested = new ConcurrentHashMap<>();
    // one user, one browser: what the last action did, shown once on the next page
    private final AtomicReference<Views.Note> note = new AtomicReference<>();
    private final Valuations valuations;
    private final Dashboard dashboard;
    private final History history;
    // so a reference says nothing about the id to someone who guesses ids
    private final String refSalt = AccessGuard.randomToken();

    Pages(FolioSync folio, SyncJobs jobs, SchwabLink schwab, Views views) {
        this.folio = folio;
        this.jobs = jobs;
        this.schwab = schwab;
        this.views = views;
        this.pluginPages = new PluginPages(folio, this);
        this.valuations = new Valuations(folio);
        this.dashboard = new Dashboard(valuations);
        this.history = new History(folio);
        // the day rows are extended and the series priced right after a sync, so the dashboard answers from memory
        jobs.afterSync(() -> {
            try {
                history.series(Optional.empty());
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Pages.class).warn("value over time after the sync: {}",
                        e.getMessage());
            }
        });
        // the history table is in the panel too: each event redraws it, so a job that ends shows without a reload
        jobs.renderWith(() -> {
            JobHistory h = jobHistory();
            return views.render("progress.jte", Map.of("running", jobs.running(), "recent", jobs.recent(),
                    "history", h.rows(), "historyIds", h.ids()));
        });
    }

    void register(RoutesConfig r) {
        r.get("/", ctx -> dashboard.page(ctx, this));
        r.get("/history", ctx -> history.page(ctx, this));
        r.get("/history.json", history::json);
        r.get("/crypto", this::crypto);
        r.get("/brokers", this::brokers);
        r.get("/jobs", this::jobsPage);
        r.get("/holdings", this::holdings);
        r.get("/transactions", this::transactions);
        r.get("/reconciliation", this::reconciliation);
        r.sse("/jobs/events", jobs::addClient);
        r.post("/sources/{ref}/test", this::test);
        r.post("/sync", this::sync);
        r.post("/brokers/schwab/connect", this::schwabConnect);
        r.get(Console.SCHWAB_CALLBACK_PATH, this::schwabCallback);
        pluginPages.register(r);
    }

    // ------------------------------------------------------------------------------------------- pages

    /** A source of the configuration, as the Crypto and Brokers pages list it. */
    /** @param leftOut what {@code total} leaves out and why; empty when nothing */
    record SourceRow(String ref, String label, List<KeyState> keys, Optional<Tested> test, Optional<LastJob> last,
                     List<ValuedRow> balances, String total, String leftOut) {
    }

    /**
     * What the last Test said: the source accepted the keys, refused them, could not be reached (which says nothing
     * about the keys), or failed otherwise.
     */
    record Tested(String state, String message) {
        static final String ACCEPTED = "accepted";
        static final String REFUSED = "refused";
        static final String UNREACHABLE = "unreachable";
        static final String FAILED = "failed";

        boolean success() {
            return state.equals(ACCEPTED);
        }

        String sentence() {
            return switch (state) {
                case ACCEPTED -> "keys accepted: the source answered an authenticated request";
                case REFUSED -> "keys refused - " + message;
                case UNREACHABLE -> "unreachable, so the keys were not checked - " + message;
                default -> "the test failed - " + message;
            };
        }
    }

    /** Whether a key is set; never its value. */
    record KeyState(String name, boolean set) {
    }

    /**
     * @param status   the job's status as stored, or {@code partial} for a succeeded job that rejected records
     * @param rejected records a validation rule rejected
     */
    record LastJob(String status, String when, String counts, String error, long rejected) {
        /** @return the status in a person's words: a partial job imported everything but the rejected records */
        String label() {
            return status.equals(PARTIAL) ? "imported, but " + rejected + (rejected == 1 ? " record" : " records")
                    + " rejected (foliosync rejected)" : status;
        }
    }

    /** A succeeded job that rejected records: {@code import_jobs.status} says {@code succeeded}, its count says more. */
    static final String PARTIAL = "partial";

    /**
     * @param priceFrom where the price is from and how old it is ({@code kraken, 2 h}), or why there is none
     * @param terms     the contract's terms when they are not a plain unit ({@code x100}, {@code % of par})
     */
    record ValuedRow(String account, String symbol, String quantity, String price, String currency, String value,
                     String flag, String priceFrom, String terms) {
    }

    private void crypto(Context ctx) {
        ConfigSection section = FolioSyncInternals.config(folio).section(CRYPTO_SECTION);
        Valuations.Valued valued = valuations.valued();
        List<SourceRow> rows = new ArrayList<>();
        for (String id : sourceIds(CRYPTO_SECTION)) {
            ConfigSection exchange = exchangeSection(section, id);
            List<KeyState> keys = new ArrayList<>();
            for (String k : List.of("api_key", "api_secret", "passphrase")) {
                if (!k.equals("passphrase") || exchange.has(k)) {
                    keys.add(new KeyState(k, exchange.secret(k).isPresent() || exchange.string(k).isPresent()));
                }
            }
            rows.add(sourceRow(id, keys, valued));
        }
        page(ctx, "crypto.jte", "Crypto", Map.of("rows", rows, "base", valued.base(), "valuationNote",
                valued.problem()));
    }

    private SourceRow sourceRow(String id, List<KeyState> keys, Valuations.Valued valued) {
        Valuation part = valued.valuation().where(h -> belongsTo(h.holding(), id));
        List<ValuedRow> mine = valued.rows().stream().filter(r -> belongsTo(r.valued().holding(), id))
                .map(Valuations.Valued.Row::row).toList();
        return new SourceRow(ref(id), Views.scrub(id), keys, Optional.ofNullable(tested.get(id)), lastJob(id), mine,
                mine.isEmpty() ? "" : Views.money(part.total(2)), part.exclusionSummary());
    }

    /** @return whether a stored holding is the source's ({@link io.foliosync.examples.sources.Sources#belongsTo}) */
    private static boolean belongsTo(Holding h, String sourceId) {
        // the Schwab card shows the API's accounts only; the CSV export has a card of its own
        if (h.source().equals("schwab") && sourceId.equals(h.source()) && h.accountId().startsWith("csv:")) {
            return false;
        }
        return io.foliosync.examples.sources.Sources.belongsTo(h.source(), h.accountId(), sourceId);
    }

    private static ConfigSection exchangeSection(ConfigSection section, String id) {
        if (section.has(id)) {
            return section.section(id);
        }
        int dash = id.indexOf('-');
        return dash > 0 && section.has(id.substring(0, dash)) ? section.section(id.substring(0, dash))
                : ConfigSection.empty(section.path() + "." + id);
    }

    record BrokerPage(boolean ibkrConfigured, List<SourceRow> ibkr, List<String> flexFiles, int flexQueries, boolean flexToken,
                      List<SourceRow> schwabSources, SchwabLink.Status schwab) {
    }

    private void brokers(Context ctx) {
        Valuations.Valued valued = valuations.valued();
        ConfigSection ib = FolioSyncInternals.config(folio).section(IBKR_SECTION);
        ConfigSection flex = ib.section("flex");
        List<SourceRow> ibkr = sourceIds(IBKR_SECTION).stream().map(id -> sourceRow(id, List.of(), valued)).toList();
        List<SourceRow> schwabRows = sourceIds(SchwabLink.SECTION).stream()
                .map(id -> sourceRow(id, List.of(), valued)).toList();
        BrokerPage model = new BrokerPage(!ib.keys().isEmpty(), ibkr, flex.strings("files").stream()
                .map(f -> Path.of(f).getFileName().toString()).toList(), flex.strings("query_ids").size(),
                flex.secret("token").isPresent(), schwabRows, schwab.status());
        page(ctx, "brokers.jte", "Brokers", Map.of("model", model, "base", valued.base()));
    }




    /** The last 50 jobs of the database, newest first, and their sources' names. */
    record JobHistory(List<LastJob> rows, List<String> ids) {
    }

    private JobHistory jobHistory() {
        List<LastJob> rows = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (JobRecord j : folio.query().jobs(Optional.empty(), 50)) {
            ids.add(Views.scrub(j.sourceName()));
            rows.add(lastJob(j));
        }
        return new JobHistory(rows, ids);
    }

    private void jobsPage(Context ctx) {
        JobHistory h = jobHistory();
        Map<String, String> sources = new LinkedHashMap<>();
        folio.sourceIds().forEach(id -> sources.put(ref(id), Views.scrub(id)));
        List<SinkRow> sinks = folio.query().sinkDeliveries().stream().map(d -> new SinkRow(d.sink(),
                Accounts.label(d.sourceName(), d.accountId()), d.deliveredAt().map(Views::when).orElse("never"),
                Views.when(d.attemptedAt()), d.lastError().map(Views::scrub).orElse(""))).toList();
        page(ctx, "jobs.jte", "Jobs", Map.of("sources", sources, "history", h.rows(), "historyIds", h.ids(),
                "running", jobs.running(), "recent", jobs.recent(), "sinks", sinks));
    }

    /** What a sink (Ghostfolio) last received of an account, as the Jobs page lists it. */
    record SinkRow(String sink, String account, String delivered, String attempted, String error) {
    }

    private void holdings(Context ctx) {
        Valuations.Valued valued = valuations.valued();
        page(ctx, "holdings.jte", "Holdings", Map.of("rows", valued.rows(), "base", valued.base(),
                "total", Views.money(valued.valuation().total(2)),
                "leftOut", valued.valuation().exclusionSummary(),
                "valuationNote", valued.problem()));
    }

    /**
     * @param quantity   signed by direction: units arriving {@code +}, leaving {@code -}
     * @param amount     the cash effect, signed: a withdrawal, a fee or a buy's cost negative
     * @param amountSign {@code pos}/{@code neg}, the class that colours the amount (its sign says it too)
     * @param fees       the fees as a negative amount; empty when none
     */
    record TxRow(String date, String source, String account, String type, String symbol, String quantity,
                 String price, String amount, String amountSign, String currency, String fees, String description) {
    }

    /** @return a transaction's cash effect with its sign: money out of the account is negative */
    static java.math.BigDecimal cashEffect(io.foliosync.connectors.api.Transaction t) {
        return switch (t.type()) {
            case SELL, DIVIDEND, INTEREST, DEPOSIT, TRANSFER_IN, REWARD -> t.amount();
            case BUY, WITHDRAWAL, FEE, TRANSFER_OUT, TAX -> t.amount().negate();
            case SPLIT, OTHER -> t.amount();
        };
    }

    record TxFilter(String source, String symbol, String type, String from, String to, int size) {
        String query() {
            StringBuilder b = new StringBuilder();
            if (size != PAGE_SIZE) {
                b.append("&size=").append(size);
            }
            append(b, "source", source);
            append(b, "symbol", symbol);
            append(b, "type", type);
            append(b, "from", from);
            append(b, "to", to);
            return b.toString();
        }

        private static void append(StringBuilder b, String k, String v) {
            if (!v.isEmpty()) {
                b.append('&').append(k).append('=').append(java.net.URLEncoder.encode(v,
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    private void transactions(Context ctx) {
        TxFilter f = new TxFilter(param(ctx, "source"), param(ctx, "symbol").toUpperCase(Locale.ROOT),
                param(ctx, "type"), param(ctx, "from"), param(ctx, "to"), size(param(ctx, "size")));
        Optional<TransactionType> type;
        try {
            type = f.type().isEmpty() ? Optional.empty() : Optional.of(TransactionType.valueOf(f.type()));
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse("type: no transaction type " + f.type());
        }
        TransactionPageQuery q = new TransactionPageQuery(opt(f.source()), Optional.empty(), opt(f.symbol()), type,
                date(f.from(), "from"), date(f.to(), "to"), Optional.empty(), f.size());
        String after = param(ctx, "after");
        if (!after.isEmpty()) {
            q = q.after(key(after));
        }
        TransactionPage page = folio.query().transactions(q);
        List<TxRow> rows = new ArrayList<>();
        for (StoredTransaction s : page.rows()) {
            var t = s.transaction();
            BigDecimal cash = cashEffect(t);
            boolean unitsOut = !t.type().isInflow() && t.type() != TransactionType.SPLIT
                    && t.type() != TransactionType.OTHER;
            rows.add(new TxRow(t.tradeDate().toString(), s.sourceName(), Accounts.label(s.sourceName(), t.accountId()),
                    t.type().name(), t.symbol().orElse(""), Views.signedQuantity(t.quantity(), unitsOut),
                    t.price().map(Views::price).orElse(""), Views.signedMoney(cash), Views.sign(cash), t.currency(),
                    t.fees().signum() == 0 ? "" : Views.signedMoney(t.fees().negate()),
                    Views.scrub(t.description().orElse(""))));
        }
        String next = page.next().map(k -> k.tradeDate() + "." + k.rowId()).orElse("");
        List<String> types = java.util.Arrays.stream(TransactionType.values()).map(Enum::name).toList();
        page(ctx, "transactions.jte", "Transactions", Map.of("rows", rows, "filter", f, "next", next,
                "paged", !after.isEmpty(), "sources", folio.query().holdingNamespaces(), "types", types));
    }

    record ReconRow(String source, String account, String asset, String reported, String derived,
                    String difference, String status, String opening, String divergedOn, String suspects,
                    String score) {
    }

    private void reconciliation(Context ctx) {
        List<ReconRow> rows = new ArrayList<>();
        for (AccountReconciliation a : folio.query().reconciliations(Optional.empty())) {
            a.assets().forEach(r -> rows.add(new ReconRow(a.namespace(), Accounts.label(a.namespace(), a.accountId()),
                    r.asset(),
                    // not reported is not 0: said in words, and no difference is shown
                    r.reportedQuantity().map(Views::quantity).orElse("not reported"), Views.quantity(r.derived()),
                    r.reportedDifference().map(d -> Views.signedQuantity(d.abs(), d.signum() < 0)).orElse(""),
                    r.status().name().toLowerCase(Locale.ROOT), r.openingQuantity().map(Views::quantity).orElse(""),
                    r.divergedOn().map(Object::toString).orElse(""),
                    String.join("; ", java.util.stream.Stream.concat(r.suspectRecords().stream(),
                            r.countedOther().stream().map(o -> "counted: " + o)).toList()),
                    a.dataQualityScore().toPlainString())));
        }
        page(ctx, "reconciliation.jte", "Reconciliation", Map.of("rows", rows));
    }

    // ------------------------------------------------------------------------------------------- actions

    private void test(Context ctx) {
        String id = resolve(ctx.pathParam("ref"));
        String label = Views.scrub(id);
        String back = back(ctx);
        try {
            AuthenticationResult r = folio.testCredentials(id);
            Tested t = new Tested(r.success() ? Tested.ACCEPTED : Tested.REFUSED, Views.scrub(r.message()));
            tested.put(id, t);
            note(r.success(), label + ": " + t.sentence());
        } catch (SourceBusyException e) {
            note(false, label + " is syncing now: test it when the sync ends");
        } catch (io.foliosync.connectors.api.HttpStatusException e) {
            // 401/403: the source answered and refused; anything else (a 5xx) answered nothing about the keys
            boolean refused = e.status() == 401 || e.status() == 403;
            Tested t = new Tested(refused ? Tested.REFUSED : Tested.UNREACHABLE, Views.scrub(e.getMessage()));
            tested.put(id, t);
            note(false, label + ": " + t.sentence());
        } catch (io.foliosync.connectors.api.NetworkException | io.foliosync.connectors.api.RateLimitException
                 | io.foliosync.connectors.api.DeadlineExceededException e) {
            // the source did not answer the question: the keys are neither accepted nor refused
            Tested t = new Tested(Tested.UNREACHABLE, Views.scrub(e.getMessage()));
            tested.put(id, t);
            note(false, label + ": " + t.sentence());
        } catch (io.foliosync.connectors.api.AuthenticationException e) {
            Tested t = new Tested(Tested.REFUSED, Views.scrub(e.getMessage()));
            tested.put(id, t);
            note(false, label + ": " + t.sentence());
        } catch (io.foliosync.connectors.api.FolioSyncException e) {
            Tested t = new Tested(Tested.FAILED, Views.scrub(e.getMessage()));
            tested.put(id, t);
            note(false, label + ": " + t.sentence());
        }
        ctx.redirect(back, HttpStatus.SEE_OTHER);
    }

    private void sync(Context ctx) {
        String ref = ctx.formParam("source");
        String source = ref == null || ref.isEmpty() ? "" : resolve(ref);
        jobs.start(source.isEmpty() ? List.of() : List.of(source));
        note(true, "sync of " + (source.isEmpty() ? "every source" : Views.scrub(source)) + " started");
        ctx.redirect("/jobs", HttpStatus.SEE_OTHER);
    }

    private void schwabConnect(Context ctx) {
        try {
            ctx.redirect(schwab.authorizationUrl().toString(), HttpStatus.SEE_OTHER);
        } catch (io.foliosync.connectors.api.ConfigurationException e) {
            note(false, "Schwab: " + String.join("; ", e.problems()));
            ctx.redirect("/brokers", HttpStatus.SEE_OTHER);
        }
    }

    private void schwabCallback(Context ctx) {
        String url = ctx.fullUrl();
        try {
            schwab.complete(url);
            note(true, "Schwab authorized until " + schwab.status().authorizedUntil().map(Views::when).orElse("?")
                    + ": connect again before then");
        } catch (io.foliosync.connectors.api.FolioSyncException e) {
            note(false, "Schwab: " + Views.scrub(e.getMessage()));
        }
        // to the console's own address (the callback may have arrived on another name, without the cookie)
        ctx.redirect("/brokers", HttpStatus.SEE_OTHER);
    }




    // ------------------------------------------------------------------------------------------- helpers

    void page(Context ctx, String template, String title, Map<String, Object> params) {
        ctx.html(views.page(template, title, title.toLowerCase(Locale.ROOT), Optional.ofNullable(note.getAndSet(null)),
                params));
    }

    void note(boolean ok, String text) {
        note.set(new Views.Note(ok, text));
    }

    private List<String> sourceIds(String section) {
        try {
            return folio.sourceIds(section);
        } catch (IllegalArgumentException e) {
            return List.of(); // the section configures no enabled source
        }
    }

    Optional<LastJob> lastJob(String sourceId) {
        return folio.query().jobs(Optional.of(sourceId), 1).stream().findFirst().map(Pages::lastJob);
    }

    private static LastJob lastJob(JobRecord j) {
        var c = j.counts();
        String status = j.status() == JobStatus.SUCCEEDED && c.rejected() > 0 ? PARTIAL
                : j.status().name().toLowerCase(Locale.ROOT);
        return new LastJob(status, Views.when(j.startedAt()),
                c.imported() + " new, " + c.updated() + " updated, " + c.skipped() + " unchanged, " + c.rejected()
                        + " rejected", Views.scrub(j.error().orElse("")), c.rejected());
    }



    /**
     * @return the opaque reference forms carry for a source: source ids can hold a full account number
     *         ({@code ibkr-U1234567}), which the console never puts in a page
     */
    String ref(String sourceId) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest((refSalt + sourceId)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private String resolve(String ref) {
        return folio.sourceIds().stream().filter(id -> ref(id).equals(ref)).findFirst()
                .orElseThrow(() -> new BadRequestResponse("no such source (the page is older than the console: reload it)"));
    }


    private static String back(Context ctx) {
        String to = ctx.formParam("back");
        // only the console's own pages: never an absolute URL (an open redirect)
        return to != null && to.matches("/[a-z]+") ? to : "/";
    }

    private static String param(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null ? "" : v.trim();
    }

    private static Optional<String> opt(String v) {
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    private static Optional<LocalDate> date(String v, String name) {
        try {
            return v.isEmpty() ? Optional.empty() : Optional.of(LocalDate.parse(v));
        } catch (DateTimeParseException e) {
            throw new BadRequestResponse(name + ": write the date as YYYY-MM-DD, not " + v);
        }
    }

    private static int size(String v) {
        try {
            int n = v.isEmpty() ? PAGE_SIZE : Integer.parseInt(v);
            if (n >= 10 && n <= 500) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is allowed
        }
        throw new BadRequestResponse("size: rows per page, 10 to 500");
    }

    private static TransactionPageQuery.Key key(String after) {
        int dot = after.indexOf('.');
        try {
            return new TransactionPageQuery.Key(LocalDate.parse(after.substring(0, dot)),
                    Long.parseLong(after.substring(dot + 1)));
        } catch (RuntimeException e) {
            throw new BadRequestResponse("after: not a page position");
        }
    }


    void close() {
        pluginPages.close();
    }
}
