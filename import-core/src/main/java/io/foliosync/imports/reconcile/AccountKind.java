package io.foliosync.imports.reconcile;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** What an account's assets are, which decides what is reconciled (see {@link Reconciler}). */
@API(status = STABLE, since = "0.1")
public enum AccountKind {
    /** a crypto exchange account: every asset, the currency legs of trades and fees included */
    CRYPTO,
    /** a broker account: the instruments' quantities; cash is not reconciled in this first step */
    SECURITIES,
    /** a bank account: the statement balance per currency against the signed sum of its lines */
    BANK;

    /** @return the kind for a source type ({@code import_jobs.source_type}: {@code crypto_exchange}, {@code bank}, …) */
    public static AccountKind of(String sourceType) {
        return switch (sourceType) {
            case "crypto_exchange" -> CRYPTO;
            case "bank" -> BANK;
            default -> SECURITIES;
        };
    }
}
