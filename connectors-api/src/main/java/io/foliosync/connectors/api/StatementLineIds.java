package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Source ids for statement lines that carry no bank id, for {@link BankTransaction#sourceId()}.
 *
 * <p>The id is {@code h:} followed by the first 32 hex digits (128 bits) of the SHA-256 of the UTF-8 text
 * <pre>{@code <date ISO-8601>|<amount>|<description>|<balance after, or empty>|<occurrence>}</pre>
 * where amounts are written with trailing zeros stripped, in plain notation ({@code -4.50} → {@code -4.5},
 * {@code 2500.00} → {@code 2500}), and {@code occurrence} counts the earlier lines of the same file with the
 * same first four parts (0 for the first). Two identical purchases on one day therefore stay two rows, the
 * same download imported twice gives the same ids, and a line's id does not depend on the lines around it
 * unless they are identical to it.
 *
 * <p>Use one instance per statement file and call {@link #next} once per line, in file order. An instance
 * counts occurrences, so it is not for sharing between threads.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class StatementLineIds {
    /** The prefix that tells a hashed id from a bank's own id. */
    public static final String PREFIX = "h:";
    private static final int HEX_DIGITS = 32;

    private final Map<String, Integer> seen = new HashMap<>();

    /** Starts counting the lines of one statement file. */
    public StatementLineIds() {
        // the occurrence counts start empty
    }

    /**
     * @param date         the line's booking date
     * @param amount       its signed amount
     * @param description  its text, exactly as the line's {@link BankTransaction#description()}
     * @param balanceAfter its running balance, when the statement has one
     * @return the id of the next line with these values
     */
    public String next(LocalDate date, BigDecimal amount, String description, Optional<BigDecimal> balanceAfter) {
        String key = key(date, amount, description, balanceAfter);
        int occurrence = seen.merge(key, 1, Integer::sum) - 1;
        return hash(key, occurrence);
    }

    /**
     * @param occurrence how many earlier lines of the file have the same date, amount, description and balance
     * @return the id of such a line, without counting; {@link #next} is this with the occurrence counted for you
     */
    public static String of(LocalDate date, BigDecimal amount, String description, Optional<BigDecimal> balanceAfter,
                            int occurrence) {
        if (occurrence < 0) {
            throw new IllegalArgumentException("occurrence must be 0 or more, not " + occurrence);
        }
        return hash(key(date, amount, description, balanceAfter), occurrence);
    }

    private static String key(LocalDate date, BigDecimal amount, String description,
                              Optional<BigDecimal> balanceAfter) {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(balanceAfter, "balanceAfter (use Optional.empty())");
        return date + "|" + plain(amount) + "|" + description + "|" + balanceAfter.map(StatementLineIds::plain).orElse("");
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static String hash(String key, int occurrence) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((key + "|" + occurrence).getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, HEX_DIGITS / 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
