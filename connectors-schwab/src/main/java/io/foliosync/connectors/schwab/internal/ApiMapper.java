package io.foliosync.connectors.schwab.internal;

import static org.apiguardian.api.API.Status.INTERNAL;
import static io.foliosync.connectors.schwab.internal.JsonTree.dec;
import static io.foliosync.connectors.schwab.internal.JsonTree.list;
import static io.foliosync.connectors.schwab.internal.JsonTree.obj;
import static io.foliosync.connectors.schwab.internal.JsonTree.str;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountStatus;
import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.ContractTerms;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/** Maps Trader API JSON onto FolioSync's records. All amounts are USD: Schwab accounts are USD accounts. */
@API(status = INTERNAL, since = "0.1")
public final class ApiMapper {
    static final String USD = "USD";
    /** Standard US equity options cover 100 shares; Schwab's average price is per share. */
    private static final DateTimeFormatter API_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendPattern("XXX").optionalEnd()
            .optionalStart().appendPattern("XX").optionalEnd()
            .toFormatter(Locale.ROOT);
    private static final Pattern FEE_TEXT = Pattern.compile("\\bFEES?\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern TAX_TEXT = Pattern.compile("\\b(TAX|WITHHOLDING|W/H)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern INTEREST_TEXT = Pattern.compile("INTEREST|\\bINT\\b", Pattern.CASE_INSENSITIVE);

    private ApiMapper() {
    }

    // ---------------------------------------------------------------- accounts and holdings

    /** @return the {@code securitiesAccount} of an entry of {@code /accounts} */
    static Map<?, ?> securitiesAccount(Object entry) {
        return entry instanceof Map<?, ?> m ? obj(m, "securitiesAccount") : Map.of();
    }

    public static Account account(Object entry, String hash) {
        Map<?, ?> sa = securitiesAccount(entry);
        String rawType = str(sa, "type").orElse("");
        AccountType type = switch (rawType.toUpperCase(Locale.ROOT)) {
            case "MARGIN" -> AccountType.MARGIN;
            case "CASH" -> AccountType.BROKERAGE;
            default -> AccountType.OTHER;
        };
        String masked = AccountNumbers.mask(str(sa, "accountNumber").orElse(""));
        Optional<BigDecimal> value = dec(obj(sa, "currentBalances"), "liquidationValue");
        boolean restricted = Boolean.TRUE.equals(sa.get("isClosingOnlyRestricted"));
        return new Account(hash, "Schwab " + (rawType.isEmpty() ? "account" : rawType) + " " + masked, type, USD,
                restricted ? AccountStatus.RESTRICTED : AccountStatus.ACTIVE, value, SchwabIds.SOURCE);
    }

    /** @return the positions of one account, then its cash and money-market balances */
    public static List<Holding> holdings(Object entry, String hash) {
        Map<?, ?> sa = securitiesAccount(entry);
        List<Holding> out = new ArrayList<>();
        List<?> positions = list(sa, "positions");
        for (int i = 0; i < positions.size(); i++) {
            if (positions.get(i) instanceof Map<?, ?> p) {
                out.add(holding(p, hash, i));
            }
        }
        Map<?, ?> balances = obj(sa, "currentBalances");
        dec(balances, "cashBalance").filter(b -> b.signum() != 0).ifPresent(cash -> out.add(cash(hash, "USD",
                cash, "cashBalance")));
        dec(balances, "moneyMarketFund").filter(b -> b.signum() != 0).ifPresent(mmf -> out.add(cash(hash,
                "MONEY_MARKET_FUND", mmf, "moneyMarketFund")));
        return out;
    }

    private static Holding cash(String hash, String symbol, BigDecimal amount, String field) {
        return Holding.builder().symbol(symbol).name(symbol.equals("USD") ? "Cash" : "Money market fund")
                .quantity(amount).currentPrice(BigDecimal.ONE).marketValue(amount).costBasis(amount)
                .currency(USD).accountId(hash).assetClass(AssetClass.CASH).source(SchwabIds.SOURCE)
                .attribute("balanceField", field).build();
    }

    static Holding holding(Map<?, ?> p, String hash, int index) {
        Map<?, ?> instrument = obj(p, "instrument");
        String record = "position #" + index;
        String symbol = str(instrument, "symbol").orElseThrow(() -> DataFetchException.malformed(SchwabIds.SOURCE,
                "GET /trader/v1/accounts", record, "instrument.symbol", "missing", null));
        BigDecimal longQty = dec(p, "longQuantity").orElse(BigDecimal.ZERO);
        BigDecimal shortQty = dec(p, "shortQuantity").orElse(BigDecimal.ZERO);
        BigDecimal quantity = longQty.subtract(shortQty);
        String assetType = str(instrument, "assetType").orElse("");
        AssetClass assetClass = assetClass(assetType, str(instrument, "type").orElse(""));
        Holding.Builder b = Holding.builder().symbol(symbol.trim()).quantity(quantity).currency(USD)
                .accountId(hash).assetClass(assetClass).source(SchwabIds.SOURCE)
                .attribute("assetType", assetType);
        str(instrument, "description").ifPresent(b::name);
        str(instrument, "cusip").ifPresent(b::externalId);
        str(instrument, "underlyingSymbol").ifPresent(u -> b.attribute("underlyingSymbol", u));
        str(instrument, "putCall").ifPresent(pc -> b.attribute("putCall", pc));
        b.attribute("longQuantity", longQty.toPlainString()).attribute("shortQuantity", shortQty.toPlainString());
        Optional<BigDecimal> marketValue = dec(p, "marketValue");
        marketValue.ifPresent(b::marketValue);
        ContractTerms terms = terms(instrument, assetClass);
        b.terms(terms);
        if (marketValue.isPresent() && quantity.signum() != 0) {
            // Schwab states the market value only: the price is what the instrument's terms make of it.
            b.currentPrice(marketValue.get().divide(quantity.multiply(terms.valueFactor()), MathContext.DECIMAL64)
                    .abs().stripTrailingZeros());
        }
        dec(p, "averagePrice").ifPresent(avg -> {
            b.attribute("averagePrice", avg.toPlainString());
            b.costBasis(terms.value(quantity.abs(), avg).stripTrailingZeros());
        });
        return b.build();
    }

    /**
     * @return the instrument's terms: an option's {@code optionPremiumMultiplier} (50 for an /ES future option,
     *         100 for an equity option when absent), percent of par for fixed income, one unit otherwise
     */
    static ContractTerms terms(Map<?, ?> instrument, AssetClass assetClass) {
        ContractTerms defaults = ContractTerms.defaultsFor(assetClass);
        return dec(instrument, "optionPremiumMultiplier").filter(m -> m.signum() > 0)
                .map(m -> new ContractTerms(m, defaults.priceConvention())).orElse(defaults);
    }

    static AssetClass assetClass(String assetType, String instrumentType) {
        String t = instrumentType.toUpperCase(Locale.ROOT);
        if (t.contains("MONEY_MARKET")) {
            return AssetClass.CASH;
        }
        return switch (assetType.toUpperCase(Locale.ROOT)) {
            case "EQUITY" -> t.equals("ETF") ? AssetClass.ETF : AssetClass.STOCK;
            case "COLLECTIVE_INVESTMENT" -> AssetClass.ETF;
            case "MUTUAL_FUND" -> AssetClass.MUTUAL_FUND;
            case "OPTION" -> AssetClass.OPTION;
            case "FIXED_INCOME" -> AssetClass.BOND;
            case "CASH_EQUIVALENT", "CURRENCY" -> AssetClass.CASH;
            case "FUTURE" -> AssetClass.FUTURE;
            case "FOREX" -> AssetClass.FOREX;
            default -> AssetClass.OTHER;
        };
    }

    // ---------------------------------------------------------------- transactions

    /**
     * Maps one activity. TRADE is BUY or SELL by the sign of the instrument's transfer item; fees are the
     * currency items' costs; the activity id is the source id.
     */
    public static Transaction transaction(Map<?, ?> t, String hash, String endpoint) {
        String id = str(t, "activityId").orElseThrow(() -> DataFetchException.malformed(SchwabIds.SOURCE, endpoint,
                null, "activityId", "missing", null));
        String record = "activity " + id;
        String rawType = str(t, "type").orElse("UNKNOWN");
        Instant time = parseTime(str(t, "time").or(() -> str(t, "tradeDate")).orElseThrow(() ->
                DataFetchException.malformed(SchwabIds.SOURCE, endpoint, record, "time", "missing", null)),
                endpoint, record, "time");
        LocalDate tradeDate = str(t, "tradeDate").map(s -> parseDate(s, endpoint, record))
                .orElse(LocalDate.ofInstant(time, ApiMapper.EASTERN));
        BigDecimal net = dec(t, "netAmount").orElse(BigDecimal.ZERO);
        String description = str(t, "description").orElse("");

        Map<?, ?> security = null;
        BigDecimal fees = BigDecimal.ZERO;
        BigDecimal currencyCost = BigDecimal.ZERO;
        for (Object o : list(t, "transferItems")) {
            if (!(o instanceof Map<?, ?> item)) {
                continue;
            }
            String assetType = str(obj(item, "instrument"), "assetType").orElse("");
            BigDecimal cost = dec(item, "cost").orElse(BigDecimal.ZERO);
            if (assetType.equalsIgnoreCase("CURRENCY")) {
                currencyCost = currencyCost.add(cost);
                // Fee items carry a feeType; on a trade, every charged currency item is a fee or commission.
                if (str(item, "feeType").isPresent() || (rawType.equals("TRADE") && cost.signum() < 0)) {
                    fees = fees.subtract(cost); // a charge is a negative cost
                }
            } else if (security == null) {
                security = item;
            }
        }
        if (fees.signum() < 0) {
            fees = BigDecimal.ZERO; // a rebate is not a fee
        }

        Transaction.Builder b = Transaction.builder().date(time).tradeDate(tradeDate).accountId(hash)
                .currency(USD).source(SchwabIds.SOURCE).sourceId(id).rawType(rawType).fees(fees);
        if (fees.signum() > 0) {
            b.feeCurrency(USD);
        }
        if (!description.isEmpty()) {
            b.description(description);
        }
        str(t, "orderId").ifPresent(v -> b.attribute("orderId", v));
        str(t, "positionId").ifPresent(v -> b.attribute("positionId", v));
        str(t, "status").ifPresent(v -> b.attribute("status", v));
        str(t, "subAccount").ifPresent(v -> b.attribute("subAccount", v));

        BigDecimal securityAmount = security == null ? BigDecimal.ZERO : dec(security, "amount").orElse(BigDecimal.ZERO);
        if (security != null) {
            Map<?, ?> instrument = obj(security, "instrument");
            str(instrument, "symbol").map(String::trim).ifPresent(b::symbol);
            str(instrument, "description").ifPresent(b::name);
            str(instrument, "assetType").ifPresent(v -> b.attribute("assetType", v));
            str(security, "positionEffect").ifPresent(v -> b.attribute("positionEffect", v));
            b.terms(terms(instrument, assetClass(str(instrument, "assetType").orElse(""),
                    str(instrument, "type").orElse(""))));
        }

        TransactionType type = type(rawType, net, securityAmount, security != null, description);
        b.type(type);
        if (rawType.equals("TRADE") || (rawType.equals("RECEIVE_AND_DELIVER") && security != null)) {
            if (security == null) {
                throw DataFetchException.malformed(SchwabIds.SOURCE, endpoint, record, "transferItems",
                        "a " + rawType + " without an instrument item", null);
            }
            b.quantity(securityAmount);
            dec(security, "price").map(BigDecimal::abs).ifPresent(b::price);
            b.amount(dec(security, "cost").orElse(net.subtract(currencyCost)));
        } else {
            b.quantity(net).amount(net);
        }
        return b.build();
    }

    static final java.time.ZoneId EASTERN = java.time.ZoneId.of("America/New_York");

    static TransactionType type(String rawType, BigDecimal net, BigDecimal securityAmount, boolean hasSecurity,
                                String description) {
        return switch (rawType) {
            case "TRADE" -> securityAmount.signum() < 0 ? TransactionType.SELL : TransactionType.BUY;
            case "DIVIDEND_OR_INTEREST" -> {
                if (net.signum() < 0) {
                    yield TAX_TEXT.matcher(description).find() ? TransactionType.TAX : TransactionType.FEE;
                }
                yield INTEREST_TEXT.matcher(description).find() ? TransactionType.INTEREST : TransactionType.DIVIDEND;
            }
            case "ACH_RECEIPT", "CASH_RECEIPT", "WIRE_IN" -> TransactionType.DEPOSIT;
            case "ACH_DISBURSEMENT", "CASH_DISBURSEMENT", "WIRE_OUT" ->
                    FEE_TEXT.matcher(description).find() ? TransactionType.FEE : TransactionType.WITHDRAWAL;
            case "ELECTRONIC_FUND" -> net.signum() < 0 ? TransactionType.WITHDRAWAL : TransactionType.DEPOSIT;
            case "JOURNAL" -> {
                if (net.signum() < 0 && FEE_TEXT.matcher(description).find()) {
                    yield TransactionType.FEE;
                }
                yield net.signum() < 0 ? TransactionType.TRANSFER_OUT : TransactionType.TRANSFER_IN;
            }
            case "RECEIVE_AND_DELIVER" -> {
                BigDecimal direction = hasSecurity ? securityAmount : net;
                yield direction.signum() < 0 ? TransactionType.TRANSFER_OUT : TransactionType.TRANSFER_IN;
            }
            default -> net.signum() < 0 && FEE_TEXT.matcher(description).find()
                    ? TransactionType.FEE : TransactionType.OTHER;
        };
    }

    static Instant parseTime(String s, String endpoint, String record, String field) {
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(EASTERN).toInstant();
            }
            return OffsetDateTime.parse(s, API_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw DataFetchException.malformed(SchwabIds.SOURCE, endpoint, record, field,
                    "not a date-time: '" + s + "'", e);
        }
    }

    private static LocalDate parseDate(String s, String endpoint, String record) {
        if (s.length() > 10) {
            // Schwab sends tradeDate as a date or as a full timestamp; the day in New York is the trade date.
            return LocalDate.ofInstant(parseTime(s, endpoint, record, "tradeDate"), EASTERN);
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw DataFetchException.malformed(SchwabIds.SOURCE, endpoint, record, "tradeDate",
                    "not a date: '" + s + "'", e);
        }
    }
}
