-- Issue 28. A sink's map from a delivered record to the id its destination gave it (a Ghostfolio activity id),
-- with the content hash it was sent with: a re-run sends nothing twice, and a record corrected at its source is
-- corrected at the destination instead of added again. Written entry by entry as the destination answers, so a
-- delivery that fails half-way keeps what it did.
CREATE TABLE sink_remote_ids (
    portfolio_id  VARCHAR(64)  NOT NULL DEFAULT 'default',
    sink_id       VARCHAR(128) NOT NULL,
    source_name   VARCHAR(128) NOT NULL,
    account_id    VARCHAR(256) NOT NULL,
    record_id     VARCHAR(256) NOT NULL,
    remote_id     VARCHAR(256) NOT NULL,
    content_hash  CHAR(64)     NOT NULL,
    updated_at    ${timestamp} NOT NULL,
    CONSTRAINT pk_sink_remote_ids PRIMARY KEY (portfolio_id, sink_id, source_name, account_id, record_id)
);
