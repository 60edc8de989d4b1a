package io.foliosync.connectors.crypto;

import static io.foliosync.connectors.crypto.FakeExchange.ok;
import static io.foliosync.connectors.crypto.FakeExchange.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.FolioSyncException;
import io.foliosync.connectors.api.HttpStatusException;
import io.foliosync.connectors.api.NetworkException;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.http.RateLimit;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.knowm.xchange.kraken.KrakenUtils;

/**
 * Each exchange's documented error codes, one per family, served by a loopback exchange through the real client:
 * the code in the answer's error field decides the exception's type (and so whether the one retry layer tries
 * again), never the message's wording. Each connector authenticates against good answers first; the balance call
 * of {@code getHoldings()} then gets the error.
 */
class ExchangeErrorCodesTest {
    static final Instant NOW = Instant.parse("2024-03-01T00:00:30Z");
    static final int ATTEMPTS = 3; // FakeExchange.connector's retry policy
    static String coinbasePem;

    FakeExchange exchange;
    List<Duration> slept = new CopyOnWriteArrayList<>();

    /** Where an exchange's balances are read, how many good answers its authentication takes, and its setup. */
    enum Venue {
        KRAKEN("/0/private/Balance", 1),
        OKX("/api/v5/account/balance", 1),
        BINANCE("/api/v3/account", 1),
        COINBASE("/api/v3/brokerage/accounts", 2),
        GATEIO("/api/v4/spot/accounts", 1),
        HTX("/v1/account/accounts/10000001/balance", 1);

        final String balances;
        final int goodAnswers;

        Venue(String balances, int goodAnswers) {
            this.balances = balances;
            this.goodAnswers = goodAnswers;
        }
    }

    @BeforeAll
    static void generateCoinbaseKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        coinbasePem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    @BeforeEach
    void setUp() {
        KrakenUtils.clearAssets();
        exchange = new FakeExchange()
                .json("/0/private/Balance", resource("kraken/balance-own.json"))
                .json("/0/public/AssetPairs", resource("kraken/assetpairs-own.json"))
                .json("/0/public/Ticker", resource("kraken/ticker-own.json"))
                .json("/api/v5/account/balance", resource("okx/account-balance-own.json"))
                .json("/api/v5/asset/balances", resource("okx/v5-asset-balances.txt"))
                .json("/api/v5/market/tickers", resource("okx/market-tickers-own.json"))
                .json("/api/v3/account", resource("binance/account-own.json"))
                .json("/api/v3/exchangeInfo", resource("binance/exchangeinfo-own.json"))
                .json("/api/v3/ticker/price", resource("binance/ticker-price-own.json"))
                .route("/api/v3/brokerage/accounts", call -> ok(resource(call.param("cursor") == null
                        ? "coinbase/brokerage-accounts-page1-own.json" : "coinbase/brokerage-accounts-page2-own.json")))
                .json("/api/v3/brokerage/market/products", resource("coinbase/market-products-own.json"))
                .json("/api/v4/spot/accounts", resource("gateio/spot-accounts-own.json"))
                .json("/api/v4/spot/tickers", resource("gateio/spot-tickers-own.json"))
                .json("/v1/account/accounts", resource("htx/accounts-own.json"))
                .json("/v1/account/accounts/10000001/balance", resource("htx/balance-spot-own.json"))
                .json("/v1/account/accounts/10000002/balance", resource("htx/balance-point-own.json"))
                .json("/v1/common/symbols", resource("htx/symbols-own.json"))
                .json("/market/tickers", resource("htx/tickers-own.json"));
    }

    @AfterEach
    void tearDown() {
        exchange.close();
        KrakenUtils.clearAssets();
    }

