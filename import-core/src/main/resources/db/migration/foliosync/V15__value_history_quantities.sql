-- Issue 27: value over time. What each account held of each asset at the end of each day its history changed it,
-- as the imported transactions explain it, and what came in or went out that day as a deposit or withdrawal (so a
-- rise from a deposit is not read as a gain). One row per day with a change (a step function): a day without a row
-- holds what the row before it says. ValueHistory (import-core) writes it incrementally: after a sync it recomputes
-- an account's rows from the earliest trade date the sync's jobs wrote, reading that account's transactions from
-- that date only; value_history_state keeps the last job it has taken in.
CREATE TABLE value_history_quantities (
    portfolio_id VARCHAR(64)  NOT NULL,
    source_name  VARCHAR(128) NOT NULL,
    account_id   VARCHAR(256) NOT NULL,
    asset        VARCHAR(64)  NOT NULL,
    day          ${date}      NOT NULL,
    quantity     ${decimal}   NOT NULL,
    flow         ${decimal}   NOT NULL,
    CONSTRAINT pk_value_history_quantities PRIMARY KEY (portfolio_id, source_name, account_id, asset, day)
);

CREATE TABLE value_history_state (
    portfolio_id VARCHAR(64)  NOT NULL,
    last_job_id  BIGINT       NOT NULL,
    updated_at   ${timestamp} NOT NULL,
    CONSTRAINT pk_value_history_state PRIMARY KEY (portfolio_id)
);

-- the incremental read: a job's rows, then an account's rows from a date
CREATE INDEX ix_transactions_job ON transactions (portfolio_id, job_id);
