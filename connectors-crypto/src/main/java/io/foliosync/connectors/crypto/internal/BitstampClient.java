package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.DataWarning;
import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.http.ApiClient;
import io.foliosync.connectors.api.http.RetryAfter;
import io.foliosync.connectors.api.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.knowm.xchange.bitstamp.dto.marketdata.BitstampTicker;
import org.knowm.xchange.bitstamp.service.BitstampMarketDataServiceRaw;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apiguardian.api.API;

/**
 * Bitstamp, a generic account with its own history reader. Balances go through XChange's common service (the
 * module reads every {@code <asset>_balance} of {@code /api/v2/balance/}, known to XChange or not) and prices
 * through the module's raw all-tickers call; the history does not, for what XChange 5.2.1's module does with
 * {@code user_transactions}:
 * <ul>
 *   <li>trades and funding are one mixed list the module filters on the client, so a page short of trades is not
 *       the end of the history and reading trades and funding apart fetches every row twice;</li>
 *   <li>a type the module does not know (Bitstamp documents more, such as 33) throws and fails the whole page;
 *       staking, rewards and transfers between accounts appear in neither trades nor funding;</li>
 *   <li>an asset missing from XChange's currency list is dropped from the row.</li>
 * </ul>
 * So the raw rows are read here with Bitstamp's documented v2 signature, once, oldest first, 1,000 a page:
 * {@code since_id} from the last row read (not {@code since_timestamp}, which reaches back 30 days only, except
 * for an incremental sync within those 30 days), each row mapped by its type, every non-zero asset amount kept.
 * An unknown type is kept as {@link TransactionType#OTHER} per asset moved, with its raw type and a warning.
 */
@API(status = INTERNAL, since = "0.1")
public final class BitstampClient implements ExchangeClient {
    private static final Logger LOG = LoggerFactory.getLogger(BitstampClient.class);
    static final String USER_TRANSACTIONS = "POST /api/v2/user_transactions/";
    /** Bitstamp's largest page; with {@code since_id} it is always 1,000. */
    static final int LIMIT = 1000;
    /** {@code since_timestamp} is honoured 30 days back only (Bitstamp's documentation). */
    static final Duration SINCE_TIMESTAMP_REACH = Duration.ofDays(30);
    private static final Set<String> ROW_FIELDS = Set.of("id", "datetime", "type", "fee", "order_id");
    /** Bitstamp's UTC {@code 2021-11-24 09:00:33.607389}, the fraction of any length or none. */
    private static final DateTimeFormatter DATETIME = new java.time.format.DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart()
            .appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter(Locale.ROOT);
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    private final ClientContext ctx;
    private final GenericXChangeClient common;
    private final org.knowm.xchange.Exchange exchange;
    private final List<DataWarning> warnings = new CopyOnWriteArrayList<>();

    public BitstampClient(ClientContext ctx, org.knowm.xchange.Exchange exchange, boolean remoteMetadata) {
        this.ctx = ctx;
        this.exchange = exchange;
        this.common = new GenericXChangeClient(ctx, exchange, "bitstamp", remoteMetadata);
    }

    @Override
    public ClientContext context() {
        return ctx;
    }

    /** @return what this account could not read in full since the last call, which clears them */
    public List<DataWarning> takeWarnings() {
        List<DataWarning> out = new ArrayList<>(common.takeWarnings());
        List<DataWarning> own = List.copyOf(warnings);
        warnings.removeAll(own);
        out.addAll(own);
        return out;
    }

    @Override
    public List<RawBalance> balances() {
        return common.balances();
    }

    @Override
    public PriceBook prices() {
        PriceBook book = new PriceBook();
        List<BitstampTicker> tickers = ctx.calls().http("GET /api/v2/ticker/", () -> {
            try {
                return ((BitstampMarketDataServiceRaw) exchange.getMarketDataService()).getBitstampTickers();
            } catch (Exception e) {
                throw XChangeFailures.classify(ctx.exchangeId(), "GET /api/v2/ticker/", ctx.baseUrl(), e);
            }
        });
        for (BitstampTicker t : tickers == null ? List.<BitstampTicker>of() : tickers) {
            String[] pair = t.getPair() == null ? new String[0] : t.getPair().split("/");
            if (pair.length == 2 && t.getLast() != null && t.getLast().signum() > 0) {
                book.put(AssetCodes.normalize(pair[0]), AssetCodes.normalize(pair[1]), t.getLast());
            }
        }
        return book;
    }

