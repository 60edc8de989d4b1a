-- The transaction listing pages one portfolio's rows newest first by (trade_date, id) with a keyset ("after this
-- row"), never OFFSET: with these indexes the last page of a million rows costs what the first does (see
-- TransactionPageBench). portfolio_id leads because every read is scoped to one portfolio (V7); the second index
-- serves the common filter by source.
CREATE INDEX ix_transactions_trade_date_id ON transactions (portfolio_id, trade_date, id);
CREATE INDEX ix_transactions_source_trade_date_id ON transactions (portfolio_id, source_name, trade_date, id);
