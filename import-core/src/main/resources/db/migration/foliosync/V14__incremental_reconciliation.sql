-- Issue 22. After every job, reconciliation derived each asset's quantity from the account's whole history: a sync
-- of 1,000 new rows into an account of 1,000,000 read the million back. It now keeps a checkpoint per account: the
-- history's effects summed per asset and interval between snapshot instants (the verdict compares the history with
-- each snapshot by its sum up to the snapshot's instant), the effects after the newest snapshot one by one, and the
-- job the checkpoint covers. The next check reads only the rows later jobs wrote, through the index below, which
-- also serves the sinks' read of an account's rows after their (job, row) cursor (issue 28). A row rewritten in
-- place (a correction at the source) sends the check back to the whole history once.
CREATE INDEX ix_transactions_account_writes ON transactions (portfolio_id, source_name, account_id, job_id, id);

CREATE TABLE reconciliation_checkpoints (
    portfolio_id      VARCHAR(64)  NOT NULL,
    source_name       VARCHAR(128) NOT NULL,
    account_id        VARCHAR(256) NOT NULL,
    account_kind      VARCHAR(16)  NOT NULL,
    through_job_id    BIGINT       NOT NULL,
    folded_through    ${timestamp},
    folded_snapshots  INTEGER      NOT NULL,
    first_transaction ${timestamp},
    checked_at        ${timestamp} NOT NULL,
    PRIMARY KEY (portfolio_id, source_name, account_id)
);

CREATE TABLE reconciliation_effects (
    portfolio_id VARCHAR(64)  NOT NULL,
    source_name  VARCHAR(128) NOT NULL,
    account_id   VARCHAR(256) NOT NULL,
    seq          INTEGER      NOT NULL,
    cash_leg     INTEGER      NOT NULL,
    asset        VARCHAR(64)  NOT NULL,
    effective_at ${timestamp} NOT NULL,
    delta        ${decimal}   NOT NULL,
    PRIMARY KEY (portfolio_id, source_name, account_id, seq)
);
