-- One row per stored holdings snapshot of an account, including an empty one: an account whose holdings
-- disappear at the source gets a snapshot with positions = 0, so its latest snapshot says "no holdings"
-- instead of leaving the last non-empty one in place. holdings rows point at their snapshot.

CREATE TABLE holding_snapshots (
    id            ${id},
    job_id        BIGINT       NOT NULL REFERENCES import_jobs (id),
    source_type   VARCHAR(32)  NOT NULL,
    source_name   VARCHAR(128) NOT NULL,
    account_id    VARCHAR(256) NOT NULL,
    as_of         ${timestamp} NOT NULL,
    positions     INTEGER      NOT NULL,
    snapshot_hash CHAR(64)     NOT NULL
);
CREATE INDEX ix_holding_snapshots_source_account ON holding_snapshots (source_name, account_id, id);

-- every snapshot written before this migration: one per job, source and account
INSERT INTO holding_snapshots (job_id, source_type, source_name, account_id, as_of, positions, snapshot_hash)
SELECT job_id, MIN(source_type), source_name, account_id, MIN(as_of), COUNT(*), MIN(snapshot_hash)
FROM holdings
GROUP BY job_id, source_name, account_id
ORDER BY MIN(id);

ALTER TABLE holdings ADD COLUMN snapshot_id BIGINT REFERENCES holding_snapshots (id);
UPDATE holdings SET snapshot_id = (SELECT s.id FROM holding_snapshots s WHERE s.job_id = holdings.job_id
    AND s.source_name = holdings.source_name AND s.account_id = holdings.account_id);
CREATE INDEX ix_holdings_snapshot ON holdings (snapshot_id);
