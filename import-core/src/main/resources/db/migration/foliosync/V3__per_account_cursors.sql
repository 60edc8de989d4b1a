-- From this version on, every account (one exchange account, one IBKR gateway account or Flex query, Schwab's
-- API or its CSV folder, one bank plugin) is its own source with its own cursor, keyed by its source id.
-- The cursors written before were keyed by the shared source (crypto_exchanges held every exchange account)
-- and could have moved past an account that was never read, so none of them can be trusted for any account.
-- They are dropped: the first sync after the upgrade reads each account's whole history again, and
-- deduplication (the identity of stored rows is unchanged) makes that re-read write no duplicate row.
-- The old cursors are kept in sync_cursors_before_v3 for reference; nothing reads them.

CREATE TABLE sync_cursors_before_v3 (
    source_name  VARCHAR(128) NOT NULL,
    stream       VARCHAR(32)  NOT NULL,
    cursor_value VARCHAR(64)  NOT NULL,
    job_id       BIGINT       NOT NULL,
    updated_at   ${timestamp} NOT NULL
);
INSERT INTO sync_cursors_before_v3 (source_name, stream, cursor_value, job_id, updated_at)
SELECT source_name, stream, cursor_value, job_id, updated_at FROM sync_cursors;
DELETE FROM sync_cursors;
