-- Reconciliation: a broker account's cash is listed with status 'not_reconciled' (shown beside what the history
-- explains, without a verdict: broker histories rarely carry every cash movement). The status check gains that
-- value; a CHECK constraint cannot be altered in SQLite, so the table is rebuilt (same columns, rows kept).

CREATE TABLE reconciliation_results_v6 (
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
    CONSTRAINT ck_reconciliation_status
        CHECK (status IN ('matches', 'history_starts_after_account', 'unexplained', 'not_reconciled'))
);
INSERT INTO reconciliation_results_v6 (source_name, account_id, asset, asset_class, reported, derived, difference,
                                       status, opening_quantity, diverged_on, job_id, checked_at)
SELECT source_name, account_id, asset, asset_class, reported, derived, difference, status, opening_quantity,
       diverged_on, job_id, checked_at
FROM reconciliation_results ORDER BY id;
DROP TABLE reconciliation_results;
ALTER TABLE reconciliation_results_v6 RENAME TO reconciliation_results;
CREATE INDEX ix_reconciliation_results_account ON reconciliation_results (source_name, account_id, checked_at);
