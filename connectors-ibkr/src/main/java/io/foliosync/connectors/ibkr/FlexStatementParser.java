package io.foliosync.connectors.ibkr;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.HoldingsReport;
import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.ibkr.internal.FlexHoldings;
import io.foliosync.connectors.ibkr.internal.FlexXmlReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apiguardian.api.API;

/**
 * Reads IBKR Flex Query statements ({@code FlexQueryResponse} XML) — downloaded through the Flex Web Service
 * or by hand from Client Portal — with a streaming parser: a statement of any size is read in constant memory.
 *
 * <pre>{@code
 * FlexStatementParser parser = FlexStatementParser.create();
 * try (PagedResult<Transaction> tx = parser.transactions(Path.of("flex.xml"))) {
 *     tx.stream().forEach(store::save);
 * }
 * }</pre>
 *
 * <p>Read: {@code Trades} (execution level), {@code CashTransactions} (detail level), {@code Transfers},
 * {@code CorporateActions}, {@code OpenPositions} (summary level), {@code CashReport} (currency level),
 * {@code AccountInformation} and {@code ConversionRates}; other sections are skipped. Accepted date and time formats: dates {@code yyyyMMdd}
 * or {@code yyyy-MM-dd}, times {@code HHmmss} or {@code HH:mm:ss}, joined by {@code ;}, {@code ,}, a space or
 * {@code T}; times are read in {@link #zone()} (IBKR writes US Eastern time).
 *
 * <p>Errors: a truncated or malformed file, or a value in an unsupported format, fails with a
 * {@link DataFetchException} naming the element, field and line.
 */
@API(status = INTERNAL, since = "0.1")
public final class FlexStatementParser {
    /** IBKR writes Flex times in US Eastern time. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("America/New_York");
    /** The source id records carry. */
    public static final String SOURCE = "ibkr";

    private final String source;
    private final ZoneId zone;
    private final int pageSize;

    private FlexStatementParser(String source, ZoneId zone, int pageSize) {
        this.source = source;
        this.zone = zone;
        this.pageSize = pageSize;
    }

    /** @return a parser for source {@code ibkr}, US Eastern time, pages of 1,000 transactions */
    public static FlexStatementParser create() {
        return new FlexStatementParser(SOURCE, DEFAULT_ZONE, 1000);
    }

    /**
     * @param zone     the time zone the statement's times are in
     * @param pageSize transactions per page of {@link #transactions(Path)}; at least 1
     */
    public static FlexStatementParser create(ZoneId zone, int pageSize) {
        Objects.requireNonNull(zone, "zone");
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1 but was " + pageSize);
        }
        return new FlexStatementParser(SOURCE, zone, pageSize);
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * Streams {@code in} through {@code handler}, in document order.
     *
     * @param document what error messages call the document, such as its file name
     */
    public void read(InputStream in, String document, FlexStatementHandler handler) {
        Objects.requireNonNull(handler, "handler");
        try (FlexXmlReader reader = new FlexXmlReader(in, source, document, zone)) {
            for (FlexXmlReader.Item item = reader.next(); item != null; item = reader.next()) {
                dispatch(item, handler);
            }
        }
    }

    /** Streams the file through {@code handler}. */
    public void read(Path file, FlexStatementHandler handler) {
        read(open(file), file.getFileName().toString(), handler);
    }

    /**
     * @return the file's transactions, read lazily page by page as the caller consumes them; the file stays
     *         open until the last page is read or the result is closed
     */
    public PagedResult<Transaction> transactions(Path file) {
        return transactions(file, t -> true, s -> { });
    }

    /** @return the summary-level open positions of every account in the file */
    public List<Holding> openPositions(Path file) {
        List<Holding> holdings = new ArrayList<>();
        read(file, new FlexStatementHandler() {
            @Override
            public void openPosition(Holding holding) {
                holdings.add(holding);
            }
        });
        return holdings;
    }

    /**
     * The holdings the statements state: for each account, the summary-level {@code OpenPositions} of its
     * latest statement (latest {@code toDate}, then {@code whenGenerated}) that has that section, and one CASH
     * holding per currency with a non-zero ending cash from the {@code CashReport} (currency level) of its
     * latest statement that has one.
     *
     * @param files Flex statements, in any order
     */
    public List<Holding> holdings(Collection<Path> files) {
        return holdingsReport(files).holdings();
    }