    static Stream<Arguments> codes() {
        return Stream.of(
                // Kraken: codes in the error array of an HTTP 200 answer
                row(Venue.KRAKEN, 200, "{\"error\":[\"EAPI:Rate limit exceeded\"]}", RateLimitException.class, "EAPI:Rate limit exceeded"),
                row(Venue.KRAKEN, 200, "{\"error\":[\"EAPI:Invalid nonce\"]}", AuthenticationException.class, "clock skew"),
                row(Venue.KRAKEN, 200, "{\"error\":[\"EAPI:Invalid key\"]}", AuthenticationException.class, "API key was refused"),
                row(Venue.KRAKEN, 200, "{\"error\":[\"EGeneral:Permission denied\"]}", AuthenticationException.class, "permissions"),
                row(Venue.KRAKEN, 200, "{\"error\":[\"EService:Unavailable\"]}", NetworkException.class, "unavailable or busy"),
                row(Venue.KRAKEN, 200, "{\"error\":[\"EGeneral:Invalid arguments:rate limit\"]}", DataFetchException.class, "EGeneral:Invalid arguments"),
                // OKX: code and msg, with the HTTP status OKX documents for each (the balance call is FolioSync's own)
                row(Venue.OKX, 429, "{\"code\":\"50011\",\"msg\":\"Rate limit reached.\",\"data\":[]}", RateLimitException.class, "50011"),
                row(Venue.OKX, 401, "{\"code\":\"50102\",\"msg\":\"Timestamp request expired\",\"data\":[]}", AuthenticationException.class, "clock skew"),
                row(Venue.OKX, 401, "{\"code\":\"50111\",\"msg\":\"Invalid OK-ACCESS-KEY\",\"data\":[]}", AuthenticationException.class, "API key was refused"),
                row(Venue.OKX, 401, "{\"code\":\"50105\",\"msg\":\"Request header OK-ACCESS-PASSPHRASE incorrect\",\"data\":[]}", AuthenticationException.class, "crypto_exchanges.okx.passphrase"),
                row(Venue.OKX, 401, "{\"code\":\"50110\",\"msg\":\"Your IP is not included in your API key's IP whitelist\",\"data\":[]}", AuthenticationException.class, "allow-list"),
                row(Venue.OKX, 200, "{\"code\":\"50013\",\"msg\":\"Systems are busy. Please try again later.\",\"data\":[]}", NetworkException.class, "50013"),
                row(Venue.OKX, 200, "{\"code\":\"50000\",\"msg\":\"Rate limit reached: body can not be empty\",\"data\":[]}", DataFetchException.class, "50000"),
                // Binance: negative codes with a non-2xx status
                row(Venue.BINANCE, 429, "{\"code\":-1003,\"msg\":\"Too much request weight used.\"}", RateLimitException.class, "429"),
                row(Venue.BINANCE, 400, "{\"code\":-1021,\"msg\":\"Timestamp for this request is outside of the recvWindow.\"}", AuthenticationException.class, "clock skew"),
                row(Venue.BINANCE, 401, "{\"code\":-2015,\"msg\":\"Invalid API-key, IP, or permissions for action.\"}", AuthenticationException.class, "API key was refused"),
                row(Venue.BINANCE, 503, "{\"code\":-1008,\"msg\":\"Spot server is currently overloaded.\"}", NetworkException.class, "-1008"),
                row(Venue.BINANCE, 400, "{\"code\":-1121,\"msg\":\"Invalid symbol; too many requests.\"}", HttpStatusException.class, "-1121"),
                // Coinbase Advanced Trade: gRPC-style error names
                row(Venue.COINBASE, 429, "{\"error\":\"RATE_LIMIT_EXCEEDED\",\"message\":\"Too many requests\"}", RateLimitException.class, "RATE_LIMIT_EXCEEDED"),
                row(Venue.COINBASE, 401, "{\"error\":\"UNAUTHENTICATED\",\"message\":\"Unauthorized\"}", AuthenticationException.class, "clock skew"),
                row(Venue.COINBASE, 403, "{\"error\":\"PERMISSION_DENIED\",\"message\":\"Missing required scopes\"}", AuthenticationException.class, "permissions"),
                row(Venue.COINBASE, 500, "{\"error\":\"INTERNAL\",\"message\":\"internal error\"}", NetworkException.class, "INTERNAL"),
                row(Venue.COINBASE, 400, "{\"error\":\"INVALID_ARGUMENT\",\"message\":\"token expired\"}", HttpStatusException.class, "INVALID_ARGUMENT"),
                // Gate.io: labels
                row(Venue.GATEIO, 429, "{\"label\":\"TOO_MANY_REQUESTS\",\"message\":\"Request Rate limit Exceeded\"}", RateLimitException.class, "TOO_MANY_REQUESTS"),
                row(Venue.GATEIO, 403, "{\"label\":\"REQUEST_EXPIRED\",\"message\":\"gap between request Timestamp and server time exceeds 60\"}", AuthenticationException.class, "clock skew"),
                row(Venue.GATEIO, 401, "{\"label\":\"INVALID_KEY\",\"message\":\"Invalid key provided\"}", AuthenticationException.class, "API key was refused"),
                row(Venue.GATEIO, 403, "{\"label\":\"IP_FORBIDDEN\",\"message\":\"Request IP not in whitelist\"}", AuthenticationException.class, "allow-list"),
                row(Venue.GATEIO, 500, "{\"label\":\"SERVER_ERROR\",\"message\":\"Internal server error\"}", NetworkException.class, "SERVER_ERROR"),
                row(Venue.GATEIO, 400, "{\"label\":\"INVALID_PARAM_VALUE\",\"message\":\"invalid key\"}", HttpStatusException.class, "INVALID_PARAM_VALUE"),
                // HTX: err-code in an HTTP 200 envelope
                row(Venue.HTX, 200, "{\"status\":\"error\",\"err-code\":\"api-limit-exceeded\",\"err-msg\":\"too many request\"}", RateLimitException.class, "api-limit-exceeded"),
                row(Venue.HTX, 200, "{\"status\":\"error\",\"err-code\":\"api-signature-not-valid\",\"err-msg\":\"Signature not valid: Verification failure\"}", AuthenticationException.class, "clock skew"),
                row(Venue.HTX, 200, "{\"status\":\"error\",\"err-code\":\"gateway-internal-error\",\"err-msg\":\"system busy\"}", NetworkException.class, "gateway-internal-error"),
                row(Venue.HTX, 200, "{\"status\":\"error\",\"err-code\":\"invalid-parameter\",\"err-msg\":\"invalid key, timestamp expired\"}", DataFetchException.class, "invalid-parameter"));
    }

