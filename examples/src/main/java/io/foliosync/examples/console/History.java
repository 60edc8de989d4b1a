package io.foliosync.examples.console;

import io.foliosync.imports.internal.FolioSyncInternals;
import io.foliosync.connectors.api.json.Json;
import io.foliosync.examples.valuation.HistoryValues;
import io.foliosync.imports.FolioSync;
import io.foliosync.imports.history.ValueHistory;
import io.foliosync.imports.query.JobRecord;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Value over time: the dashboard's chart reads {@code /history.json}; {@code /history} is the same days as a table.
 * A series is computed once per finished job and base currency ({@link HistoryValues}; the history itself is stored
 * and extended incrementally), so a page view after the first answers from memory.
 */
final class History {
    private final FolioSync folio;
    private final Map<String, Cached> cache = new LinkedHashMap<>();

    History(FolioSync folio) {
        this.folio = folio;
    }

    private record Cached(String key, HistoryValues.Result result) {
    }

    /** @param currency the base currency; empty for the configured one */
    synchronized HistoryValues.Result series(Optional<String> currency) {
        Optional<JobRecord> latest = folio.query().jobs(Optional.empty(), 1).stream().findFirst();
        java.time.LocalDate today = java.time.LocalDate.ofInstant(FolioSyncInternals.connectorContext(folio).clock().instant(),
                FolioSyncInternals.connectorContext(folio).clock().getZone());
        String key = latest.map(j -> j.id() + "/" + j.completedAt().orElse(null)).orElse("") + "/" + today;
        String slot = currency.orElse("");
        Cached c = cache.get(slot);
        if (c != null && c.key().equals(key)) {
            return c.result();
        }
        HistoryValues.Result r = HistoryValues.series(folio, currency, Optional.empty(), Optional.empty(),
                FolioSyncInternals.connectorContext(folio).clock());
        cache.put(slot, new Cached(key, r));
        return r;
    }

    /** The chart's data: one point per day, a value or none (a day without a price), and the day's flows. */
    void json(Context ctx) {
        HistoryValues.Result r = series(currency(ctx));
        List<Map<String, Object>> points = new ArrayList<>();
        for (ValueHistory.Point p : r.series().points()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("day", p.day().toString());
            o.put("value", p.value().map(History::cents).orElse(null));
            o.put("flow", p.flow().signum() == 0 ? null : cents(p.flow()));
            o.put("unpriced", p.unpriced());
            points.add(o);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("base_currency", r.series().baseCurrency());
        out.put("left_out", r.series().leftOut());
        out.put("points", points);
        ctx.contentType("application/json").result(Json.moshi().adapter(Object.class).serializeNulls().toJson(out));
    }

    /** A day of the table view. */
    record Row(String day, String value, String flow, String flowSign, String note) {
    }

    /** Days per page of the table view: a quarter. */
    static final int DAYS_PER_PAGE = 92;

    void page(Context ctx, Pages pages) {
        HistoryValues.Result r = series(currency(ctx));
        List<Row> rows = new ArrayList<>();
        List<ValueHistory.Point> points = r.series().points();
        int pageCount = Math.max(1, (points.size() + DAYS_PER_PAGE - 1) / DAYS_PER_PAGE);
        int page = pageNumber(ctx.queryParam("page"), pageCount);
        int newest = points.size() - 1 - page * DAYS_PER_PAGE;
        int oldest = Math.max(0, newest - DAYS_PER_PAGE + 1);
        for (int i = newest; i >= oldest; i--) {
            ValueHistory.Point p = points.get(i);
            rows.add(new Row(p.day().toString(), p.value().map(Views::money).orElse(""),
                    p.flow().signum() == 0 ? "" : Views.signedMoney(p.flow()), Views.sign(p.flow()),
                    p.unpriced().isEmpty() ? "" : "no price for " + String.join(", ", p.unpriced())));
        }
        long gaps = points.stream().filter(p -> p.value().isEmpty()).count();
        String base = r.series().baseCurrency();
        pages.page(ctx, "history.jte", "Value over time", Map.of("rows", rows, "base", base,
                "leftOut", String.join(", ", r.series().leftOut()), "gaps", gaps, "days", points.size(),
                "newer", page == 0 ? "" : "/history?currency=" + base + "&page=" + (page - 1),
                "older", page + 1 >= pageCount ? "" : "/history?currency=" + base + "&page=" + (page + 1),
                "span", rows.isEmpty() ? "" : rows.get(rows.size() - 1).day() + " to " + rows.get(0).day()));
    }

    private static int pageNumber(String v, int pageCount) {
        try {
            int n = v == null || v.isBlank() ? 0 : Integer.parseInt(v.trim());
            if (n >= 0 && n < pageCount) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is allowed
        }
        throw new BadRequestResponse("page: 0 (the latest " + DAYS_PER_PAGE + " days) to " + (pageCount - 1));
    }

    private static Optional<String> currency(Context ctx) {
        String c = ctx.queryParam("currency");
        if (c == null || c.isBlank()) {
            return Optional.empty();
        }
        String code = c.trim().toUpperCase(Locale.ROOT);
        if (!code.matches("[A-Z]{3}")) {
            throw new BadRequestResponse("currency: a three-letter ISO 4217 code such as USD or EUR, not " + c);
        }
        return Optional.of(code);
    }

    private static String cents(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
