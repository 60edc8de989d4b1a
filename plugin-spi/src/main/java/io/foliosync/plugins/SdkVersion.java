package io.foliosync.plugins;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A FolioSync version as plugins name it: one to three numbers and an optional qualifier
 * ({@code 0.1.0}, {@code 1.2}, {@code 0.1.0-SNAPSHOT}). Only the numbers take part in comparisons, so a
 * {@code 0.1.0-SNAPSHOT} SDK satisfies {@code min_sdk_version: 0.1.0}.
 */
record SdkVersion(String text, int[] numbers) implements Comparable<SdkVersion> {
    private static final Pattern FORM = Pattern.compile("(\\d{1,6})(?:\\.(\\d{1,6}))?(?:\\.(\\d{1,6}))?(?:[-+][0-9A-Za-z.-]+)?");

    /** @throws IllegalArgumentException with a message naming {@code field} when {@code text} is malformed */
    static SdkVersion parse(String field, String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(field + " must look like 1.2.3 (optionally with a -qualifier) but was '"
                    + text + "'");
        }
        int[] n = new int[3];
        for (int i = 0; i < 3; i++) {
            String g = m.group(i + 1);
            n[i] = g == null ? 0 : Integer.parseInt(g);
        }
        return new SdkVersion(text.trim(), n);
    }

    @Override
    public int compareTo(SdkVersion o) {
        return Arrays.compare(numbers, o.numbers);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SdkVersion v && Arrays.equals(numbers, v.numbers);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(numbers);
    }

    @Override
    public String toString() {
        return text;
    }
}
