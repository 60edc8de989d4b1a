package io.foliosync.sinks.ghostfolio;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.sink.ChangedRecord;
import io.foliosync.connectors.api.sink.SinkAccount;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;

/**
 * FolioSync's records as Ghostfolio activities. Ghostfolio has six activity types (BUY, SELL, DIVIDEND, FEE,
 * INTEREST, LIABILITY); each FolioSync type maps to one of them or, deliberately, to none (docs/sinks.md has the
 * table and the reasons).
 */
final class ActivityMapper {
    /**
     * The stable symbols of activities that are no instrument: on MANUAL Ghostfolio makes a random symbol unless
     * one starting {@code GF_} is given, and a random one would make a re-sent activity a new one.
     */
    static final String FEE_SYMBOL = "GF_FOLIOSYNC_FEE";
    static final String INTEREST_SYMBOL = "GF_FOLIOSYNC_INTEREST";

    private final GhostfolioSettings settings;

    ActivityMapper(GhostfolioSettings settings) {
        this.settings = settings;
    }

    /** What a record becomes: an activity, nothing by design, or nothing because it cannot be sent as it is. */
    sealed interface Mapped permits Send, Skip, Refuse {
    }

    record Send(Activity activity) implements Mapped {
    }

    /** A type Ghostfolio has no activity for, or keeps elsewhere (cash in the account balance). */
    record Skip(String why) implements Mapped {
    }

    /** A record that should reach Ghostfolio but cannot without the user's help (a coin without a CoinGecko id). */
    record Refuse(String why) implements Mapped {
    }

    Mapped map(SinkAccount account, ChangedRecord record) {
        Transaction t = record.transaction();
        String marker = Activity.marker(account.label(), record.recordId());
        boolean cash = isCash(t);
        return switch (t.type()) {
            case BUY, SELL -> trade(account, record, t.type().name(), marker, "");
            case REWARD -> cash ? new Skip("a reward paid in cash is part of the account balance")
                    : trade(account, record, "BUY", marker, " reward");
            case TRANSFER_IN, TRANSFER_OUT -> {
                if (cash) {
                    yield new Skip("cash moved between accounts is part of the account balances");
                }
                if (t.price().isEmpty()) {
                    yield new Skip("a transfer of " + t.symbol().orElse("?") + " without a price: Ghostfolio's "
                            + "BUY/SELL needs one, enter it there by hand");
                }
                yield trade(account, record, t.type() == TransactionType.TRANSFER_IN ? "BUY" : "SELL", marker,
                        " transfer");
            }
            case DIVIDEND -> t.symbol().filter(s -> !cash)
                    .<Mapped>map(s -> instrument(account, s, t).<Mapped>map(src -> new Send(new Activity(
                            record.recordId(), marker, t.currency(), src.dataSource(), t.date(), fee(t),
                            BigDecimal.ONE, src.symbol(), "DIVIDEND", t.amount()))).orElseGet(() -> noId(s)))
                    .orElseGet(() -> new Skip("a dividend without its instrument's symbol"));
            case INTEREST -> new Send(new Activity(record.recordId(), marker, t.currency(), "MANUAL", t.date(),
                    fee(t), BigDecimal.ONE, INTEREST_SYMBOL, "INTEREST", t.amount()));
            case FEE, TAX -> new Send(new Activity(record.recordId(), marker + (t.type() == TransactionType.TAX
                    ? " tax" : ""), t.currency(), "MANUAL", t.date(), t.amount().add(fee(t)), BigDecimal.ONE,
                    FEE_SYMBOL, "FEE", BigDecimal.ZERO));
            case DEPOSIT, WITHDRAWAL -> new Skip("Ghostfolio keeps cash as the account balance, set from the "
                    + "holdings snapshot");
            case SPLIT -> new Skip("Ghostfolio applies splits from its market data");
            case OTHER -> new Skip("no Ghostfolio type for '" + t.rawType().orElse("OTHER") + "'");
        };
    }

    private Mapped trade(SinkAccount account, ChangedRecord record, String type, String marker, String note) {
        Transaction t = record.transaction();
        if (t.symbol().isEmpty()) {
            return new Skip("a " + t.type() + " without a symbol");
        }
        String symbol = t.symbol().get();
        Optional<Instrument> instrument = instrument(account, symbol, t);
        if (instrument.isEmpty()) {
            return noId(symbol);
        }
        BigDecimal price = t.price().orElse(BigDecimal.ZERO);
        String comment = marker + note + feeNote(t);
        return new Send(new Activity(record.recordId(), comment, t.currency(), instrument.get().dataSource(), t.date(),
                fee(t), t.quantity(), instrument.get().symbol(), type, price));
    }

    private static Mapped noId(String symbol) {
        return new Refuse("no CoinGecko id for " + symbol + ": add it under coingecko_ids (" + symbol
                + ": <coin id>) in the sink's entry, or set crypto_data_source: YAHOO");
    }

    /** The fee when it is in the activity's currency; Ghostfolio has one currency per activity. */
    private static BigDecimal fee(Transaction t) {
        return feeInOtherCurrency(t) ? BigDecimal.ZERO : t.fees();
    }

    private static boolean feeInOtherCurrency(Transaction t) {
        return t.fees().signum() != 0 && t.feeCurrency().filter(c -> !c.equalsIgnoreCase(t.currency())).isPresent();
    }

    /** A fee Ghostfolio's activity cannot carry is named in the comment rather than dropped unseen. */
    private static String feeNote(Transaction t) {
        return feeInOtherCurrency(t) ? " fee " + t.fees().stripTrailingZeros().toPlainString() + " "
                + t.feeCurrency().orElseThrow() + " not included" : "";
    }

    /** An instrument at a Ghostfolio data source. */
    record Instrument(String dataSource, String symbol) {
    }

    /** @return where Ghostfolio prices {@code symbol}: the configured override, else by asset kind */
    Optional<Instrument> instrument(SinkAccount account, String symbol, Transaction t) {
        String upper = symbol.toUpperCase(Locale.ROOT);
        Optional<Instrument> override = settings.symbol(upper);
        if (override.isPresent()) {
            return override;
        }
        if (!settings.isCrypto(account)) {
            return Optional.of(new Instrument("YAHOO", symbol));
        }
        if (settings.cryptoDataSource().equals("COINGECKO")) {
            return settings.coingeckoId(upper).map(id -> new Instrument("COINGECKO", id));
        }
        // Ghostfolio's Yahoo provider takes a coin as <coin>USD and turns it into Yahoo's BTC-USD
        return Optional.of(new Instrument("YAHOO", upper + "USD"));
    }

    /**
     * @return whether the record moves cash rather than an instrument: no symbol, or its own currency as the symbol
     *         (not any ISO code: ALL is Allstate's ticker as well as the lek)
     */
    private static boolean isCash(Transaction t) {
        return t.symbol().map(s -> s.equalsIgnoreCase(t.currency())).orElse(true);
    }
}
