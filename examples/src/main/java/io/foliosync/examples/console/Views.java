package io.foliosync.examples.console;

import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Renders the templates, and the few ways the pages show values: masked, rounded, in local time. */
final class Views {
    // An account number as brokers and banks write them: optional letters, then five or more digits.
    private static final Pattern ACCOUNT_NUMBER = Pattern.compile("\\b[A-Za-z]{0,3}\\d+(\\d{4})\\b");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    private final TemplateEngine engine;
    private final AccessGuard guard;

    Views(TemplateEngine engine, AccessGuard guard) {
        this.engine = engine;
        this.guard = guard;
    }

    /** What every page's frame needs. */
    record Chrome(String title, String active, String csrf, Optional<Note> note) {
    }

    /** A one-time message about what the last action did. */
    record Note(boolean ok, String text) {
    }

    String page(String template, String title, String active, Optional<Note> note, Map<String, Object> params) {
        java.util.HashMap<String, Object> all = new java.util.HashMap<>(params);
        all.put("chrome", new Chrome(title, active, guard.csrf(), note));
        return render(template, all);
    }

    String render(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        engine.render(template, params, out);
        return out.toString();
    }

    /** @return an account number cut to its last four characters ({@code …4321}); short ids stay as they are */
    static String mask(String account) {
        if (account == null) {
            return "";
        }
        boolean numberLike = account.chars().filter(Character::isDigit).count() >= 4;
        return numberLike && account.length() > 4 ? "…" + account.substring(account.length() - 4) : account;
    }

    /** @return a message with every account-number-like word masked as {@link #mask} does */
    static String scrub(String message) {
        return message == null ? "" : ACCOUNT_NUMBER.matcher(message).replaceAll("…$1");
    }

    static String when(Instant t) {
        return t == null ? "" : WHEN.format(t);
    }

    static String when(Optional<Instant> t) {
        return t.map(Views::when).orElse("");
    }

    /** The same figures `foliosync value` prints: two decimals, thousands grouped. */
    static String money(BigDecimal v) {
        return v == null ? "" : io.foliosync.examples.valuation.HoldingValues.money(v);
    }

    static String money(Optional<BigDecimal> v) {
        return v.map(Views::money).orElse("");
    }

    static String plain(BigDecimal v) {
        return v == null ? "" : v.stripTrailingZeros().toPlainString();
    }

    static String plain(Optional<BigDecimal> v) {
        return v.map(Views::plain).orElse("");
    }

    static String took(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : String.format(java.util.Locale.ROOT, "%.1f s",
                d.toMillis() / 1000.0);
    }
}
