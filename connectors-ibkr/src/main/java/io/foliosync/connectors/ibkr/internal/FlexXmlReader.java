package io.foliosync.connectors.ibkr.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.ContractTerms;
import io.foliosync.connectors.api.CurrencyCodes;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.ibkr.FlexAccount;
import io.foliosync.connectors.ibkr.FlexStatementInfo;
import io.foliosync.connectors.api.FxRate;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apiguardian.api.API;

/**
 * Pulls records out of a {@code FlexQueryResponse} document one at a time with StAX, so memory stays
 * constant whatever the file's size. DTDs and external entities are disabled (no XXE).
 *
 * <p>Signs are IBKR's: a sell's quantity is negative, a buy's proceeds negative, a fee or a withheld tax
 * negative, a reversal the opposite. {@code fees} is the commission charged, never negative.
 */
@API(status = INTERNAL, since = "0.1")
public final class FlexXmlReader implements AutoCloseable {
    /** The attribute saying whether a cash transaction's money comes {@code in} or goes {@code out}. */
    public static final String DIRECTION = "direction";
    private static final XMLInputFactory FACTORY = secureFactory();
    private static final List<String> TRADE_ATTRIBUTES = List.of("conid", "isin", "cusip", "assetCategory",
            "subCategory", "multiplier", "exchange", "listingExchange", "ibExecID", "ibOrderID", "transactionID",
            "fxRateToBase", "openCloseIndicator", "notes", "putCall", "strike", "expiry", "underlyingSymbol",
            "underlyingConid", "transactionType", "settleDateTarget", "netCash", "acctAlias", "orderType",
            "levelOfDetail");
    private static final List<String> CASH_ATTRIBUTES = List.of("conid", "isin", "assetCategory",
            "fxRateToBase", "settleDate", "reportDate", "exDate", "actionID", "code", "levelOfDetail",
            "acctAlias", "tradeID");
    private static final List<String> TRANSFER_ATTRIBUTES = List.of("conid", "isin", "assetCategory",
            "fxRateToBase", "type", "direction", "company", "account", "accountName", "deliveringBroker",
            "transferPrice", "positionAmount", "cashTransfer", "pnlAmount", "code", "levelOfDetail");
    private static final List<String> CORPORATE_ACTION_ATTRIBUTES = List.of("conid", "isin", "assetCategory",
            "fxRateToBase", "type", "actionID", "proceeds", "value", "reportDate", "code", "levelOfDetail");

    /** One thing found in the document. */
    public sealed interface Item permits StatementItem, AccountItem, TransactionItem, PositionItem, CashItem,
            SectionItem, RateItem {
    }

    public record StatementItem(FlexStatementInfo info) implements Item {
    }

    public record AccountItem(FlexAccount account) implements Item {
    }

    public record TransactionItem(Transaction transaction) implements Item {
    }

    public record PositionItem(Holding holding) implements Item {
    }

    public record RateItem(FxRate rate) implements Item {
    }

    /** A currency's ending cash from the statement's {@code <CashReport>}, as a CASH holding. */
    public record CashItem(Holding cash) implements Item {
    }

    /**
     * An {@code <OpenPositions>} or {@code <CashReport>} section starts: the statement states positions or cash
     * (even when the section then lists nothing, which means none).
     */
    public record SectionItem(String name) implements Item {
    }

    /** The sections {@link SectionItem} reports. */
    public static final String OPEN_POSITIONS = "OpenPositions";
    public static final String CASH_REPORT = "CashReport";

    private final XMLStreamReader reader;
    private final InputStream input;
    private final String source;
    private final String document;
    private final ZoneId zone;
    private final Deque<String> open = new ArrayDeque<>();
    private final Map<String, String> attrs = new HashMap<>();
    private final Map<String, Integer> occurrences = new HashMap<>();
    private String statementAccount;
    private String baseCurrency;
    private boolean rootChecked;
    private int skipped;

