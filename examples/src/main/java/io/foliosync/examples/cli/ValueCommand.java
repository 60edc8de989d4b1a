package io.foliosync.examples.cli;

import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.json.Json;
import io.foliosync.connectors.marketdata.Exclusion;
import io.foliosync.connectors.marketdata.Valuation;
import io.foliosync.connectors.marketdata.ValuedHolding;
import io.foliosync.examples.valuation.HoldingValues;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Values the stored holdings: each at its freshest price (the source's at the sync, or a newer market-data quote),
 * by its contract terms, in one currency; the total says what it leaves out.
 */
@Command(name = "value", mixinStandardHelpOptions = true,
        description = "Values the latest holdings in one currency: each at its freshest price (its source's at the "
                + "sync or a newer market-data quote), by its contract multiplier and price convention; the total "
                + "lists every holding it leaves out and why. Without market data, at the sources' prices.")
final class ValueCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    QueryOptions query;

    @Option(names = "--currency", paramLabel = "ISO", description = "Base currency (default: the market_data "
            + "section's, else USD).")
    String currency;

    @Option(names = "--history", description = "Instead of today's holdings: the value per day, in total and per "
            + "account, from the imported history and daily closes (--from/--to bound it; the last day is today's "
            + "total). A day without a price for something held says so instead of a value; deposits and withdrawals "
            + "are in their own column.")
    boolean history;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (history) {
            return history(out);
        }
        try (Workspace ws = Workspace.open(options, false, System.getenv())) {
            List<Holding> holdings = HoldingsCommand.latestHoldings(ws.query()).stream()
                    .filter(h -> query.matches(h.source(), h.accountId(), h.symbol(), null)).toList();
            HoldingValues.Result result = value(ws, holdings, Optional.ofNullable(currency));
            print(out, result, query.format, query.raw);
            return 0;
        }
    }

    private int history(PrintWriter out) {
        try (Workspace ws = Workspace.open(options, false, System.getenv())) {
            io.foliosync.examples.valuation.HistoryValues.Result r;
            try {
                r = ws.hasConfig() ? io.foliosync.examples.valuation.HistoryValues.series(ws.folio(),
                        Optional.ofNullable(currency), Optional.ofNullable(query.from), Optional.ofNullable(query.to),
                        ws.clock())
                        : io.foliosync.examples.valuation.HistoryValues.withoutMarketData(ws.jdbcStore(),
                        Optional.ofNullable(currency), Optional.ofNullable(query.from), Optional.ofNullable(query.to),
                        ws.clock(), "no configuration file");
            } catch (IllegalArgumentException e) {
                throw new io.foliosync.connectors.api.ConfigurationException(null, "--currency: " + e.getMessage());
            }
            printHistory(out, r, query.format, query.raw);
            return 0;
        }
    }

    /** One row per day: the total, what came in or went out, why a day has no value, and each account's value. */
    static void printHistory(PrintWriter out, io.foliosync.examples.valuation.HistoryValues.Result r,
                             OutputFormat format, boolean raw) {
        io.foliosync.imports.history.ValueHistory.Series s = r.series();
        List<io.foliosync.imports.history.ValueHistory.Account> accounts = s.points().stream()
                .flatMap(p -> p.accounts().keySet().stream()).distinct().toList();
        String base = s.baseCurrency().toLowerCase(Locale.ROOT);
        List<String> columns = new ArrayList<>(List.of("date", "value_" + base, "deposits_withdrawals_" + base,
                "no_price"));
        accounts.forEach(a -> columns.add(a.sourceName() + "/" + a.accountId()));
        List<List<Object>> rows = new ArrayList<>();
        for (var p : s.points()) {
            List<Object> row = new ArrayList<>(Arrays.asList(p.day().toString(),
                    p.value().map(ValueCommand::cents).orElse(null), cents(p.flow()), String.join("; ", p.unpriced())));
            accounts.forEach(a -> row.add(p.accounts().getOrDefault(a, Optional.empty()).map(ValueCommand::cents)
                    .orElse(null)));
            rows.add(row);
        }
        if (format == OutputFormat.JSON) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("base_currency", s.baseCurrency());
            o.put("days", s.points().size());
            o.put("left_out", s.leftOut());
            o.put("today_note", r.today().note());
            o.put("points", OutputFormat.objects(columns, rows));
            out.println(Json.moshi().adapter(Object.class).indent("  ").toJson(o));
            out.flush();
            return;
        }
        format.print(out, columns, rows, raw);
        if (format == OutputFormat.TABLE) {
            long gaps = s.points().stream().filter(p -> p.value().isEmpty()).count();
            out.println();
            out.println(s.points().size() + " days in " + s.baseCurrency() + (gaps == 0 ? "" : "; " + gaps
                    + " without a price for something held (no value, not a dip)") + (s.leftOut().isEmpty() ? ""
                    : "; never priced, left out of every day: " + String.join(", ", s.leftOut()))
                    + "; the last day is `foliosync value`'s total");
            out.flush();
        }
    }

    private static OutputFormat.FormattedNumber cents(BigDecimal v) {
        return OutputFormat.number(v.setScale(2, RoundingMode.HALF_EVEN));
    }

    static HoldingValues.Result value(Workspace ws, List<Holding> holdings, Optional<String> currency) {
        try {
            if (!ws.hasConfig()) {
                return HoldingValues.atSourcePrices(holdings, currency, ws.clock(), "no configuration file");
            }
            return HoldingValues.value(ws.folio(), holdings, currency, ws.clock());
        } catch (IllegalArgumentException e) {
            throw new io.foliosync.connectors.api.ConfigurationException(null, "--currency: " + e.getMessage());
        }
    }

    private static String problems(List<String> problems, OutputFormat format) {
        String all = String.join("; ", problems);
        // A table stays readable; csv and json carry every word.
        return format == OutputFormat.TABLE && all.length() > 90 ? all.substring(0, 89) + "…" : all;
    }

    static void print(PrintWriter out, HoldingValues.Result result, OutputFormat format, boolean raw) {
        Valuation v = result.valuation();
        Instant now = v.valuedAt();
        String base = v.baseCurrency().toLowerCase(Locale.ROOT);
        List<String> columns = List.of("source", "account", "symbol", "quantity", "price", "price_ccy", "terms",
                "price_origin", "price_as_of", "price_age", "price_source", "fx_rate", "fx_source", "value_" + base, "flag",
                "problems");
        List<List<Object>> rows = new ArrayList<>();
        for (ValuedHolding h : v.holdings()) {
            rows.add(Arrays.asList(h.holding().source(), h.holding().accountId(), h.holding().symbol(),
                    h.holding().quantity(), h.price().orElse(null), h.priceCurrency(), HoldingValues.terms(h.terms()),
                    h.priceOrigin().name().toLowerCase(Locale.ROOT),
                    h.priceAsOf().map(t -> t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()).orElse(""),
                    h.price().isEmpty() ? "" : HoldingValues.age(h.priceAge(now)), h.priceSource().orElse(""),
                    h.fxRate().map(fx -> fx.rate().round(new MathContext(8))).orElse(null),
                    h.fxRate().filter(fx -> !fx.from().equals(fx.to())).map(fx -> fx.source() + " " + fx.date())
                            .orElse(""),
                    h.baseValue().map(x -> x.setScale(2, RoundingMode.HALF_EVEN)).orElse(null),
                    h.exclusionReason().map(r -> "left out: " + r.describe()).orElse(h.stale() ? "stale" : ""),
                    problems(h.problems(), format)));
        }
        if (format == OutputFormat.JSON) {
            json(out, v, result.note(), columns, rows);
            return;
        }
        format.print(out, columns, rows, raw);
        if (format == OutputFormat.TABLE) {
            out.println();
            out.println(totalLine(v));
            if (!result.note().isEmpty()) {
                out.println("Note: " + result.note() + ".");
            }
            out.flush();
        }
    }

    /** @return the total, and what it leaves out and how many prices are stale, in one line */
    static String totalLine(Valuation v) {
        String left = v.exclusionSummary();
        return "Total " + v.baseCurrency() + " " + HoldingValues.money(v.total(2)) + " of " + v.holdings().size()
                + (v.holdings().size() == 1 ? " holding" : " holdings")
                + (left.isEmpty() ? ", nothing left out" : "; " + left)
                + (v.stale().isEmpty() ? "" : "; " + v.stale().size() + " prices are stale");
    }

    /** One object: the total, what it leaves out and why, and every row. */
    private static void json(PrintWriter out, Valuation v, String note, List<String> columns, List<List<Object>> rows) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("base_currency", v.baseCurrency());
        o.put("valued_at", v.valuedAt().toString());
        o.put("total", v.total(2));
        o.put("holdings_count", v.holdings().size());
        o.put("valued_count", v.holdings().size() - v.exclusions().size());
        o.put("source_prices_only", v.sourcePricesOnly());
        o.put("note", note);
        List<Map<String, Object>> left = new ArrayList<>();
        for (Exclusion e : v.exclusions()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("source", e.holding().holding().source());
            x.put("account", e.holding().holding().accountId());
            x.put("symbol", e.holding().holding().symbol());
            x.put("reason", e.reason().code());
            x.put("currency", e.currency());
            x.put("local_value", e.localValue().orElse(null));
            left.add(x);
        }
        o.put("left_out", left);
        o.put("left_out_value_by_currency", new LinkedHashMap<>(v.excludedValueByCurrency()));
        o.put("left_out_summary", v.exclusionSummary());
        o.put("stale_count", v.stale().size());
        o.put("holdings", OutputFormat.objects(columns, rows));
        out.println(Json.moshi().adapter(Object.class).indent("  ").toJson(o));
        out.flush();
    }
}
