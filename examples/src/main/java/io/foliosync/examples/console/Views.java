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

    // the reader's locale for grouping and decimal marks, set for each request from its Accept-Language
    private static final ThreadLocal<java.util.Locale> LOCALE = ThreadLocal.withInitial(() -> java.util.Locale.US);
    // a price kept to eight significant digits: enough for any quote, and no binary-float noise (416.1199951)
    private static final java.math.MathContext PRICE_DIGITS = new java.math.MathContext(8, RoundingMode.HALF_EVEN);

    /** @param locale the locale the page's numbers are written in until the next call on this thread */
    static void locale(java.util.Locale locale) {
        LOCALE.set(locale);
    }

    static java.util.Locale locale() {
        return LOCALE.get();
    }

    /** The same figures `foliosync value` prints: two decimals, thousands grouped (in the reader's locale). */
    static String money(BigDecimal v) {
        return v == null ? "" : grouped(v.setScale(2, RoundingMode.HALF_EVEN), 2);
    }

    /** @return an amount with its sign always written ({@code +1,200.00}, {@code −4.50}) */
    static String signedMoney(BigDecimal v) {
        return v == null ? "" : (v.signum() > 0 ? "+" : "") + money(v);
    }

    /** @return a price at its meaningful precision: at most eight significant digits, at least two decimals */
    static String price(BigDecimal v) {
        if (v == null) {
            return "";
        }
        BigDecimal p = v.round(PRICE_DIGITS).stripTrailingZeros();
        return grouped(p.scale() < 2 ? p.setScale(2) : p, Math.max(2, p.scale()));
    }

    /** @return a quantity exactly as held, thousands grouped, without trailing zeros */
    static String quantity(BigDecimal v) {
        if (v == null) {
            return "";
        }
        BigDecimal q = v.stripTrailingZeros();
        return grouped(q.scale() < 0 ? q.setScale(0) : q, Math.max(0, q.scale()));
    }

    /** @return a quantity with its direction's sign ({@code −0.5} for units leaving the account) */
    static String signedQuantity(BigDecimal v, boolean out) {
        return v == null || v.signum() == 0 ? quantity(v) : (out ? "-" : "+") + quantity(v.abs());
    }

    /** @return {@code pos}, {@code neg} or empty: the class that colours a signed amount (the sign says it too) */
    static String sign(BigDecimal v) {
        return v == null || v.signum() == 0 ? "" : v.signum() > 0 ? "pos" : "neg";
    }

    private static String grouped(BigDecimal v, int decimals) {
        java.text.DecimalFormat f = (java.text.DecimalFormat) java.text.NumberFormat.getNumberInstance(LOCALE.get());
        f.setGroupingUsed(true);
        f.setMinimumFractionDigits(decimals);
        f.setMaximumFractionDigits(decimals);
        f.setRoundingMode(RoundingMode.HALF_EVEN);
        return f.format(v);
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
