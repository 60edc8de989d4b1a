package io.foliosync.plugins.icbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which header of an ICBC statement holds which value. Each logical field lists the headers it accepts, first
 * match wins. The defaults cover ICBC's personal account statement ("历史明细") exports:
 *
 * <table>
 *   <caption>default mapping</caption>
 *   <tr><th>field</th><th>headers accepted</th></tr>
 *   <tr><td>date (required)</td><td>交易日期, 记账日期</td></tr>
 *   <tr><td>description (required)</td><td>摘要</td></tr>
 *   <tr><td>place</td><td>交易场所</td></tr>
 *   <tr><td>income</td><td>记账金额(收入), 交易金额(收入), 收入金额, 收入</td></tr>
 *   <tr><td>expense</td><td>记账金额(支出), 交易金额(支出), 支出金额, 支出</td></tr>
 *   <tr><td>amount (signed)</td><td>记账金额, 交易金额, 发生额</td></tr>
 *   <tr><td>balance</td><td>余额, 账户余额</td></tr>
 *   <tr><td>counterparty</td><td>对方户名, 对方账户名称</td></tr>
 *   <tr><td>currency</td><td>记账币种, 交易币种, 币种</td></tr>
 * </table>
 *
 * A statement needs either income/expense columns or a signed amount column. Headers are compared after
 * removing spaces and turning full-width brackets into ASCII ones.
 *
 * <p>Override with the {@code column_mapping} auth field: {@code field=Header} pairs separated by {@code ;}
 * or new lines, several headers for one field separated by {@code |}, such as
 * {@code date=记账日期; amount=发生额|金额; balance=余额}. A field named there accepts only the headers given.
 */
final class ColumnMapping {
    static final List<String> FIELDS = List.of("date", "description", "place", "income", "expense", "amount", "balance",
            "counterparty", "currency");
    private static final Map<String, List<String>> DEFAULTS = defaults();

    private final Map<String, List<String>> headers;

    private ColumnMapping(Map<String, List<String>> headers) {
        this.headers = headers;
    }

    static ColumnMapping defaultMapping() {
        return new ColumnMapping(DEFAULTS);
    }

    /**
     * @param override the {@code column_mapping} text; blank for the defaults
     * @throws IllegalArgumentException naming the part that is not {@code field=Header}
     */
    static ColumnMapping withOverrides(String override) {
        Map<String, List<String>> map = new LinkedHashMap<>(DEFAULTS);
        if (override == null || override.isBlank()) {
            return new ColumnMapping(map);
        }
        for (String part : override.split("[;\\n]")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("column_mapping: '" + part.trim() + "' is not field=Header");
            }
            String field = part.substring(0, eq).trim();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("column_mapping: unknown field '" + field + "' (fields: "
                        + String.join(", ", FIELDS) + ")");
            }
            List<String> names = new ArrayList<>();
            for (String h : part.substring(eq + 1).split("\\|")) {
                if (!h.isBlank()) {
                    names.add(normalize(h));
                }
            }
            if (names.isEmpty()) {
                throw new IllegalArgumentException("column_mapping: field '" + field + "' names no header");
            }
            map.put(field, List.copyOf(names));
        }
        return new ColumnMapping(map);
    }

    /** @return the index of {@code field}'s column in a header row, when it has one */
    Optional<Integer> index(String field, List<String> headerRow) {
        List<String> normalized = headerRow.stream().map(ColumnMapping::normalize).toList();
        for (String h : headers.get(field)) {
            int i = normalized.indexOf(h);
            if (i >= 0) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    List<String> headers(String field) {
        return headers.get(field);
    }

    static String normalize(String header) {
        return header.strip().replace("（", "(").replace("）", ")").replaceAll("[\\s\\u3000]", "");
    }

    private static Map<String, List<String>> defaults() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("date", List.of("交易日期", "记账日期"));
        m.put("description", List.of("摘要"));
        m.put("place", List.of("交易场所"));
        m.put("income", List.of("记账金额(收入)", "交易金额(收入)", "收入金额", "收入"));
        m.put("expense", List.of("记账金额(支出)", "交易金额(支出)", "支出金额", "支出"));
        m.put("amount", List.of("记账金额", "交易金额", "发生额"));
        m.put("balance", List.of("余额", "账户余额"));
        m.put("counterparty", List.of("对方户名", "对方账户名称"));
        m.put("currency", List.of("记账币种", "交易币种", "币种"));
        return Map.copyOf(m);
    }
}
