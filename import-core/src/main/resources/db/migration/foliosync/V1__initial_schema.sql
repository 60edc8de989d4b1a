-- FolioSync schema, one history for SQLite and PostgreSQL.
-- Placeholders (set by JdbcPortfolioStore per database, see docs/database_schema.md):
--   ${id}        auto-increment primary key
--   ${decimal}   exact decimal: NUMERIC on PostgreSQL, TEXT (plain decimal string) on SQLite,
--                because SQLite's NUMERIC affinity would turn 0.1 into a binary floating-point REAL
--   ${timestamp} instant in UTC: TIMESTAMPTZ on PostgreSQL, fixed-width ISO-8601 text on SQLite
--   ${date}      calendar date: DATE on PostgreSQL, ISO-8601 text on SQLite

CREATE TABLE import_jobs (
    id               ${id},
    source_type      VARCHAR(32)  NOT NULL,
    source_name      VARCHAR(128) NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    attempt          INTEGER      NOT NULL DEFAULT 1,
    started_at       ${timestamp} NOT NULL,
    completed_at     ${timestamp},
    pages_fetched    INTEGER      NOT NULL DEFAULT 0,
    records_imported INTEGER      NOT NULL DEFAULT 0,
    records_updated  INTEGER      NOT NULL DEFAULT 0,
    records_skipped  INTEGER      NOT NULL DEFAULT 0,
    records_failed   INTEGER      NOT NULL DEFAULT 0,
    error_message    TEXT,
    CONSTRAINT ck_import_jobs_status CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted'))
);
CREATE INDEX ix_import_jobs_source_started ON import_jobs (source_name, started_at);
CREATE INDEX ix_import_jobs_status ON import_jobs (status);

CREATE TABLE plugin_configs (
    id               ${id},
    plugin_id        VARCHAR(128) NOT NULL,
    config_encrypted TEXT         NOT NULL,
    enabled          BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at       ${timestamp} NOT NULL,
    updated_at       ${timestamp} NOT NULL,
    CONSTRAINT uq_plugin_configs_plugin_id UNIQUE (plugin_id)
);

CREATE TABLE accounts (
    id             ${id},
    source_type    VARCHAR(32)  NOT NULL,
    source_name    VARCHAR(128) NOT NULL,
    account_id     VARCHAR(256) NOT NULL,
    name           VARCHAR(256) NOT NULL,
    account_type   VARCHAR(32)  NOT NULL,
    base_currency  VARCHAR(12)  NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    balance        ${decimal},
    content_hash   CHAR(64)     NOT NULL,
    created_at     ${timestamp} NOT NULL,
    updated_at     ${timestamp} NOT NULL,
    CONSTRAINT uq_accounts_source_account UNIQUE (source_name, account_id)
);

CREATE TABLE data_source_links (
    id                  ${id},
    account_ref         BIGINT       NOT NULL REFERENCES accounts (id),
    source_type         VARCHAR(32)  NOT NULL,
    source_name         VARCHAR(128) NOT NULL,
    external_account_id VARCHAR(256) NOT NULL,
    last_synced_at      ${timestamp},
    last_job_id         BIGINT,
    created_at          ${timestamp} NOT NULL,
    CONSTRAINT uq_data_source_links_source_account UNIQUE (source_type, source_name, external_account_id)
);
CREATE INDEX ix_data_source_links_account ON data_source_links (account_ref);

CREATE TABLE holdings (
    id            ${id},
    job_id        BIGINT       NOT NULL REFERENCES import_jobs (id),
    source_type   VARCHAR(32)  NOT NULL,
    source_name   VARCHAR(128) NOT NULL,
    account_id    VARCHAR(256) NOT NULL,
    as_of         ${timestamp} NOT NULL,
    symbol        VARCHAR(64)  NOT NULL,
    name          VARCHAR(256),
    quantity      ${decimal}   NOT NULL,
    current_price ${decimal},
    market_value  ${decimal},
    cost_basis    ${decimal},
    currency      VARCHAR(12)  NOT NULL,
    asset_class   VARCHAR(32)  NOT NULL,
    external_id   VARCHAR(128),
    attributes    TEXT         NOT NULL,
    snapshot_hash CHAR(64)     NOT NULL
);
CREATE INDEX ix_holdings_source_account_as_of ON holdings (source_name, account_id, as_of);
CREATE INDEX ix_holdings_job ON holdings (job_id);

-- Identity: (source_type, source_name, source_id, account_id). source_id is the source's own id for the
-- record, or 'h:' + a content hash where the source gives none (see docs/database_schema.md).
CREATE TABLE transactions (
    id               ${id},
    source_type      VARCHAR(32)  NOT NULL,
    source_name      VARCHAR(128) NOT NULL,
    source_id        VARCHAR(256) NOT NULL,
    account_id       VARCHAR(256) NOT NULL,
    date             ${timestamp} NOT NULL,
    trade_date       ${date}      NOT NULL,
    symbol           VARCHAR(64),
    name             VARCHAR(256),
    transaction_type VARCHAR(16)  NOT NULL,
    quantity         ${decimal}   NOT NULL,
    price            ${decimal},
    amount           ${decimal}   NOT NULL,
    currency         VARCHAR(12)  NOT NULL,
    fees             ${decimal}   NOT NULL,
    fee_currency     VARCHAR(12),
    description      TEXT,
    raw_type         VARCHAR(128),
    attributes       TEXT         NOT NULL,
    content_hash     CHAR(64)     NOT NULL,
    job_id           BIGINT       NOT NULL,
    imported_at      ${timestamp} NOT NULL,
    updated_at       ${timestamp} NOT NULL,
    CONSTRAINT uq_transactions_identity UNIQUE (source_type, source_name, source_id, account_id)
);
CREATE INDEX ix_transactions_source_date ON transactions (source_name, date);
CREATE INDEX ix_transactions_symbol ON transactions (symbol);

CREATE TABLE sync_cursors (
    source_name  VARCHAR(128) NOT NULL,
    stream       VARCHAR(32)  NOT NULL,
    cursor_value VARCHAR(64)  NOT NULL,
    job_id       BIGINT       NOT NULL,
    updated_at   ${timestamp} NOT NULL,
    CONSTRAINT pk_sync_cursors PRIMARY KEY (source_name, stream)
);

CREATE TABLE quarantine (
    id               ${id},
    job_id           BIGINT       NOT NULL,
    source_type      VARCHAR(32)  NOT NULL,
    source_name      VARCHAR(128) NOT NULL,
    account_id       VARCHAR(256) NOT NULL,
    source_record_id VARCHAR(256) NOT NULL,
    rule             VARCHAR(64)  NOT NULL,
    severity         VARCHAR(16)  NOT NULL,
    field            VARCHAR(64),
    reason           TEXT         NOT NULL,
    record           TEXT         NOT NULL,
    created_at       ${timestamp} NOT NULL,
    CONSTRAINT uq_quarantine_record_rule UNIQUE (source_name, account_id, source_record_id, rule)
);
CREATE INDEX ix_quarantine_job ON quarantine (job_id);
