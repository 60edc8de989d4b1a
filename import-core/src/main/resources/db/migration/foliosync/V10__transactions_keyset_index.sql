-- The transaction listing pages newest first by (trade_date, id) with a keyset ("after this row"), never OFFSET:
-- with these indexes the last page of a million rows costs what the first does (see TransactionPageBench in
-- examples). The second serves the common filter by source.
CREATE INDEX ix_transactions_trade_date_id ON transactions (trade_date, id);
CREATE INDEX ix_transactions_source_trade_date_id ON transactions (source_name, trade_date, id);
