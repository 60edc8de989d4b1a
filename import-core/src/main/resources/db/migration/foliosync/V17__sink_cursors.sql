-- Issue 28. Sinks (docs/sinks.md) receive each synced account's new and changed records after they are stored.
-- A sink's cursor per account is the (job_id, id) of the last transactions row it accepted: a row inserted or
-- corrected by a later job carries that job's id, so "after the cursor" is exactly what the sink has not received,
-- and a sink that was down receives the backlog on its next run. snapshot_id is the last holdings snapshot it
-- received. The last attempt's time and error are kept for `foliosync status` and the console.
-- Both key columns carry portfolio_id from the start, on SQLite too (where it is always 'default').
CREATE TABLE sink_cursors (
    portfolio_id      VARCHAR(64)  NOT NULL DEFAULT 'default',
    sink_id           VARCHAR(128) NOT NULL,
    source_name       VARCHAR(128) NOT NULL,
    account_id        VARCHAR(256) NOT NULL,
    last_job_id       BIGINT       NOT NULL DEFAULT 0,
    last_row_id       BIGINT       NOT NULL DEFAULT 0,
    snapshot_id       BIGINT       NOT NULL DEFAULT 0,
    delivered_at      ${timestamp},
    attempted_at      ${timestamp} NOT NULL,
    last_error        TEXT,
    CONSTRAINT pk_sink_cursors PRIMARY KEY (portfolio_id, sink_id, source_name, account_id)
);

-- The read "this account's rows after (job, row)" is a range scan of ix_transactions_account_writes (V14).
