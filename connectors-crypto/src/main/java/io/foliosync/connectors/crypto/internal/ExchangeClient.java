package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apiguardian.api.API;

/** One exchange account, read through XChange and, where XChange falls short, signed HTTP calls. */
@API(status = INTERNAL, since = "0.1")
public interface ExchangeClient {

    /**
     * One balance line as the exchange reports it.
     *
     * @param rawAsset the exchange's asset code
     * @param amount   the total (free and locked)
     * @param wallet   which wallet: {@code spot}, {@code trading}, {@code funding}
     */
    record RawBalance(String rawAsset, BigDecimal amount, String wallet) {
    }

    /** @return every balance line; an authenticated call, so it also checks the key */
    List<RawBalance> balances();

    /** @return the last prices of every market, in as few calls as the exchange allows */
    PriceBook prices();

    /** @return the exchange's clock */
    Instant serverTime();

    /**
     * @param query     the time range
     * @param accountId the account id to put on each record
     * @return every trade, deposit, withdrawal and reward in range, paged lazily
     */
    PagedResult<Transaction> transactions(TransactionQuery query, String accountId);

    /**
     * @return while {@link #transactions} is read: the pacing time of the pages known to remain; empty when the
     *         exchange does not say how much history is left
     */
    default java.util.Optional<java.time.Duration> remainingTime() {
        return java.util.Optional.empty();
    }

    /**
     * @return what the account could not read since the last call (a capability its XChange module lacks, a
     *         record kept in a reduced form), which clears them; none for a first-class exchange
     */
    default List<io.foliosync.connectors.api.DataWarning> takeWarnings() {
        return List.of();
    }

    /** @return the context this client calls through */
    ClientContext context();

    /** @return the account's pacer */
    default io.foliosync.connectors.crypto.pacing.Pacer pacer() {
        return context().calls().pacer();
    }
}
