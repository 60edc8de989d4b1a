-- Portfolios (issue 17): every stored row belongs to a portfolio. Rows written before this version, and every
-- row of the YAML/CLI single-user mode, belong to the portfolio 'default'. A Java application serving many
-- users registers a portfolio per user and its sources through FolioSync.portfolios(); the sources' settings
-- live in portfolio_sources, their credentials encrypted in plugin_configs (owner 'source/<source id>').
-- On PostgreSQL, V8 (db/migration/foliosync-postgres) widens the unique keys to include portfolio_id; SQLite keeps
-- its keys, since an SQLite database is the embedded store of the default portfolio only.

ALTER TABLE import_jobs ADD COLUMN portfolio_id VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE plugin_configs ADD COLUMN portfolio_id VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE accounts ADD COLUMN portfolio_id VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE data_source_links ADD COLUMN portfolio_id VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE holdings ADD COLUMN portfolio_id VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE holding_snapshots ADD COLUMN portfolio_id VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE transactions ADD COLUMN portfolio_id VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE sync_cursors ADD COLUMN portfolio_id VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE quarantine ADD COLUMN portfolio_id VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE reconciliation_results ADD COLUMN portfolio_id VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE transfer_links ADD COLUMN portfolio_id VARCHAR(64) NOT NULL DEFAULT 'default';

CREATE TABLE portfolios (
    id          VARCHAR(64)  NOT NULL,
    name        VARCHAR(256) NOT NULL,
    created_at  ${timestamp} NOT NULL,
    CONSTRAINT pk_portfolios PRIMARY KEY (id)
);
INSERT INTO portfolios (id, name, created_at) VALUES ('default', 'default', CURRENT_TIMESTAMP);

-- settings: the source's entry of its provider section as JSON, without secrets (those are in plugin_configs)
CREATE TABLE portfolio_sources (
    portfolio_id   VARCHAR(64)  NOT NULL REFERENCES portfolios (id),
    source_id      VARCHAR(128) NOT NULL,
    section        VARCHAR(128) NOT NULL,
    settings       TEXT         NOT NULL,
    period_seconds INTEGER      NOT NULL,
    created_at     ${timestamp} NOT NULL,
    CONSTRAINT pk_portfolio_sources PRIMARY KEY (portfolio_id, source_id)
);
