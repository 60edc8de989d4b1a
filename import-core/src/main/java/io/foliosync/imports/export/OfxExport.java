package io.foliosync.imports.export;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.query.StoredTransaction;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@link Exports#ofx}: OFX 2.2 (XML), one investment statement ({@code INVSTMTRS}) per account. Amounts are signed
 * as OFX wants (money leaving the account negative); a record in another currency than the statement's carries
 * its own {@code CURRENCY} (rate 1: FolioSync stores no rate, the amounts stay in the record's currency).
 */
final class OfxExport {
    private static final DateTimeFormatter OFX_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSS'[0:GMT]'")
            .withZone(ZoneOffset.UTC);

    private OfxExport() {
    }

    static void write(Writer w, Map<String, List<StoredTransaction>> byAccount) throws IOException {
        Instant now = Instant.now();
        w.write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
        w.write("<?OFX OFXHEADER=\"200\" VERSION=\"220\" SECURITY=\"NONE\" OLDFILEUID=\"NONE\" NEWFILEUID=\"NONE\"?>\n");
        w.write("<OFX>\n<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>"
                + "<DTSERVER>" + OFX_TIME.format(now) + "</DTSERVER><LANGUAGE>ENG</LANGUAGE></SONRS></SIGNONMSGSRSV1>\n");
        w.write("<INVSTMTMSGSRSV1>\n");
        int trnuid = 0;
        for (Map.Entry<String, List<StoredTransaction>> account : byAccount.entrySet()) {
            List<StoredTransaction> records = account.getValue();
            String ns = records.get(0).sourceName();
            String accountId = records.get(0).transaction().accountId();
            String curdef = records.stream().collect(Collectors.groupingBy(s -> s.transaction().currency(),
                    Collectors.counting())).entrySet().stream().max(Map.Entry.<String, Long>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).map(Map.Entry::getKey)
                    .orElse("USD");
            Instant start = records.get(0).transaction().date();
            Instant end = records.get(records.size() - 1).transaction().date();
            w.write("<INVSTMTTRNRS><TRNUID>" + (++trnuid) + "</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY>"
                    + "</STATUS>\n<INVSTMTRS><DTASOF>" + OFX_TIME.format(end) + "</DTASOF><CURDEF>" + xml(curdef)
                    + "</CURDEF><INVACCTFROM><BROKERID>" + xml(ns) + "</BROKERID><ACCTID>" + xml(accountId)
                    + "</ACCTID></INVACCTFROM>\n<INVTRANLIST><DTSTART>" + OFX_TIME.format(start) + "</DTSTART><DTEND>"
                    + OFX_TIME.format(end) + "</DTEND>\n");
            for (StoredTransaction s : records) {
                String entry = entry(s, curdef);
                if (!entry.isEmpty()) {
                    w.write(entry);
                    w.write("\n");
                }
            }
            w.write("</INVTRANLIST>\n</INVSTMTRS></INVSTMTTRNRS>\n");
        }
        w.write("</INVSTMTMSGSRSV1>\n</OFX>\n");
    }

    /** @return the record as an INVTRANLIST entry; empty for one OFX has no entry for (a split) */
    static String entry(StoredTransaction s, String curdef) {
        Transaction t = s.transaction();
        boolean cash = Exports.isCash(t);
        BigDecimal fees = Exports.feesInCurrency(t);
        String currency = t.currency().equalsIgnoreCase(curdef) ? ""
                : "<CURRENCY><CURRATE>1</CURRATE><CURSYM>" + xml(t.currency()) + "</CURSYM></CURRENCY>";
        String invtran = "<INVTRAN><FITID>" + xml(s.recordId()) + "</FITID><DTTRADE>" + OFX_TIME.format(t.date())
                + "</DTTRADE>" + memo(t) + "</INVTRAN>";
        Function<String, String> secid = sym -> "<SECID><UNIQUEID>" + xml(sym) + "</UNIQUEID><UNIQUEIDTYPE>TICKER"
                + "</UNIQUEIDTYPE></SECID>";
        String units = "<UNITS>" + plain(t.quantity()) + "</UNITS>";
        return switch (t.type()) {
            case BUY, SELL -> {
                if (cash) {
                    yield "";
                }
                boolean buy = t.type() == TransactionType.BUY;
                BigDecimal total = buy ? t.amount().add(fees).negate() : t.amount().subtract(fees);
                String inner = invtran + secid.apply(t.symbol().orElseThrow()) + units + "<UNITPRICE>"
                        + plain(t.price().orElse(BigDecimal.ZERO)) + "</UNITPRICE><COMMISSION>" + plain(fees)
                        + "</COMMISSION><TOTAL>" + plain(total) + "</TOTAL>" + currency
                        + "<SUBACCTSEC>CASH</SUBACCTSEC><SUBACCTFUND>CASH</SUBACCTFUND>";
                yield buy ? "<BUYSTOCK><INVBUY>" + inner + "</INVBUY><BUYTYPE>BUY</BUYTYPE></BUYSTOCK>"
                        : "<SELLSTOCK><INVSELL>" + inner + "</INVSELL><SELLTYPE>SELL</SELLTYPE></SELLSTOCK>";
            }
            case DIVIDEND, INTEREST -> cash
                    ? bank(s, t.type() == TransactionType.DIVIDEND ? "DIV" : "INT", t.amount(), currency)
                    : "<INCOME>" + invtran + secid.apply(t.symbol().get()) + "<INCOMETYPE>"
                            + (t.type() == TransactionType.DIVIDEND ? "DIV" : "INTEREST") + "</INCOMETYPE><TOTAL>"
                            + plain(t.amount()) + "</TOTAL><SUBACCTSEC>CASH</SUBACCTSEC><SUBACCTFUND>CASH"
                            + "</SUBACCTFUND>" + currency + "</INCOME>";
            case TRANSFER_IN, TRANSFER_OUT, REWARD -> cash
                    ? bank(s, t.type() == TransactionType.TRANSFER_OUT ? "DEBIT" : "CREDIT",
                            t.type() == TransactionType.TRANSFER_OUT ? t.amount().negate() : t.amount(), currency)
                    : "<TRANSFER>" + invtran + secid.apply(t.symbol().get()) + "<SUBACCTSEC>CASH</SUBACCTSEC>"
                            + units + "<TFERACTION>" + (t.type() == TransactionType.TRANSFER_OUT ? "OUT" : "IN")
                            + "</TFERACTION><POSTYPE>LONG</POSTYPE></TRANSFER>";
            case DEPOSIT -> bank(s, "CREDIT", t.amount(), currency);
            case WITHDRAWAL -> bank(s, "DEBIT", t.amount().negate(), currency);
            case FEE, TAX -> bank(s, "FEE", t.amount().add(fees).negate(), currency);
            case OTHER -> bank(s, t.type().isInflow() ? "CREDIT" : "OTHER", t.amount(), currency);
            case SPLIT -> "";
        };
    }

    private static String bank(StoredTransaction s, String type, BigDecimal amount, String currency) {
        Transaction t = s.transaction();
        return "<INVBANKTRAN><STMTTRN><TRNTYPE>" + type + "</TRNTYPE><DTPOSTED>" + OFX_TIME.format(t.date())
                + "</DTPOSTED><TRNAMT>" + plain(amount) + "</TRNAMT><FITID>" + xml(s.recordId()) + "</FITID>"
                + memo(t) + currency + "</STMTTRN><SUBACCTFUND>CASH</SUBACCTFUND></INVBANKTRAN>";
    }

    private static String memo(Transaction t) {
        String memo = t.description().or(t::rawType).orElse(t.type().name())
                + Exports.feeNote(t).map(f -> " (" + f + ")").orElse("");
        return "<MEMO>" + xml(memo.length() > 255 ? memo.substring(0, 255) : memo) + "</MEMO>";
    }

    private static String plain(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }

    static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> b.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : c);
            }
        }
        return b.toString();
    }
}