    private static Arguments row(Venue venue, int status, String body, Class<? extends FolioSyncException> type,
                                 String says) {
        return Arguments.of(venue, status, body, type, says);
    }

    @ParameterizedTest(name = "{0} HTTP {1} {2}")
    @MethodSource("codes")
    void theCodeDecidesTheTypeAndWhetherItIsRetried(Venue venue, int status, String body,
                                                    Class<? extends FolioSyncException> type, String says) {
        AtomicInteger answered = new AtomicInteger();
        exchange.route(venue.balances, call -> {
            if (answered.getAndIncrement() < venue.goodAnswers) {
                return good(venue, call);
            }
            return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body)
                    .build();
        });
        try (CryptoExchangeConnector c = FakeExchange.connector(NOW, slept, settings(venue))) {
            assertThat(c.authenticate().success()).as("authenticated against good answers").isTrue();
            exchange.reset();
            slept.clear();
            var thrown = assertThatThrownBy(c::getHoldings).hasMessageContaining(venue.name().toLowerCase())
                    .hasMessageContaining(says);
            if (type == DataFetchException.class || type == HttpStatusException.class) {
                thrown.isExactlyInstanceOf(type);
            } else {
                thrown.isInstanceOf(type);
            }
        }
        boolean transient_ = type == RateLimitException.class || type == NetworkException.class;
        assertThat(exchange.calls(venue.balances)).as("attempts").hasSize(transient_ ? ATTEMPTS : 1);
        // the backoff, and the pacer's pause after a refusal for the rate limit
        assertThat(slept).hasSizeGreaterThanOrEqualTo(transient_ ? ATTEMPTS - 1 : 0);
        if (!transient_) {
            assertThat(slept).isEmpty();
        }
    }

    private static MockResponse good(Venue venue, FakeExchange.Call call) {
        return switch (venue) {
            case KRAKEN -> ok(resource("kraken/balance-own.json"));
            case OKX -> ok(resource("okx/account-balance-own.json"));
            case BINANCE -> ok(resource("binance/account-own.json"));
            case COINBASE -> ok(resource(call.param("cursor") == null ? "coinbase/brokerage-accounts-page1-own.json"
                    : "coinbase/brokerage-accounts-page2-own.json"));
            case GATEIO -> ok(resource("gateio/spot-accounts-own.json"));
            case HTX -> ok(resource("htx/balance-spot-own.json"));
        };
    }

    private ExchangeSettings settings(Venue venue) {
        ExchangeSettings s = switch (venue) {
            case KRAKEN -> ExchangeSettings.of(SupportedExchange.KRAKEN, "kraken-key",
                    Base64.getEncoder().encodeToString("kraken-test-secret".getBytes()), Optional.empty());
            case OKX -> ExchangeSettings.of(SupportedExchange.OKX, "okx-key", "okx-secret", Optional.of("pass"))
                    .withQuoteCurrency("USD");
            case BINANCE -> ExchangeSettings.of(SupportedExchange.BINANCE, "bn-key", "bn-secret", Optional.empty())
                    .withQuoteCurrency("USD");
            case COINBASE -> ExchangeSettings.of(SupportedExchange.COINBASE, "organizations/org/apiKeys/key",
                    coinbasePem, Optional.empty());
            case GATEIO -> ExchangeSettings.of(SupportedExchange.GATEIO, "gate-key", "gate-secret", Optional.empty())
                    .withQuoteCurrency("USDT");
            case HTX -> ExchangeSettings.of(SupportedExchange.HTX, "htx-key", "htx-secret", Optional.empty())
                    .withQuoteCurrency("USDT");
        };
        return s.withBaseUrl(exchange.baseUrl()).withRateLimit(new RateLimit(10_000, Duration.ofSeconds(1)));
    }
}