    @Override
    public Instant serverTime() {
        return common.serverTime();
    }

    @Override
    public PagedResult<Transaction> transactions(TransactionQuery query, String accountId) {
        // One mixed list: trades, funding, staking and rewards all come from it, so the funding overlap (for
        // withdrawals pending at the last sync) widens the one read.
        TransactionQuery read = ctx.fundingQuery(query);
        Instant now = ctx.clock().instant();
        Optional<Long> sinceTimestamp = read.since()
                .filter(s -> s.isAfter(now.minus(SINCE_TIMESTAMP_REACH).plus(Duration.ofHours(1))))
                .map(Instant::getEpochSecond);
        Set<String> seen = new HashSet<>();
        return PagedResult.of(cursor -> {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("limit", Integer.toString(LIMIT));
            form.put("sort", "asc");
            if (cursor.isPresent()) {
                form.put("since_id", cursor.get());
            } else {
                form.put("offset", "0");
                sinceTimestamp.ifPresent(s -> form.put("since_timestamp", Long.toString(s)));
            }
            Trees t = new Trees(ctx.exchangeId(), USER_TRANSACTIONS);
            List<Object> rows = t.list(post("/api/v2/user_transactions/", form), null, null);
            List<Transaction> out = new ArrayList<>();
            String last = null;
            boolean fresh = false;
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Object> row = t.object(rows.get(i), Integer.toString(i), null);
                String id = t.text(row, Integer.toString(i), "id");
                last = id;
                if (!seen.add(id)) {
                    continue;
                }
                fresh = true;
                for (Transaction.Builder b : map(t, id, row)) {
                    Transaction tx = b.accountId(accountId).source(ctx.exchangeId()).build();
                    // Trades keep the query's half-open range; funding and the rest the overlap's, as documented.
                    TransactionQuery range = tx.type() == TransactionType.BUY || tx.type() == TransactionType.SELL
                            ? query : read;
                    if (range.contains(tx.date())) {
                        out.add(tx);
                    }
                }
            }
            // A full page may have more behind it; a short one (or one of rows already read) is the end.
            return fresh && rows.size() >= LIMIT && last != null ? Page.of(out, last) : Page.last(out);
        });
    }

    /** @return the records of one row: one for a trade or a single-asset move, one per asset otherwise */
    List<Transaction.Builder> map(Trees t, String id, Map<String, Object> row) {
        String type = t.text(row, id, "type");
        Instant date = datetime(t, id, row);
        BigDecimal fee = t.optDecimal(row, id, "fee").orElse(BigDecimal.ZERO).abs();
        Map<String, BigDecimal> amounts = new LinkedHashMap<>();
        String pairKey = null;
        for (String key : row.keySet()) {
            if (ROW_FIELDS.contains(key)) {
                continue;
            }
            if (key.contains("_")) {
                pairKey = pairKey == null ? key : pairKey;
                continue;
            }
            t.optDecimal(row, id, key).filter(v -> v.signum() != 0)
                    .ifPresent(v -> amounts.put(AssetCodes.normalize(key.toUpperCase(Locale.ROOT)), v));
        }
        String record = "user_transaction/" + id;
        List<Transaction.Builder> out = new ArrayList<>();
        switch (type) {
            case "2" -> out.add(trade(t, record, row, pairKey, amounts, fee, date));
            case "0", "1", "14", "35", "27", "32" -> {
                if (amounts.size() != 1) {
                    throw t.bad(record, "amounts", "expected one asset moved by a type " + type + " row but found "
                            + amounts.keySet());
                }
                Map.Entry<String, BigDecimal> e = amounts.entrySet().iterator().next();
                TransactionType mapped = switch (type) {
                    case "0" -> TransactionType.DEPOSIT;
                    case "1" -> TransactionType.WITHDRAWAL;
                    case "27", "32" -> TransactionType.REWARD;
                    default -> e.getValue().signum() > 0 ? TransactionType.TRANSFER_IN : TransactionType.TRANSFER_OUT;
                };
                out.add(move(record, mapped, type, e.getKey(), e.getValue(), fee, date));
            }
            default -> {
                // Staking moves (25, 26) and types Bitstamp added after the module was written: what moved, kept.
                if (!type.equals("25") && !type.equals("26")) {
                    warn(record, "Bitstamp transaction type " + type + " is not documented to FolioSync: kept as "
                            + "OTHER for each asset it moved (" + amounts.keySet() + ")");
                }
                for (Map.Entry<String, BigDecimal> e : amounts.entrySet()) {
                    String perAsset = amounts.size() == 1 ? record : record + "/" + e.getKey();
                    out.add(move(perAsset, TransactionType.OTHER, type, e.getKey(), e.getValue(),
                            amounts.size() == 1 ? fee : BigDecimal.ZERO, date));
                }
            }
        }
        t.optText(row, "order_id").filter(o -> !o.equals("0")).ifPresent(o -> out.forEach(b -> b.attribute("order_id", o)));
        return out;
    }

    private Transaction.Builder trade(Trees t, String record, Map<String, Object> row, String pairKey,
                                      Map<String, BigDecimal> amounts, BigDecimal fee, Instant date) {
        if (pairKey == null) {
            throw t.bad(record, "base_quote", "a trade row without its price field (such as btc_usd)");
        }
        String[] parts = pairKey.split("_");
        if (parts.length != 2) {
            throw t.bad(record, pairKey, "expected base_quote");
        }
        String base = AssetCodes.normalize(parts[0].toUpperCase(Locale.ROOT));
        String quote = AssetCodes.normalize(parts[1].toUpperCase(Locale.ROOT));
        BigDecimal baseAmount = Optional.ofNullable(amounts.get(base))
                .orElseThrow(() -> t.bad(record, parts[0], "the trade's base amount is missing or zero"));
        BigDecimal quoteAmount = Optional.ofNullable(amounts.get(quote))
                .orElseThrow(() -> t.bad(record, parts[1], "the trade's quote amount is missing or zero"));
        // Sell rows have been seen with the rate signed as the base amount (XChange's recorded sample): a price is its size.
        BigDecimal price = t.decimal(row, record, pairKey).abs();
        return Transaction.builder()
                .date(date)
                .symbol(base)
                .type(baseAmount.signum() > 0 ? TransactionType.BUY : TransactionType.SELL)
                .quantity(baseAmount.abs())
                .price(price)
                .amount(quoteAmount.abs())
                .currency(quote)
                .fees(fee)
                .feeCurrency(quote)
                .sourceId(record)
                .rawType("2")
                .attribute("market", base + "/" + quote);
    }

    private static Transaction.Builder move(String record, TransactionType type, String rawType, String asset,
                                            BigDecimal amount, BigDecimal fee, Instant date) {
        return Transaction.builder()
                .date(date)
                .symbol(asset)
                .type(type)
                .quantity(amount.abs())
                .amount(amount.abs())
                .currency(asset)
                .fees(fee)
                .feeCurrency(asset)
                .sourceId(record)
                .rawType(rawType)
                .attribute("direction", amount.signum() < 0 ? "out" : "in");
    }

    private Instant datetime(Trees t, String id, Map<String, Object> row) {
        String s = t.text(row, id, "datetime");
        try {
            return LocalDateTime.parse(s, DATETIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw t.bad("user_transaction/" + id, "datetime", "expected YYYY-MM-DD HH:MM:SS[.ffffff] (UTC) but was '"
                    + s + "'");
        }
    }

    private void warn(String record, String message) {
        if (warnings.stream().noneMatch(w -> w.message().equals(message))) {
            warnings.add(DataWarning.of(ctx.exchangeId(), record, message));
        }
        LOG.warn("{}: {}: {}", ctx.exchangeId(), record, message);
    }

    /** One signed POST, retried (and signed again) by the module's one retry layer. */
    private Object post(String path, Map<String, String> form) {
        return ctx.calls().http(USER_TRANSACTIONS, () -> attempt(path, form));
    }

    private Object attempt(String path, Map<String, String> form) {
        HttpUrl url = ctx.baseUrl().newBuilder().encodedPath(path).build();
        FormBody.Builder fb = new FormBody.Builder();
        form.forEach(fb::add);
        FormBody body = fb.build();
        StringBuilder encoded = new StringBuilder();
        for (int i = 0; i < body.size(); i++) {
            encoded.append(i == 0 ? "" : "&").append(body.encodedName(i)).append('=').append(body.encodedValue(i));
        }
        String payload = encoded.toString();
        String nonce = UUID.randomUUID().toString();
        String timestamp = Long.toString(ctx.clock().millis());
        String host = url.port() == HttpUrl.defaultPort(url.scheme()) ? url.host() : url.host() + ":" + url.port();
        String message = "BITSTAMP " + ctx.apiKey().reveal() + "POST" + host + url.encodedPath()
                + (url.encodedQuery() == null ? "" : url.encodedQuery())
                + (payload.isEmpty() ? "" : "application/x-www-form-urlencoded") + nonce + timestamp + "v2" + payload;
        Request request = new Request.Builder().url(url)
                .header("X-Auth", "BITSTAMP " + ctx.apiKey().reveal())
                .header("X-Auth-Signature", sign(message))
                .header("X-Auth-Nonce", nonce)
                .header("X-Auth-Timestamp", timestamp)
                .header("X-Auth-Version", "v2")
                .post(RequestBody.create(payload.getBytes(StandardCharsets.UTF_8), FORM))
                .build();
        try (Response response = ctx.http().newCall(request).execute()) {
            String text = response.body() == null ? "" : response.body().string();
            int code = response.code();
            if (code == 429) {
                throw new RateLimitException(ctx.exchangeId(), USER_TRANSACTIONS + ": HTTP 429: rate limit exceeded",
                        RetryAfter.of(response, ctx.clock()));
            }
            if (code == 401 || code == 403) {
                throw new AuthenticationException(ctx.exchangeId(), USER_TRANSACTIONS + ": the API key was refused "
                        + "(HTTP " + code + ": " + Calls.snippet(text) + "): check crypto_exchanges."
                        + ctx.exchangeId() + ".api_key, api_secret and the key's permission to read transactions");
            }
            if (code < 200 || code >= 300) {
                throw DataFetchException.httpStatus(ctx.exchangeId(), USER_TRANSACTIONS, code, Calls.snippet(text));
            }
            Object tree = Json.readTree(text);
            if (tree instanceof Map<?, ?> error) {
                // Bitstamp answers some refusals with 200 and {"status": "error", "reason": ..., "code": ...}; its
                // codes API0001 to API0021 are the request's authentication (key, signature, nonce, timestamp).
                String errorCode = String.valueOf(error.get("code"));
                String detail = Calls.snippet(String.valueOf(error.get("reason"))) + " (" + errorCode + ")";
                if (errorCode.matches("API00(0[1-9]|1[0-9]|2[01])")) {
                    throw new AuthenticationException(ctx.exchangeId(), USER_TRANSACTIONS + ": Bitstamp refused the "
                            + "request's authentication: " + detail + ": check crypto_exchanges." + ctx.exchangeId()
                            + ".api_key, api_secret, the key's permission to read transactions and this machine's clock");
                }
                throw new DataFetchException(ctx.exchangeId(), USER_TRANSACTIONS, "Bitstamp answered with an error: "
                        + detail, null);
            }
            return tree;
        } catch (com.squareup.moshi.JsonEncodingException | java.io.EOFException
                 | com.squareup.moshi.JsonDataException e) {
            throw DataFetchException.malformed(ctx.exchangeId(), USER_TRANSACTIONS, null, null,
                    "malformed JSON: " + e.getMessage(), e);
        } catch (IOException e) {
            throw ApiClient.networkError(ctx.exchangeId(), USER_TRANSACTIONS, url, e);
        }
    }

    private String sign(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(ctx.apiSecret().reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            StringBuilder hex = new StringBuilder();
            for (byte b : mac.doFinal(message.getBytes(StandardCharsets.UTF_8))) {
                hex.append(String.format(Locale.ROOT, "%02X", b));
            }
            return hex.toString();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }
}
