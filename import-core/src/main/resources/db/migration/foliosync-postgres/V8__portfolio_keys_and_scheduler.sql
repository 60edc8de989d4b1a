-- PostgreSQL only (db/migration/foliosync-postgres): one database serves many portfolios, so each unique key
-- includes portfolio_id, and the clustered scheduler (db-scheduler) keeps its executions in scheduled_tasks.

ALTER TABLE plugin_configs DROP CONSTRAINT uq_plugin_configs_plugin_id;
ALTER TABLE plugin_configs ADD CONSTRAINT uq_plugin_configs_plugin_id UNIQUE (portfolio_id, plugin_id);
ALTER TABLE data_source_links DROP CONSTRAINT uq_data_source_links_source_account;
ALTER TABLE data_source_links ADD CONSTRAINT uq_data_source_links_source_account
    UNIQUE (portfolio_id, source_type, source_name, external_account_id);
ALTER TABLE accounts DROP CONSTRAINT uq_accounts_source_account;
ALTER TABLE accounts ADD CONSTRAINT uq_accounts_source_account UNIQUE (portfolio_id, source_name, account_id);
ALTER TABLE transactions DROP CONSTRAINT uq_transactions_identity;
ALTER TABLE transactions ADD CONSTRAINT uq_transactions_identity
    UNIQUE (portfolio_id, source_type, source_name, source_id, account_id);
ALTER TABLE sync_cursors DROP CONSTRAINT pk_sync_cursors;
ALTER TABLE sync_cursors ADD CONSTRAINT pk_sync_cursors PRIMARY KEY (portfolio_id, source_name, stream);
ALTER TABLE quarantine DROP CONSTRAINT uq_quarantine_record_rule;
ALTER TABLE quarantine ADD CONSTRAINT uq_quarantine_record_rule
    UNIQUE (portfolio_id, source_name, account_id, source_record_id, rule);
ALTER TABLE transfer_links DROP CONSTRAINT uq_transfer_links_out;
ALTER TABLE transfer_links ADD CONSTRAINT uq_transfer_links_out
    UNIQUE (portfolio_id, out_source_name, out_account_id, out_source_id);
ALTER TABLE transfer_links DROP CONSTRAINT uq_transfer_links_in;
ALTER TABLE transfer_links ADD CONSTRAINT uq_transfer_links_in
    UNIQUE (portfolio_id, in_source_name, in_account_id, in_source_id);

DROP INDEX ix_import_jobs_source_started;
CREATE INDEX ix_import_jobs_source_started ON import_jobs (portfolio_id, source_name, started_at);
DROP INDEX ix_import_jobs_status;
CREATE INDEX ix_import_jobs_status ON import_jobs (status, portfolio_id);
DROP INDEX ix_holding_snapshots_source_account;
CREATE INDEX ix_holding_snapshots_source_account ON holding_snapshots (portfolio_id, source_name, account_id, id);
DROP INDEX ix_transactions_source_date;
CREATE INDEX ix_transactions_source_date ON transactions (portfolio_id, source_name, date);

-- db-scheduler's table, in the layout its PostgreSQL JDBC repository reads (columns and types are its contract).
-- An instance claims a due row by setting picked/picked_by under a row lock (SELECT ... FOR UPDATE SKIP LOCKED),
-- refreshes last_heartbeat while it runs, and another instance revives a row whose heartbeat stopped.
CREATE TABLE scheduled_tasks (
    task_name            TEXT        NOT NULL,
    task_instance        TEXT        NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMPTZ NOT NULL,
    picked               BOOLEAN     NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMPTZ,
    last_failure         TIMESTAMPTZ,
    consecutive_failures INTEGER,
    last_heartbeat       TIMESTAMPTZ,
    version              BIGINT      NOT NULL,
    priority             SMALLINT,
    CONSTRAINT pk_scheduled_tasks PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX ix_scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX ix_scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX ix_scheduled_tasks_priority_execution_time ON scheduled_tasks (priority DESC, execution_time ASC);
