-- Rate limits shared by every FolioSync process of one PostgreSQL database (a market-data key used for every
-- portfolio, per-IP limits): bucket4j's PostgreSQL proxy manager keeps one row per limit and key, with the
-- bucket's state serialized by bucket4j. `id` is provider:fingerprint(key):fingerprint(limits); no key is stored.
-- Created on SQLite too, so both databases have one migration history; nothing uses it there (one process).
CREATE TABLE rate_limit_buckets (
    id         VARCHAR(255) PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
