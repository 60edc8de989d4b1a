package io.foliosync.connectors.ibkr.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The Flex date and time formats FolioSync accepts. A Flex query lets the user pick the format; only the
 * unambiguous ones are accepted, so a day and a month are never swapped silently:
 * <ul>
 *   <li>dates {@code yyyyMMdd} (IBKR's default) or {@code yyyy-MM-dd};</li>
 *   <li>times {@code HHmmss} (default), {@code HH:mm:ss} or {@code HH:mm};</li>
 *   <li>date and time joined by {@code ;} (default), {@code ,} {@code ", "}, a space or {@code T}.</li>
 * </ul>
 * {@code MM/dd/yyyy}, {@code dd/MM/yyyy} and other formats are refused with a message naming the setting to
 * change.
 */
@API(status = INTERNAL, since = "0.1")
public final class FlexDates {
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{8}|\\d{4}-\\d{2}-\\d{2})(?:(?:;|,\\s*|\\s+|T)(\\d{6}|\\d{2}:\\d{2}:\\d{2}|\\d{2}:\\d{2}))?");
    private static final Pattern TIME = Pattern.compile("\\d{6}|\\d{2}:\\d{2}:\\d{2}|\\d{2}:\\d{2}");

    /** What callers put in a malformed-data message. */
    public static final String ACCEPTED = "accepted: dates yyyyMMdd or yyyy-MM-dd, times HHmmss or HH:mm:ss, "
            + "joined by ';' ',' ' ' or 'T' (set the Flex query's Date Format to yyyyMMdd and Time Format to "
            + "HHmmss)";

    private FlexDates() {
    }

    /** A parsed Flex date, with its time when the value had one. */
    public record DateTime(LocalDate date, Optional<LocalTime> time) {
        public LocalDateTime atTimeOrStartOfDay() {
            return date.atTime(time.orElse(LocalTime.MIDNIGHT));
        }
    }

    /** @return the parsed value, or empty when {@code text} has none of the accepted formats */
    public static Optional<DateTime> parse(String text) {
        Matcher m = DATE_TIME.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            LocalDate date = date(m.group(1));
            Optional<LocalTime> time = m.group(2) == null ? Optional.empty() : Optional.of(time(m.group(2)));
            return Optional.of(new DateTime(date, time));
        } catch (DateTimeException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** @return the time of a separate time field ({@code tradeTime}), or empty when it is not one */
    public static Optional<LocalTime> parseTime(String text) {
        String t = text.trim();
        if (!TIME.matcher(t).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(time(t));
        } catch (DateTimeException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static LocalDate date(String s) {
        if (s.length() == 8) {
            return LocalDate.of(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(4, 6)),
                    Integer.parseInt(s.substring(6, 8)));
        }
        return LocalDate.of(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(5, 7)),
                Integer.parseInt(s.substring(8, 10)));
    }

    private static LocalTime time(String s) {
        if (s.length() == 6) {
            return LocalTime.of(Integer.parseInt(s.substring(0, 2)), Integer.parseInt(s.substring(2, 4)),
                    Integer.parseInt(s.substring(4, 6)));
        }
        if (s.length() == 5) {
            return LocalTime.of(Integer.parseInt(s.substring(0, 2)), Integer.parseInt(s.substring(3, 5)));
        }
        return LocalTime.of(Integer.parseInt(s.substring(0, 2)), Integer.parseInt(s.substring(3, 5)),
                Integer.parseInt(s.substring(6, 8)));
    }
}