    /**
     * @param in       the document; closed by {@link #close()}
     * @param source   the connector id put in records and errors
     * @param document what errors call the document (a file name, {@code GetStatement})
     * @param zone     the time zone of the statement's dates and times (IBKR: US Eastern)
     */
    public FlexXmlReader(InputStream in, String source, String document, ZoneId zone) {
        this.input = Objects.requireNonNull(in, "in");
        this.source = Objects.requireNonNull(source, "source");
        this.document = Objects.requireNonNull(document, "document");
        this.zone = Objects.requireNonNull(zone, "zone");
        try {
            this.reader = FACTORY.createXMLStreamReader(in);
        } catch (XMLStreamException e) {
            throw DataFetchException.malformed(source, document, null, null,
                    "cannot read the Flex statement: " + e.getMessage(), e);
        }
    }

    static XMLInputFactory secureFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        return f;
    }

    /** @return how many rows were skipped as summaries or non-execution levels */
    public int skipped() {
        return skipped;
    }

    /**
     * @return the next record, or null at the end of the document
     * @throws DataFetchException for a truncated or malformed document, naming the element and line
     */
    public Item next() {
        try {
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = reader.getLocalName();
                    open.push(name);
                    Item item = startElement(name);
                    if (item != null) {
                        return item;
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    String name = open.isEmpty() ? "" : open.pop();
                    if (name.equals("FlexStatement")) {
                        statementAccount = null;
                        baseCurrency = null;
                        occurrences.clear();
                    }
                } else if (event == XMLStreamConstants.END_DOCUMENT) {
                    if (!rootChecked) {
                        throw DataFetchException.malformed(source, document, null, null,
                                "empty document: not a Flex Query response", null);
                    }
                }
            }
            return null;
        } catch (XMLStreamException e) {
            Location at = e.getLocation();
            String where = at == null ? "unknown position" : "line " + at.getLineNumber() + ", column "
                    + at.getColumnNumber();
            throw DataFetchException.malformed(source, document, where, null,
                    "truncated or malformed Flex XML inside <" + (open.isEmpty() ? "(document)" : open.peek())
                            + "> (path " + path() + ") at " + where + ": " + firstLine(e.getMessage())
                            + "; download the statement again", e);
        }
    }

    private Item startElement(String name) {
        if (!rootChecked) {
            rootChecked = true;
            if (!name.equals("FlexQueryResponse")) {
                throw DataFetchException.malformed(source, document, "line " + line(), null,
                        "not a Flex Query response: the document starts with <" + name
                                + ">, expected <FlexQueryResponse>", null);
            }
            return null;
        }
        switch (name) {
            case "FlexStatement" -> {
                readAttributes();
                statementAccount = attrs.get("accountId");
                if (statementAccount == null) {
                    throw malformed(name, "accountId", "missing");
                }
                return new StatementItem(new FlexStatementInfo(statementAccount, optDate(name, "fromDate"),
                        optDate(name, "toDate"), optDateTime(name, "whenGenerated")));
            }
            case "AccountInformation" -> {
                readAttributes();
                String currency = currency(name, "currency", attrs.get("currency"));
                baseCurrency = currency;
                return new AccountItem(new FlexAccount(account(name), currency,
                        Optional.ofNullable(attrs.get("acctAlias")), Optional.ofNullable(attrs.get("accountType"))));
            }
            case "Trade" -> {
                readAttributes();
                if (!isLevel("EXECUTION")) {
                    skipped++;
                    return null;
                }
                return new TransactionItem(trade());
            }
            case "CashTransaction" -> {
                readAttributes();
                if (!isLevel("DETAIL")) {
                    skipped++;
                    return null;
                }
                return new TransactionItem(cashTransaction());
            }
            case "Transfer" -> {
                readAttributes();
                if (!isLevel("DETAIL")) {
                    skipped++;
                    return null;
                }
                return new TransactionItem(transfer());
            }
            case "CorporateAction" -> {
                readAttributes();
                if (!isLevel("DETAIL")) {
                    skipped++;
                    return null;
                }
                return new TransactionItem(corporateAction());
            }
            case "OpenPosition" -> {
                readAttributes();
                if (!isLevel("SUMMARY")) {
                    skipped++;
                    return null;
                }
                return new PositionItem(openPosition());
            }
            case OPEN_POSITIONS, CASH_REPORT -> {
                return new SectionItem(name);
            }
            case "CashReportCurrency" -> {
                readAttributes();
                String level = attrs.get("levelOfDetail");
                String currency = attrs.get("currency");
                // the BaseCurrency row (currency BASE_SUMMARY) sums every currency converted to base: skipped
                if ((level != null && !level.equalsIgnoreCase("Currency")) || "BASE_SUMMARY".equals(currency)) {
                    skipped++;
                    return null;
                }
                Holding cash = cashBalance();
                return cash == null ? null : new CashItem(cash);
            }
            case "ConversionRate" -> {
                readAttributes();
                BigDecimal rate = decimal(name, "rate").orElse(BigDecimal.ZERO);
                if (rate.signum() <= 0) {
                    return null; // IBKR writes -1 when it has no rate
                }
                LocalDate date = date(name, "reportDate");
                return new RateItem(FxRate.direct(currency(name, "fromCurrency", attrs.get("fromCurrency")),
                        currency(name, "toCurrency", attrs.get("toCurrency")), rate, date, "ibkr:flex"));
            }
            default -> {
                return null;
            }
        }
    }

    /** A missing level means the query has one level only; otherwise only {@code wanted} is read. */
    private boolean isLevel(String wanted) {
        String level = attrs.get("levelOfDetail");
        return level == null || level.equalsIgnoreCase(wanted);
    }

    private Transaction trade() {
        String el = "Trade";
        BigDecimal quantity = required(el, "quantity");
        BigDecimal price = decimal(el, "tradePrice").orElse(null);
        ContractTerms terms = terms();
        BigDecimal amount = decimal(el, "proceeds")
                .or(() -> decimal(el, "tradeMoney").map(BigDecimal::negate))
                .orElseGet(() -> price == null ? BigDecimal.ZERO : terms.value(quantity, price).negate());
        String currency = currency(el, "currency", attrs.get("currency"));
        TransactionType type;
        if (quantity.signum() > 0) {
            type = TransactionType.BUY;
        } else if (quantity.signum() < 0) {
            type = TransactionType.SELL;
        } else {
            String bs = attrs.getOrDefault("buySell", "").toUpperCase(Locale.ROOT);
            type = bs.startsWith("BUY") ? TransactionType.BUY : bs.startsWith("SELL") ? TransactionType.SELL
                    : TransactionType.OTHER;
        }
        Transaction.Builder b = Transaction.builder()
                .type(type)
                .quantity(quantity)
                .amount(amount)
                .currency(currency)
                .accountId(account(el))
                .source(source)
                .rawType(attrs.getOrDefault("buySell", "Trade"));
        if (price != null) {
            b.price(price.abs());
        }
        BigDecimal commission = decimal(el, "ibCommission").orElse(BigDecimal.ZERO);
        if (commission.signum() < 0) {
            b.fees(commission.negate());
        } else if (commission.signum() > 0) {
            b.attribute("commissionRebate", commission.toPlainString());
        }
        String feeCurrency = attrs.get("ibCommissionCurrency");
        b.feeCurrency(feeCurrency == null ? currency : currency(el, "ibCommissionCurrency", feeCurrency));
        decimal(el, "taxes").filter(t -> t.signum() != 0).ifPresent(t -> b.attribute("taxes", t.toPlainString()));
        timestamp(b, el, "dateTime", "tradeDate", "tradeTime");
        text("symbol").ifPresent(b::symbol);
        text("description").ifPresent(b::name);
        copy(b, TRADE_ATTRIBUTES);
        b.terms(terms);
        b.sourceId(text("tradeID").or(() -> text("transactionID")).or(() -> text("ibExecID"))
                .orElseGet(() -> stableId("trade", "dateTime", "tradeDate", "tradeTime", "symbol", "conid",
                        "quantity", "tradePrice", "proceeds", "currency")));
        return build(el, b);
    }

    private Transaction cashTransaction() {
        String el = "CashTransaction";
        String rawType = attrs.get("type");
        if (rawType == null) {
            throw malformed(el, "type", "missing");
        }
        BigDecimal amount = required(el, "amount");
        Transaction.Builder b = Transaction.builder()
                .type(cashType(rawType, amount))
                .quantity(amount)
                .amount(amount)
                .currency(rowCurrency(el))
                .accountId(account(el))
                .source(source)
                .rawType(rawType);
        direction(amount).ifPresent(d -> b.attribute(DIRECTION, d));
        timestamp(b, el, "dateTime", "reportDate", null);
        text("symbol").ifPresent(b::symbol);
        text("description").ifPresent(b::description);
        copy(b, CASH_ATTRIBUTES);
        b.sourceId(text("transactionID").orElseGet(() -> stableId("cash", "type", "dateTime", "reportDate",
                "amount", "currency", "symbol", "conid", "description")));
        return build(el, b);
    }

    /**
     * @return {@code in} for money arriving in the account, {@code out} for money leaving it, empty for a zero
     *         amount. Kept as the attribute {@value #DIRECTION} because the type alone does not say it: a
     *         withholding-tax refund is a TAX that brings money in, a dividend reversal a DIVIDEND that takes it
     *         out, and import-core's normalizer drops the sign of the amount.
     */
    public static Optional<String> direction(BigDecimal amount) {
        return amount.signum() == 0 ? Optional.empty() : Optional.of(amount.signum() > 0 ? "in" : "out");
    }

    /** Maps a CashTransaction {@code type} (the long text Flex XML uses) onto a {@link TransactionType}. */
    public static TransactionType cashType(String rawType, BigDecimal amount) {
        String t = rawType.trim().toLowerCase(Locale.ROOT);
        if (t.equals("dividends") || t.contains("payment in lieu") || t.equals("div") || t.equals("pil")) {
            return TransactionType.DIVIDEND;
        }
        if (t.contains("withholding") || t.equals("wht")) {
            return TransactionType.TAX;
        }
        if (t.contains("interest")) {
            // Debit interest IBKR charges is a cost of the account, not income.
            return t.contains("paid") ? TransactionType.FEE : TransactionType.INTEREST;
        }
        if (t.contains("deposit") || t.contains("withdrawal")) {
            return amount.signum() < 0 ? TransactionType.WITHDRAWAL : TransactionType.DEPOSIT;
        }
        if (t.contains("fee") || t.contains("commission adjustment")) {
            return TransactionType.FEE;
        }
        return TransactionType.OTHER;
    }

    private Transaction transfer() {
        String el = "Transfer";
        String direction = attrs.getOrDefault("direction", "").toUpperCase(Locale.ROOT);
        BigDecimal quantity = decimal(el, "quantity").orElse(BigDecimal.ZERO);
        BigDecimal cash = decimal(el, "cashTransfer").orElse(BigDecimal.ZERO);
        boolean cashOnly = quantity.signum() == 0 && cash.signum() != 0;
        BigDecimal signed = cashOnly ? cash : quantity;
        TransactionType type = switch (direction) {
            case "IN" -> TransactionType.TRANSFER_IN;
            case "OUT" -> TransactionType.TRANSFER_OUT;
            default -> signed.signum() < 0 ? TransactionType.TRANSFER_OUT : TransactionType.TRANSFER_IN;
        };
        BigDecimal amount = cashOnly ? cash : decimal(el, "positionAmount").orElse(BigDecimal.ZERO);
        Transaction.Builder b = Transaction.builder()
                .type(type)
                .quantity(signed)
                .amount(amount)
                .currency(rowCurrency(el))
                .accountId(account(el))
                .source(source)
                .rawType(attrs.getOrDefault("type", "Transfer"));
        decimal(el, "transferPrice").filter(p -> p.signum() > 0).ifPresent(b::price);
        timestamp(b, el, "dateTime", "date", null);
        if (!cashOnly) {
            text("symbol").ifPresent(b::symbol);
        }
        text("description").ifPresent(b::description);
        copy(b, TRANSFER_ATTRIBUTES);
        b.attribute(DIRECTION, type == TransactionType.TRANSFER_IN ? "in" : "out"); // IBKR writes IN/OUT
        b.sourceId(text("transactionID").orElseGet(() -> stableId("transfer", "type", "direction", "dateTime",
                "date", "symbol", "conid", "quantity", "cashTransfer", "currency", "account")));
        return build(el, b);
    }

    private Transaction corporateAction() {
        String el = "CorporateAction";
        String code = attrs.get("type");
        String description = attrs.getOrDefault("description", "");
        boolean split = code != null ? code.equals("FS") || code.equals("RS")
                : description.toUpperCase(Locale.ROOT).contains(" SPLIT ");
        BigDecimal quantity = decimal(el, "quantity").orElse(BigDecimal.ZERO);
        BigDecimal amount = decimal(el, "amount").or(() -> decimal(el, "proceeds")).orElse(BigDecimal.ZERO);
        Transaction.Builder b = Transaction.builder()
                .type(split ? TransactionType.SPLIT : TransactionType.OTHER)
                .quantity(quantity)
                .amount(amount)
                .currency(rowCurrency(el))
                .accountId(account(el))
                .source(source)
                .rawType(code != null ? code : split ? "SPLIT" : "CorporateAction");
        timestamp(b, el, "dateTime", "reportDate", null);
        text("symbol").ifPresent(b::symbol);
        text("description").ifPresent(b::description);
        copy(b, CORPORATE_ACTION_ATTRIBUTES);
        b.sourceId(text("transactionID")
                .or(() -> text("actionID").flatMap(a -> text("conid").map(c -> "action-" + a + "-" + c)))
                .orElseGet(() -> stableId("action", "dateTime", "reportDate", "symbol", "conid", "quantity",
                        "amount", "description")));
        return build(el, b);
    }

    private Holding openPosition() {
        String el = "OpenPosition";
        String symbol = text("symbol").orElseThrow(() -> malformed(el, "symbol", "missing"));
        Holding.Builder b = Holding.builder()
                .symbol(symbol)
                .quantity(required(el, "position"))
                .currency(rowCurrency(el))
                .accountId(account(el))
                .assetClass(assetClass(attrs.get("assetCategory"), attrs.get("subCategory")))
                .source(source);
        decimal(el, "markPrice").filter(p -> p.signum() >= 0).ifPresent(b::currentPrice);
        decimal(el, "positionValue").ifPresent(b::marketValue);
        decimal(el, "costBasisMoney").ifPresent(b::costBasis);
        text("description").ifPresent(b::name);
        text("conid").ifPresent(b::externalId);
        for (String k : List.of("isin", "assetCategory", "subCategory", "side", "reportDate", "multiplier",
                "listingExchange", "fxRateToBase", "costBasisPrice", "fifoPnlUnrealized")) {
            text(k).ifPresent(v -> b.attribute(k, v));
        }
        b.terms(terms());
        String positionCurrency = rowCurrency(el);
        if (baseCurrency != null && !baseCurrency.equals(positionCurrency)) {
            decimal(el, "fxRateToBase").filter(r -> r.signum() > 0)
                    .ifPresent(r -> b.reportedFxRate(baseCurrency, r));
        }
        // The mark is the statement's, of its report date, however late the file is read.
        optDate(el, "reportDate").ifPresent(d -> b.priceAsOf(d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw DataFetchException.malformed(source, document, recordName(el), null, e.getMessage(), e);
        }
    }

    /** @return the currency's ending cash as a CASH holding, or null when it is zero */
    private Holding cashBalance() {
        String el = "CashReportCurrency";
        String currency = currency(el, "currency", attrs.get("currency"));
        BigDecimal cash = required(el, "endingCash");
        if (cash.signum() == 0) {
            return null;
        }
        Holding.Builder b = Holding.builder()
                .symbol(currency)
                .quantity(cash)
                .currentPrice(BigDecimal.ONE)
                .marketValue(cash)
                .currency(currency)
                .accountId(account(el))
                .assetClass(AssetClass.CASH)
                .source(source);
        decimal(el, "endingSettledCash").ifPresent(v -> b.attribute("settledCash", v.toPlainString()));
        optDate(el, "toDate").ifPresent(d -> text("toDate").ifPresent(v -> b.attribute("reportDate", v)));
        b.attribute("origin", "flex_cash_report");
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw DataFetchException.malformed(source, document, recordName(el), null, e.getMessage(), e);
        }
    }

    /** IBKR's asset categories: CASH is a currency pair (FX), ETFs are STK with sub-category ETF. */
    /**
     * @return the row's instrument terms: the multiplier Flex states, percent of par for bonds and bills (IBKR
     *         quotes them so: quantity 10000 at 98.50 is 9,850.00), the asset class's defaults otherwise
     */
    private ContractTerms terms() {
        return ContractTerms.from(attrs, ContractTerms.defaultsFor(assetClass(attrs.get("assetCategory"),
                attrs.get("subCategory"))));
    }

    public static AssetClass assetClass(String category, String subCategory) {
        if (category == null) {
            return AssetClass.OTHER;
        }
        if (category.equals("STK") && "ETF".equalsIgnoreCase(subCategory)) {
            return AssetClass.ETF;
        }
        return switch (category) {
            case "CASH" -> AssetClass.FOREX;
            case "FUND" -> AssetClass.MUTUAL_FUND;
            case "CRYPTO" -> AssetClass.CRYPTO;
            default -> AssetClass.fromText(category);
        };
    }

    // ---- helpers ----

    private void readAttributes() {
        attrs.clear();
        int n = reader.getAttributeCount();
        for (int i = 0; i < n; i++) {
            String v = reader.getAttributeValue(i);
            if (v != null && !v.isEmpty() && !v.equals("--")) {
                attrs.put(reader.getAttributeLocalName(i), v);
            }
        }
    }

    private Optional<String> text(String key) {
        String v = attrs.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private void copy(Transaction.Builder b, List<String> keys) {
        for (String k : keys) {
            String v = attrs.get(k);
            if (v != null && !v.isBlank()) {
                b.attribute(k, v);
            }
        }
    }

    private String account(String el) {
        String a = attrs.get("accountId");
        if (a != null && !a.isBlank()) {
            return a;
        }
        if (statementAccount == null) {
            throw malformed(el, "accountId", "missing and no enclosing <FlexStatement accountId=...>");
        }
        return statementAccount;
    }

    private String rowCurrency(String el) {
        String c = attrs.get("currency");
        if (c == null) {
            if (baseCurrency != null) {
                return baseCurrency;
            }
            throw malformed(el, "currency", "missing");
        }
        return currency(el, "currency", c);
    }

    private String currency(String el, String field, String code) {
        if (code == null) {
            throw malformed(el, field, "missing");
        }
        if (!CurrencyCodes.isWellFormed(code)) {
            throw malformed(el, field, "not a currency code: '" + code + "'");
        }
        return code;
    }

    private BigDecimal required(String el, String field) {
        return decimal(el, field).orElseThrow(() -> malformed(el, field, "missing"));
    }

    private Optional<BigDecimal> decimal(String el, String field) {
        String v = attrs.get(field);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(v.trim()));
        } catch (NumberFormatException e) {
            throw malformed(el, field, "not a number: '" + v + "'");
        }
    }

    private LocalDate date(String el, String field) {
        return optDate(el, field).orElseThrow(() -> malformed(el, field, "missing"));
    }

    private Optional<LocalDate> optDate(String el, String field) {
        String v = attrs.get(field);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(FlexDates.parse(v).orElseThrow(() -> malformed(el, field,
                "unsupported date '" + v + "' (" + FlexDates.ACCEPTED + ")")).date());
    }

    private Optional<Instant> optDateTime(String el, String field) {
        String v = attrs.get(field);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(FlexDates.parse(v).orElseThrow(() -> malformed(el, field,
                "unsupported date/time '" + v + "' (" + FlexDates.ACCEPTED + ")"))
                .atTimeOrStartOfDay().atZone(zone).toInstant());
    }

    /**
     * Sets date and tradeDate from {@code dateTimeField}, or else from {@code dateField} plus the optional
     * {@code timeField}; a value without a time is taken as the start of that day in the statement's zone.
     */
    private void timestamp(Transaction.Builder b, String el, String dateTimeField, String dateField,
                           String timeField) {
        String field = attrs.containsKey(dateTimeField) ? dateTimeField : dateField;
        String v = attrs.get(field);
        if (v == null) {
            throw malformed(el, dateTimeField, "missing (and no " + dateField + ")");
        }
        FlexDates.DateTime dt = FlexDates.parse(v).orElseThrow(() -> malformed(el, field,
                "unsupported date/time '" + v + "' (" + FlexDates.ACCEPTED + ")"));
        LocalTime time = dt.time().orElse(null);
        if (time == null && timeField != null && attrs.containsKey(timeField)) {
            String tv = attrs.get(timeField);
            time = FlexDates.parseTime(tv).orElseThrow(() -> malformed(el, timeField,
                    "unsupported time '" + tv + "' (" + FlexDates.ACCEPTED + ")"));
        }
        LocalDate tradeDate = field.equals(dateTimeField) && attrs.containsKey("tradeDate") && el.equals("Trade")
                ? optDate(el, "tradeDate").orElse(dt.date()) : dt.date();
        b.date(dt.date().atTime(time == null ? LocalTime.MIDNIGHT : time).atZone(zone).toInstant());
        b.tradeDate(tradeDate);
    }

    /**
     * An id for a row IBKR gave none: a hash of the row's identifying fields within its account, plus an
     * occurrence number for identical rows in one statement, so two imports of the same file give the same
     * ids and two identical fee lines on one day stay two transactions.
     */
    private String stableId(String kind, String... fields) {
        StringBuilder sb = new StringBuilder(kind).append('|').append(attrs.getOrDefault("accountId",
                statementAccount == null ? "" : statementAccount));
        for (String f : fields) {
            sb.append('|').append(attrs.getOrDefault(f, ""));
        }
        String hash = sha256(sb.toString());
        int n = occurrences.merge(hash, 1, Integer::sum);
        return kind + "-" + hash + (n == 1 ? "" : "-" + n);
    }

    private static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    private Transaction build(String el, Transaction.Builder b) {
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw DataFetchException.malformed(source, document, recordName(el), null, e.getMessage(), e);
        }
    }

    private DataFetchException malformed(String el, String field, String detail) {
        return DataFetchException.malformed(source, document, recordName(el), field, detail, null);
    }

    private String recordName(String el) {
        String id = attrs.get("tradeID");
        if (id == null) {
            id = attrs.get("transactionID");
        }
        return "<" + el + (id == null ? "" : " id " + id) + "> at line " + line();
    }

    private int line() {
        Location l = reader.getLocation();
        return l == null ? -1 : l.getLineNumber();
    }

    private String path() {
        StringBuilder sb = new StringBuilder();
        Iterator<String> it = open.descendingIterator();
        while (it.hasNext()) {
            sb.append(sb.length() == 0 ? "" : "/").append(it.next());
        }
        return sb.length() == 0 ? "(document)" : sb.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String m = message.replaceFirst("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", "");
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (XMLStreamException e) {
            // nothing useful to do; the stream is closed below
        }
        try {
            input.close();
        } catch (java.io.IOException e) {
            // closing a read stream
        }
    }
}