    /**
     * Like {@link #holdings(Collection)}, and names the accounts none of whose statements has an
     * {@code <OpenPositions>} section: their positions were not reported, which reconciliation must not read as
     * "none".
     *
     * @param files Flex statements, in any order
     */
    public HoldingsReport holdingsReport(Collection<Path> files) {
        FlexHoldings holdings = new FlexHoldings();
        for (Path file : files) {
            items(file, holdings::accept);
            holdings.endDocument();
        }
        return holdings.report();
    }

    /** Streams every record of the file, sections and statement headers included, to {@code sink}. */
    void items(Path file, Consumer<FlexXmlReader.Item> sink) {
        try (FlexXmlReader reader = new FlexXmlReader(open(file), source, file.getFileName().toString(), zone)) {
            for (FlexXmlReader.Item item = reader.next(); item != null; item = reader.next()) {
                sink.accept(item);
            }
        }
    }

    /** @return the accounts the file's {@code AccountInformation} sections describe */
    public List<FlexAccount> accounts(Path file) {
        List<FlexAccount> accounts = new ArrayList<>();
        read(file, new FlexStatementHandler() {
            @Override
            public void account(FlexAccount account) {
                accounts.add(account);
            }
        });
        return accounts;
    }

    /**
     * Lazily reads transactions that pass {@code filter}, telling {@code statements} about each statement
     * header as it is reached.
     */
    PagedResult<Transaction> transactions(Path file, Predicate<Transaction> filter,
                                          Consumer<FlexStatementInfo> statements) {
        String document = file.getFileName().toString();
        return transactions(() -> open(file), document, filter, statements, () -> { });
    }

    PagedResult<Transaction> transactions(java.util.function.Supplier<InputStream> opener, String document,
                                          Predicate<Transaction> filter, Consumer<FlexStatementInfo> statements,
                                          Runnable afterClose) {
        LazyReader lazy = new LazyReader(opener, document);
        return PagedResult.of(cursor -> {
            FlexXmlReader reader = lazy.get();
            List<Transaction> items = new ArrayList<>(Math.min(pageSize, 1024));
            while (items.size() < pageSize) {
                FlexXmlReader.Item item = reader.next();
                if (item == null) {
                    lazy.close();
                    return Page.last(items);
                }
                if (item instanceof FlexXmlReader.TransactionItem t) {
                    if (filter.test(t.transaction())) {
                        items.add(t.transaction());
                    }
                } else if (item instanceof FlexXmlReader.StatementItem s) {
                    statements.accept(s.info());
                }
            }
            return Page.of(items, "page-" + (++lazy.pages));
        }, () -> {
            lazy.close();
            afterClose.run();
        });
    }

    private final class LazyReader {
        private final java.util.function.Supplier<InputStream> opener;
        private final String document;
        private FlexXmlReader reader;
        private boolean closed;
        private int pages;

        LazyReader(java.util.function.Supplier<InputStream> opener, String document) {
            this.opener = opener;
            this.document = document;
        }

        FlexXmlReader get() {
            if (closed) {
                throw new IllegalStateException("the Flex statement " + document + " was already closed");
            }
            if (reader == null) {
                reader = new FlexXmlReader(opener.get(), source, document, zone);
            }
            return reader;
        }

        void close() {
            closed = true;
            if (reader != null) {
                reader.close();
            }
        }
    }

    private InputStream open(Path file) {
        try {
            return new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
        } catch (IOException e) {
            throw new DataFetchException(source, file.getFileName().toString(),
                    "cannot open the Flex statement file: " + e, e);
        }
    }

    private static void dispatch(FlexXmlReader.Item item, FlexStatementHandler handler) {
        if (item instanceof FlexXmlReader.TransactionItem t) {
            handler.transaction(t.transaction());
        } else if (item instanceof FlexXmlReader.StatementItem s) {
            handler.statement(s.info());
        } else if (item instanceof FlexXmlReader.AccountItem a) {
            handler.account(a.account());
        } else if (item instanceof FlexXmlReader.PositionItem p) {
            handler.openPosition(p.holding());
        } else if (item instanceof FlexXmlReader.CashItem c) {
            handler.cashBalance(c.cash());
        } else if (item instanceof FlexXmlReader.RateItem r) {
            handler.conversionRate(r.rate());
        }
    }

}
