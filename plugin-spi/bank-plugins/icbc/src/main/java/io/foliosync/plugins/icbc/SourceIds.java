package io.foliosync.plugins.icbc;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Source ids for statement lines that carry no bank id. The id is {@code h:} followed by the first 32 hex
 * digits of the SHA-256 of
 * {@code <date ISO>|<amount, trailing zeros stripped>|<description>|<balance after, or empty>|<occurrence>}
 * (UTF-8), where {@code occurrence} counts the earlier lines of the same file with the same first four parts
 * (0 for the first). Two identical purchases on one day therefore stay two rows, and the same download
 * imported twice gives the same ids.
 */
final class SourceIds {
    private final Map<String, Integer> seen = new HashMap<>();

    /** @return the id of the next line with these values; call once per line, in file order */
    String next(LocalDate date, BigDecimal amount, String description, Optional<BigDecimal> balanceAfter) {
        String key = date + "|" + amount.stripTrailingZeros().toPlainString() + "|" + description + "|"
                + balanceAfter.map(b -> b.stripTrailingZeros().toPlainString()).orElse("");
        int occurrence = seen.merge(key, 1, Integer::sum) - 1;
        return "h:" + sha256(key + "|" + occurrence).substring(0, 32);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
