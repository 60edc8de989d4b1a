package io.foliosync.connectors.ibkr;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.FxRate;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import org.apiguardian.api.API;

/**
 * Receives what {@link FlexStatementParser#read} finds, in document order, while the file streams by: nothing
 * is kept in memory between calls. Every method defaults to ignoring its argument.
 */
@API(status = INTERNAL, since = "0.1")
public interface FlexStatementHandler {
    /** A {@code <FlexStatement>} starts: every record until the next call belongs to it. */
    default void statement(FlexStatementInfo statement) {
    }

    /** The statement's {@code <AccountInformation>}, with the base currency. */
    default void account(FlexAccount account) {
    }

    /** A trade, cash transaction, transfer or corporate action. */
    default void transaction(Transaction transaction) {
    }

    /** An {@code <OpenPosition>} (summary level) as of the statement's end. */
    default void openPosition(Holding holding) {
    }

    /**
     * A currency's non-zero ending cash from the {@code <CashReport>} (currency level), as a CASH holding whose
     * quantity and market value are the cash and whose price is 1.
     */
    default void cashBalance(Holding cash) {
    }

    /** A {@code <ConversionRate>}. */
    default void conversionRate(FxRate rate) {
    }
}
