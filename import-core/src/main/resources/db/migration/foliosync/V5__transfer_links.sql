-- Transfers between the user's own accounts (issue 15): a withdrawal (WITHDRAWAL, TRANSFER_OUT) at one account
-- linked with the deposit (DEPOSIT, TRANSFER_IN) it became at another, by the chain's transaction id or by asset,
-- amount and time. Each side is a transactions row by (source_name, account_id, source_id) and is linked at most
-- once. Written after each succeeded job by io.foliosync.imports.reconcile.TransferLinker.

CREATE TABLE transfer_links (
    id              ${id},
    out_source_name VARCHAR(128) NOT NULL,
    out_account_id  VARCHAR(256) NOT NULL,
    out_source_id   VARCHAR(256) NOT NULL,
    in_source_name  VARCHAR(128) NOT NULL,
    in_account_id   VARCHAR(256) NOT NULL,
    in_source_id    VARCHAR(256) NOT NULL,
    symbol          VARCHAR(64)  NOT NULL,
    quantity        ${decimal}   NOT NULL,
    method          VARCHAR(16)  NOT NULL,
    linked_at       ${timestamp} NOT NULL,
    CONSTRAINT uq_transfer_links_out UNIQUE (out_source_name, out_account_id, out_source_id),
    CONSTRAINT uq_transfer_links_in UNIQUE (in_source_name, in_account_id, in_source_id),
    CONSTRAINT ck_transfer_links_method CHECK (method IN ('network_tx_id', 'amount_window'))
);
