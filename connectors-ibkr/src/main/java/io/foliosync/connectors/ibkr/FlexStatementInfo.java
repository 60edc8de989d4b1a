package io.foliosync.connectors.ibkr;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The header of one {@code <FlexStatement>}: one account's statement for a period. A multi-account Flex
 * query holds one per account.
 *
 * @param accountId     the account the statement covers
 * @param fromDate      the first day covered, when stated
 * @param toDate        the last day covered, when stated
 * @param whenGenerated when IBKR generated it, when stated
 */
@API(status = INTERNAL, since = "0.1")
public record FlexStatementInfo(String accountId, Optional<LocalDate> fromDate, Optional<LocalDate> toDate,
                                Optional<Instant> whenGenerated) {
    public FlexStatementInfo {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(fromDate, "fromDate");
        Objects.requireNonNull(toDate, "toDate");
        Objects.requireNonNull(whenGenerated, "whenGenerated");
    }
}
