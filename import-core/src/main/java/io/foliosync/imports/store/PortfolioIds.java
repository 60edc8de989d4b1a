package io.foliosync.imports.store;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.regex.Pattern;
import org.apiguardian.api.API;

/** What a portfolio id may be: short, lower-case, safe in a URL, a log line and a scheduler instance id. */
@API(status = INTERNAL, since = "0.1")
public final class PortfolioIds {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private PortfolioIds() {
    }

    /**
     * @return {@code id}
     * @throws IllegalArgumentException naming the id when it is not 1–64 characters of {@code a-z 0-9 _ -}
     *                                  starting with a letter or digit
     */
    public static String check(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("portfolio id '" + id + "' must be 1-64 characters of a-z, 0-9, "
                    + "'_' and '-', starting with a letter or digit");
        }
        return id;
    }
}
