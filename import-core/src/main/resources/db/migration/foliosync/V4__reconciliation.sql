-- Reconciliation (issue 15): per account and asset, the quantity the source reports against the quantity the
-- imported history explains. One row per asset per check, kept over time; an account's latest check is its rows
-- with the newest checked_at. data_source_links.data_quality_score is the share of the account's assets that
-- reconcile at its latest check (0..1), empty until it was first checked.

ALTER TABLE data_source_links ADD COLUMN data_quality_score ${decimal};

CREATE TABLE reconciliation_results (
    id               ${id},
    source_name      VARCHAR(128) NOT NULL,
    account_id       VARCHAR(256) NOT NULL,
    asset            VARCHAR(64)  NOT NULL,
    asset_class      VARCHAR(32)  NOT NULL,
    reported         ${decimal}   NOT NULL,
    derived          ${decimal}   NOT NULL,
    difference       ${decimal}   NOT NULL,
    status           VARCHAR(32)  NOT NULL,
    opening_quantity ${decimal},
    diverged_on      ${date},
    job_id           BIGINT,
    checked_at       ${timestamp} NOT NULL,
    CONSTRAINT ck_reconciliation_results_status
        CHECK (status IN ('matches', 'history_starts_after_account', 'unexplained'))
);
CREATE INDEX ix_reconciliation_results_account ON reconciliation_results (source_name, account_id, checked_at);
