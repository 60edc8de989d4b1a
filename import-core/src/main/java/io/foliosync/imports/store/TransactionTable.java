package io.foliosync.imports.store;

import io.foliosync.imports.query.StoredTransaction;
import io.foliosync.imports.query.TransactionPage;
import io.foliosync.imports.query.TransactionPageQuery;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.ImportCounts;
import io.foliosync.imports.pipeline.KeyedTransaction;
import io.foliosync.imports.pipeline.TransactionBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code transactions}: a page is inserted, updated in place or skipped record by record against what is stored,
 * with its rejections quarantined and its counts added to the job, in one database transaction.
 */
final class TransactionTable {
    private static final int LOOKUP_CHUNK = 1000; // a page of 1,000 is one query (both databases allow 32,766 parameters)

    private final JdbcPortfolioStore db;
    private final TableStatistics statistics;
    private final SqlDialect dialect;
    private final String portfolio;
    private final QuarantineTable quarantine;

    TransactionTable(JdbcPortfolioStore db, QuarantineTable quarantine) {
        this.db = db;
        this.dialect = db.dialect();
        this.portfolio = db.portfolio();
        this.quarantine = quarantine;
        this.statistics = db.statistics();
    }

    ImportCounts saveTransactions(long jobId, TransactionBatch batch, Instant at) {
        statistics.beforeWrite("transactions");
        statistics.beforeWrite("quarantine");
        ImportCounts counts = savePage(jobId, batch, at);
        statistics.transactionsInserted(batch.sourceName(), counts.imported());
        statistics.grew("quarantine", batch.rejections().size()); // an upper bound: a row rejected again is kept
        return counts;
    }

