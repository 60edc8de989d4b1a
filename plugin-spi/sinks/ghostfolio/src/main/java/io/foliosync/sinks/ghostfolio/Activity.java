package io.foliosync.sinks.ghostfolio;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One Ghostfolio activity as its import and update endpoints take it (the fields of its {@code CreateOrderDto}
 * that FolioSync sets; Ghostfolio rejects any other property).
 *
 * @param recordId   the FolioSync record it stands for (not sent: the {@code comment} carries a marker of it)
 * @param comment    {@code foliosync:<source>/<account>/<record>} and, when there is one, a note; the marker keeps
 *                   look-alike records distinct under Ghostfolio's duplicate rule, which ignores the account
 * @param currency   an ISO 4217 code
 * @param dataSource {@code YAHOO}, {@code COINGECKO} or {@code MANUAL}
 * @param date       when it happened
 * @param fee        in {@code currency}
 * @param quantity   units
 * @param symbol     the symbol at the data source ({@code AAPL}, {@code BTCUSD}, {@code bitcoin}, {@code GF_...})
 * @param type       {@code BUY}, {@code SELL}, {@code DIVIDEND}, {@code FEE} or {@code INTEREST}
 * @param unitPrice  in {@code currency}
 */
record Activity(String recordId, String comment, String currency, String dataSource, Instant date, BigDecimal fee,
                BigDecimal quantity, String symbol, String type, BigDecimal unitPrice) {
    Activity {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(fee, "fee");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(unitPrice, "unitPrice");
    }

    /** @return the marker a comment starts with for {@code recordId} of {@code account} */
    static String marker(String accountLabel, String recordId) {
        return "foliosync:" + accountLabel + "/" + recordId;
    }
}
