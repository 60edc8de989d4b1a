package io.foliosync.imports.pipeline;

import io.foliosync.connectors.api.Transaction;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The value a {@link ValidationIssue}'s field holds in a record, as text for the quarantine: read from the record
 * by the field's name rather than carried by each rule, so a rule added later names its value too (an attribute
 * such as {@code multiplier} is looked up among the record's attributes).
 */
final class FieldValues {
    private FieldValues() {
    }

    static Optional<String> of(Transaction t, Optional<String> field) {
        return field.flatMap(f -> switch (f) {
            case "symbol" -> t.symbol();
            case "price" -> t.price().map(FieldValues::plain);
            case "quantity" -> Optional.of(plain(t.quantity()));
            case "amount" -> Optional.of(plain(t.amount()));
            case "fees" -> Optional.of(plain(t.fees()));
            case "date" -> Optional.of(t.date().toString());
            case "currency" -> Optional.of(t.currency());
            case "feeCurrency" -> t.feeCurrency();
            case "sourceId" -> t.sourceId();
            case "accountId" -> Optional.of(t.accountId());
            default -> Optional.ofNullable(t.attributes().get(f));
        });
    }

    /** @return where a record came from: its source id, else its position in the sync's pages */
    static String location(Transaction t, int pageNo, int index) {
        return t.sourceId().map(id -> "record " + id)
                .orElse("page " + pageNo + ", record " + (index + 1));
    }

    private static String plain(BigDecimal v) {
        return v.toPlainString();
    }
}
