package io.foliosync.connectors.schwab.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** Masks plain Schwab account numbers: nothing logs or reports one in full. */
@API(status = INTERNAL, since = "0.1")
public final class AccountNumbers {
    private AccountNumbers() {
    }

    /** @return the number with all but its last 4 characters replaced by {@code *}; never the full number */
    public static String mask(String accountNumber) {
        if (accountNumber == null || accountNumber.isBlank()) {
            return "****";
        }
        String s = accountNumber.trim();
        int keep = Math.min(4, Math.max(0, s.length() - 4));
        return "****" + s.substring(s.length() - keep);
    }
}
