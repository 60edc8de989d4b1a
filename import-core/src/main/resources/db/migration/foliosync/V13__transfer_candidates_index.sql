-- Issue 22. After every succeeded job TransferLinker reads the transactions that can be a side of a transfer
-- (deposits, withdrawals, transfers in and out) not yet linked. No index served that read, so each job scanned the
-- whole table: a sync of 1,000 new rows into a table of 1,000,000 paid for the million. This partial index holds
-- those types' rows only, in the read's date order; its WHERE is the read's condition word for word, which is how
-- SQLite and PostgreSQL both recognise that a partial index answers a query (QueryPlanTest asserts it).
CREATE INDEX ix_transactions_transfers ON transactions (portfolio_id, date)
    WHERE transaction_type IN ('DEPOSIT', 'WITHDRAWAL', 'TRANSFER_IN', 'TRANSFER_OUT');