    private ImportCounts savePage(long jobId, TransactionBatch batch, Instant at) {
        return db.write(c -> {
            Map<String, Stored> existing = existing(c, batch);
            List<KeyedTransaction> inserts = new ArrayList<>();
            List<KeyedTransaction> updates = new ArrayList<>();
            long skipped = 0;
            for (KeyedTransaction k : batch.records()) {
                Stored old = existing.get(identityKey(k.recordId(), k.transaction().accountId()));
                if (old == null) {
                    inserts.add(k);
                } else if (!old.contentHash().equals(k.contentHash())) {
                    updates.add(k);
                } else {
                    skipped++;
                }
            }
            if (!inserts.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(INSERT_TX)) {
                    for (KeyedTransaction k : inserts) {
                        bindTransaction(ps, batch, k, jobId, at, false);
                        dialect.setInstant(ps, 22, at);
                        ps.setString(23, portfolio);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            if (!updates.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(UPDATE_TX)) {
                    for (KeyedTransaction k : updates) {
                        bindTransaction(ps, batch, k, jobId, at, true);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            quarantine.insert(c, jobId, batch, at);
            ImportCounts counts = new ImportCounts(inserts.size(), updates.size(), skipped,
                    batch.rejections().stream().map(r -> identityKey(r.recordId(), r.accountId())).distinct().count());
            JobTable.countPage(c, jobId, counts);
            return counts;
        });
    }

    private static final String TX_COLUMNS = "source_type, source_name, source_id, account_id, date, trade_date, "
            + "symbol, name, transaction_type, quantity, price, amount, currency, fees, fee_currency, description, "
            + "raw_type, attributes, content_hash, job_id, updated_at";
    static final String INSERT_TX = "INSERT INTO transactions (" + TX_COLUMNS + ", imported_at, portfolio_id) VALUES "
            + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_TX = "UPDATE transactions SET source_type = ?, source_name = ?, source_id = ?, "
            + "account_id = ?, date = ?, trade_date = ?, symbol = ?, name = ?, transaction_type = ?, quantity = ?, "
            + "price = ?, amount = ?, currency = ?, fees = ?, fee_currency = ?, description = ?, raw_type = ?, "
            + "attributes = ?, content_hash = ?, job_id = ?, updated_at = ? "
            + "WHERE source_type = ? AND source_name = ? AND source_id = ? AND account_id = ? AND portfolio_id = ?";

    private void bindTransaction(PreparedStatement ps, TransactionBatch batch, KeyedTransaction k, long jobId,
                                 Instant at, boolean update) throws SQLException {
        Transaction t = k.transaction();
        ps.setString(1, batch.sourceType());
        ps.setString(2, batch.sourceName());
        ps.setString(3, k.recordId());
        ps.setString(4, t.accountId());
        dialect.setInstant(ps, 5, t.date());
        dialect.setDate(ps, 6, t.tradeDate());
        ps.setString(7, t.symbol().orElse(null));
        ps.setString(8, t.name().orElse(null));
        ps.setString(9, t.type().name());
        dialect.setDecimal(ps, 10, t.quantity());
        dialect.setDecimal(ps, 11, t.price());
        dialect.setDecimal(ps, 12, t.amount());
        ps.setString(13, t.currency());
        dialect.setDecimal(ps, 14, t.fees());
        ps.setString(15, t.feeCurrency().orElse(null));
        ps.setString(16, t.description().orElse(null));
        ps.setString(17, t.rawType().orElse(null));
        ps.setString(18, AttributesJson.write(t.attributes()));
        ps.setString(19, k.contentHash());
        ps.setLong(20, jobId);
        dialect.setInstant(ps, 21, at);
        if (update) {
            // the identity of the row to change
            ps.setString(22, batch.sourceType());
            ps.setString(23, batch.sourceName());
            ps.setString(24, k.recordId());
            ps.setString(25, t.accountId());
            ps.setString(26, portfolio);
        }
    }

    /** A stored record's change-detection hash. */
    private record Stored(String contentHash) {
    }

    /** @return the stored records of the batch's identities, by {@link #identityKey}; one query per page */
    private Map<String, Stored> existing(Connection c, TransactionBatch batch) throws SQLException {
        Map<String, Stored> out = new HashMap<>();
        List<String> ids = batch.records().stream().map(KeyedTransaction::recordId).distinct().toList();
        if (dialect == SqlDialect.POSTGRES && !ids.isEmpty()) {
            // one array parameter: the same statement text for every page, bound as one value instead of 1,000
            try (PreparedStatement ps = c.prepareStatement(LOOKUP_POSTGRES)) {
                ps.setString(1, portfolio);
                ps.setString(2, batch.sourceType());
                ps.setString(3, batch.sourceName());
                ps.setArray(4, c.createArrayOf("varchar", ids.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(identityKey(rs.getString(1), rs.getString(2)), new Stored(rs.getString(3)));
                    }
                }
            }
            return out;
        }
        for (int from = 0; from < ids.size(); from += LOOKUP_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + LOOKUP_CHUNK));
            try (PreparedStatement ps = c.prepareStatement(lookupSqlite(chunk.size()))) {
                ps.setString(1, batch.sourceType());
                ps.setString(2, batch.sourceName());
                ps.setString(3, portfolio);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(4 + i, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(identityKey(rs.getString(1), rs.getString(2)), new Stored(rs.getString(3)));
                    }
                }
            }
        }
        return out;
    }

    /** The duplicate lookup on PostgreSQL; parameters: portfolio, source type, source name, source ids (array). */
    static final String LOOKUP_POSTGRES = "SELECT source_id, account_id, content_hash FROM transactions "
            + "WHERE portfolio_id = ? AND source_type = ? AND source_name = ? AND source_id = ANY (?)";

    /** The duplicate lookup on SQLite; parameters: source type, source name, portfolio, {@code ids} source ids. */
    static String lookupSqlite(int ids) {
        return "SELECT source_id, account_id, content_hash FROM transactions WHERE source_type = ? "
                + "AND source_name = ? AND portfolio_id = ? AND source_id IN (" + "?,".repeat(ids - 1) + "?)";
    }

    private static String identityKey(String recordId, String accountId) {
        return recordId + '\u001f' + accountId;
    }

    List<StoredTransaction> transactions(Optional<String> sourceName) {
        return transactions(sourceName, Optional.empty());
    }

    List<StoredTransaction> transactions(Optional<String> sourceName, Optional<String> accountId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(historySql(sourceName.isPresent(),
                    accountId.isPresent()))) {
                ps.setString(1, portfolio);
                int i = 1;
                if (sourceName.isPresent()) {
                    ps.setString(++i, sourceName.get());
                }
                if (accountId.isPresent()) {
                    ps.setString(++i, accountId.get());
                }
                return rows(ps);
            }
        });
    }

    /** A history read by date (reconciliation reads an account's); parameters: portfolio[, source][, account]. */
    static String historySql(boolean bySource, boolean byAccount) {
        return "SELECT * FROM transactions WHERE portfolio_id = ?" + (bySource ? " AND source_name = ?" : "")
                + (byAccount ? " AND account_id = ?" : "") + " ORDER BY date, source_name, source_id, account_id";
    }

    /**
     * The rows of one account later jobs wrote (reconciliation's checkpoint reads only these); parameters: portfolio,
     * source, account, the job the checkpoint covers.
     */
    static final String WRITTEN_AFTER = "SELECT * FROM transactions WHERE portfolio_id = ? AND source_name = ? AND "
            + "account_id = ? AND job_id > ? ORDER BY date, source_name, source_id, account_id";
    /** Whether one of those rows was rewritten in place (its old effect is gone); parameters as above. */
    static final String REWRITTEN_AFTER = "SELECT 1 FROM transactions WHERE portfolio_id = ? AND source_name = ? AND "
            + "account_id = ? AND job_id > ? AND imported_at <> updated_at";

    /**
     * @return the account's rows that jobs after {@code afterJobId} inserted, by date; or, when one of them rewrote
     *         a row in place, none and {@code rewritten}
     */
    AccountWrites writtenAfter(String sourceName, String accountId, long afterJobId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(REWRITTEN_AFTER)) {
                bindWrittenAfter(ps, sourceName, accountId, afterJobId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new AccountWrites(List.of(), true);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(WRITTEN_AFTER)) {
                bindWrittenAfter(ps, sourceName, accountId, afterJobId);
                return new AccountWrites(rows(ps), false);
            }
        });
    }

    private void bindWrittenAfter(PreparedStatement ps, String sourceName, String accountId, long afterJobId)
            throws SQLException {
        ps.setString(1, portfolio);
        ps.setString(2, sourceName);
        ps.setString(3, accountId);
        ps.setLong(4, afterJobId);
    }

    /** The transfer-link candidates; parameter: portfolio. */
    static final String UNLINKED_TRANSFERS = "SELECT * FROM transactions t WHERE t.portfolio_id = ? AND "
            + "t.transaction_type IN ('DEPOSIT', 'WITHDRAWAL', 'TRANSFER_IN', 'TRANSFER_OUT') AND NOT EXISTS "
            + "(SELECT 1 FROM transfer_links l WHERE l.portfolio_id = t.portfolio_id AND l.out_source_name = "
            + "t.source_name AND l.out_account_id = t.account_id AND l.out_source_id = t.source_id) AND NOT "
            + "EXISTS (SELECT 1 FROM transfer_links l WHERE l.portfolio_id = t.portfolio_id AND "
            + "l.in_source_name = t.source_name AND l.in_account_id = t.account_id AND l.in_source_id = "
            + "t.source_id) ORDER BY t.date, t.source_name, t.source_id, t.account_id";

    /**
     * @return the records not yet a side of a {@code transfer_links} row whose type can be one (deposits,
     *         withdrawals, transfers in and out), by date
     */
    List<StoredTransaction> unlinkedTransfers() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(UNLINKED_TRANSFERS)) {
                ps.setString(1, portfolio);
                return rows(ps);
            }
        });
    }

    /** The keyset page's statement for {@code q} (its parameters in the order {@link #page} binds them). */
    static String pageSql(TransactionPageQuery q) {
        return pageStatement(q, SqlDialect.SQLITE, JdbcPortfolioStore.DEFAULT_PORTFOLIO, new ArrayList<>());
    }

    TransactionPage page(TransactionPageQuery q) {
        List<Binder> binds = new ArrayList<>();
        String sql = pageStatement(q, dialect, portfolio, binds);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < binds.size(); i++) {
                    binds.get(i).bind(ps, i + 1);
                }
                List<TransactionPageQuery.Key> keys = new ArrayList<>();
                List<StoredTransaction> rows = rows(ps, keys);
                if (rows.size() <= q.limit()) {
                    return new TransactionPage(rows, Optional.empty());
                }
                return new TransactionPage(rows.subList(0, q.limit()), Optional.of(keys.get(q.limit() - 1)));
            }
        });
    }

    private static String pageStatement(TransactionPageQuery q, SqlDialect dialect, String portfolio,
                                        List<Binder> binds) {
        StringBuilder sql = new StringBuilder("SELECT * FROM transactions WHERE portfolio_id = ?");
        binds.add((ps, i) -> ps.setString(i, portfolio));
        q.source().ifPresent(v -> { sql.append(" AND source_name = ?"); binds.add((ps, i) -> ps.setString(i, v)); });
        q.account().ifPresent(v -> { sql.append(" AND account_id = ?"); binds.add((ps, i) -> ps.setString(i, v)); });
        q.symbol().ifPresent(v -> { sql.append(" AND UPPER(symbol) = ?");
            binds.add((ps, i) -> ps.setString(i, v.toUpperCase(java.util.Locale.ROOT))); });
        q.type().ifPresent(v -> { sql.append(" AND transaction_type = ?"); binds.add((ps, i) -> ps.setString(i, v.name())); });
        q.from().ifPresent(v -> { sql.append(" AND trade_date >= ?"); binds.add((ps, i) -> dialect.setDate(ps, i, v)); });
        q.to().ifPresent(v -> { sql.append(" AND trade_date <= ?"); binds.add((ps, i) -> dialect.setDate(ps, i, v)); });
        q.after().ifPresent(k -> {
            // a row-value comparison, which both databases turn into a range scan on the (trade_date, id) index;
            // the equivalent "a < ? OR (a = ? AND b < ?)" makes SQLite scan from the top (20x slower at row 1M)
            sql.append(" AND (trade_date, id) < (?, ?)");
            binds.add((ps, i) -> dialect.setDate(ps, i, k.tradeDate()));
            binds.add((ps, i) -> ps.setLong(i, k.rowId()));
        });
        sql.append(" ORDER BY trade_date DESC, id DESC LIMIT ").append(q.limit() + 1);
        return sql.toString();
    }

    private interface Binder {
        void bind(PreparedStatement ps, int index) throws SQLException;
    }

    private List<StoredTransaction> rows(PreparedStatement ps) throws SQLException {
        return rows(ps, null);
    }

    private List<StoredTransaction> rows(PreparedStatement ps, List<TransactionPageQuery.Key> keys)
            throws SQLException {
        List<StoredTransaction> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (keys != null) {
                    keys.add(new TransactionPageQuery.Key(dialect.date(rs, "trade_date"), rs.getLong("id")));
                }
                out.add(row(rs));
            }
        }
        return out;
    }

    private StoredTransaction row(ResultSet rs) throws SQLException {
        Transaction.Builder b = Transaction.builder()
                .date(dialect.instant(rs, "date").orElseThrow())
                .tradeDate(dialect.date(rs, "trade_date"))
                .symbol(rs.getString("symbol"))
                .name(rs.getString("name"))
                .type(TransactionType.valueOf(rs.getString("transaction_type")))
                .quantity(dialect.decimal(rs, "quantity").orElseThrow())
                .price(dialect.decimal(rs, "price").orElse(null))
                .amount(dialect.decimal(rs, "amount").orElseThrow())
                .currency(rs.getString("currency"))
                .fees(dialect.decimal(rs, "fees").orElseThrow())
                .feeCurrency(rs.getString("fee_currency"))
                .accountId(rs.getString("account_id"))
                .description(rs.getString("description"))
                .source(rs.getString("source_name"))
                .rawType(rs.getString("raw_type"));
        String recordId = rs.getString("source_id");
        if (!recordId.startsWith("h:")) {
            b.sourceId(recordId);
        }
        AttributesJson.read(rs.getString("attributes")).forEach(b::attribute);
        return new StoredTransaction(rs.getString("source_type"), rs.getString("source_name"),
                recordId, rs.getString("content_hash"), b.build());
    }

    /**
     * The rows of one account written after a sink's cursor, in the order they were written; parameters: portfolio,
     * namespace, account, job, row. The row-value comparison is a range scan on
     * {@code ix_transactions_account_writes} in both databases.
     */
    static String changesSql(int limit) {
        return "SELECT * FROM transactions WHERE portfolio_id = ? AND source_name = ? AND account_id = ? "
                + "AND (job_id, id) > (?, ?) ORDER BY job_id, id LIMIT " + limit;
    }

    /** @return up to {@code limit} rows of the account after {@code after}, oldest write first */
    List<StoredChange> changesAfter(String sourceName, String accountId, StoredChange.Position after, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(changesSql(limit))) {
                ps.setString(1, portfolio);
                ps.setString(2, sourceName);
                ps.setString(3, accountId);
                ps.setLong(4, after.jobId());
                ps.setLong(5, after.rowId());
                List<StoredChange> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredChange(new StoredChange.Position(rs.getLong("job_id"), rs.getLong("id")),
                                row(rs)));
                    }
                }
                return out;
            }
        });
    }

    long countTransactions(Optional<String> sourceName) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM transactions WHERE portfolio_id = ?"
                    + (sourceName.isPresent() ? " AND source_name = ?" : ""))) {
                ps.setString(1, portfolio);
                if (sourceName.isPresent()) {
                    ps.setString(2, sourceName.get());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
