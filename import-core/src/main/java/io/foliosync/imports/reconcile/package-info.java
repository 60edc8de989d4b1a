/**
 * Reconciliation: for each account and asset, the quantity the source reports now (its latest holdings
 * snapshot, or a bank statement's running balance) against the quantity derived from the imported history, so a
 * history that looks complete but is not is flagged with the asset, the amount and, where snapshots over time
 * allow it, the first date the two diverge. {@link io.foliosync.imports.reconcile.Reconciler} holds the rules.
 *
 * <p>Transfers between the user's own accounts: {@link io.foliosync.imports.reconcile.TransferLinker} links a
 * withdrawal at one account with its deposit at another, and {@link io.foliosync.imports.reconcile.TransferLinks}
 * lets a total across accounts count each transfer once.
 */
package io.foliosync.imports.reconcile;
