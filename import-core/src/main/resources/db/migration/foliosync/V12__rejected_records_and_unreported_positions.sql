-- Issue 21, two parts.
--
-- 1. Rejected records are a partial failure. A quarantine row now says which source (account) read it, the value of
--    the field at fault, where the record came from, the record's own time, the last job that rejected it again, and
--    when it was resolved. A job's cursor never moves past the earliest unresolved row of its source, so every sync
--    reads a quarantined record again: once a rule (or the connector) is fixed, it is imported and its row resolved.
--    Rows written before this version have no record time: they do not hold a cursor back, and are re-checked by a
--    sync that reads the whole history (`sync --source ID --full`).
ALTER TABLE quarantine ADD COLUMN source_id VARCHAR(128);
ALTER TABLE quarantine ADD COLUMN field_value TEXT;
ALTER TABLE quarantine ADD COLUMN location VARCHAR(512);
ALTER TABLE quarantine ADD COLUMN record_date ${timestamp};
ALTER TABLE quarantine ADD COLUMN last_job_id BIGINT;
ALTER TABLE quarantine ADD COLUMN resolved_at ${timestamp};
ALTER TABLE quarantine ADD COLUMN resolved_job_id BIGINT;
UPDATE quarantine SET source_id = (SELECT j.source_name FROM import_jobs j WHERE j.id = quarantine.job_id),
                      last_job_id = job_id;
CREATE INDEX ix_quarantine_source_open ON quarantine (portfolio_id, source_id, resolved_at);
CREATE INDEX ix_quarantine_last_job ON quarantine (last_job_id);

-- 2. Absent is not zero. A snapshot of an account whose source did not report positions at all (a Flex statement
--    without an Open Positions section) says so: positions_reported = FALSE. It may hold the account's cash.
ALTER TABLE holding_snapshots ADD COLUMN positions_reported BOOLEAN NOT NULL DEFAULT TRUE;

--    Reconciliation gains the status 'no_positions_reported' (the source did not report positions, so the history is
--    shown without a verdict, never against a quantity of 0). A CHECK constraint cannot be altered in SQLite, so the
--    table is rebuilt as in V6 (same columns, rows kept in order).
CREATE TABLE reconciliation_results_v12 (
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
    portfolio_id     VARCHAR(64)  NOT NULL DEFAULT 'default',
    CONSTRAINT ck_reconciliation_status_v12
        CHECK (status IN ('matches', 'history_starts_after_account', 'unexplained', 'not_reconciled',
                          'no_positions_reported'))
);
INSERT INTO reconciliation_results_v12 (source_name, account_id, asset, asset_class, reported, derived, difference,
                                        status, opening_quantity, diverged_on, job_id, checked_at, portfolio_id)
SELECT source_name, account_id, asset, asset_class, reported, derived, difference, status, opening_quantity,
       diverged_on, job_id, checked_at, portfolio_id
FROM reconciliation_results ORDER BY id;
DROP TABLE reconciliation_results;
ALTER TABLE reconciliation_results_v12 RENAME TO reconciliation_results;
CREATE INDEX ix_reconciliation_results_account ON reconciliation_results (source_name, account_id, checked_at);
