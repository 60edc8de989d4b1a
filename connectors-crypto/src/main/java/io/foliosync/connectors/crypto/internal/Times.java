package io.foliosync.connectors.crypto.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** Epoch conversions without binary floating point. */
final class Times {
    private Times() {
    }

    static Instant fromEpochSeconds(BigDecimal seconds) {
        BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
        long nanos = seconds.subtract(whole).movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValue();
        return Instant.ofEpochSecond(whole.longValueExact(), nanos);
    }

    static String epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.getEpochSecond())
                .add(BigDecimal.valueOf(instant.getNano(), 9)).stripTrailingZeros().toPlainString();
    }
}
