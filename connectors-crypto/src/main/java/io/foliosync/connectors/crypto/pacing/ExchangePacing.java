package io.foliosync.connectors.crypto.pacing;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.crypto.pacing.BudgetSpec.Scope;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Each exchange's documented limits as a {@link PacingModel}. Sources (read 2026-11):
 * <ul>
 *   <li>Kraken: https://docs.kraken.com/api/docs/guides/spot-rest-ratelimits and
 *       https://support.kraken.com/articles/206548367-what-are-the-api-rate-limits</li>
 *   <li>Binance: https://developers.binance.com/docs/binance-spot-api-docs/rest-api/limits, each endpoint's
 *       page for its weight (https://developers.binance.com/docs/wallet/capital/withdraw-history ...)</li>
 *   <li>OKX: https://www.okx.com/docs-v5/en/#overview-rate-limits and each endpoint's "Rate Limit" line</li>
 *   <li>Gate.io: https://www.gate.io/docs/developers/apiv4/en/#frequency-limit-rule</li>
 *   <li>HTX: https://huobiapi.github.io/docs/spot/v1/en/#rate-limiting-rule</li>
 *   <li>Coinbase: https://docs.cdp.coinbase.com/advanced-trade/docs/rest-api-rate-limits and
 *       https://docs.cdp.coinbase.com/coinbase-app/api-architecture/rate-limiting</li>
 * </ul>
 * {@code docs/exchanges.md} lists, per exchange, which limit is per key and which per IP.
 */
@API(status = INTERNAL, since = "0.1")
public final class ExchangePacing {
    private ExchangePacing() {
    }

    /** Kraken: the private call counter of the key's tier (history calls cost 2); public calls about 1 a second per IP. */
    public static PacingModel kraken(KrakenTier tier) {
        return PacingModel.builder("kraken")
                .budget(BudgetSpec.decaying("private-counter", Scope.KEY, tier.max(), tier.decayPerSecond()))
                .budget(BudgetSpec.window("public", Scope.IP, 1, Duration.ofSeconds(1)))
                .cost("POST /0/private/Ledgers", "private-counter", 2)
                .cost("POST /0/private/QueryLedgers", "private-counter", 2)
                .cost("POST /0/private/TradesHistory", "private-counter", 2)
                .cost("POST /0/private/QueryTrades", "private-counter", 2)
                .cost("GET /0/public/", "public", 1)
                .otherwise("private-counter", 1)
                .history("private-counter")
                .build();
    }

    /**
     * Binance: request weight per IP, 6,000 a clock minute on {@code /api/v3} (reconciled with
     * {@code X-MBX-USED-WEIGHT-1M}); {@code /sapi} endpoints count IP weight (12,000 a minute) or UID weight
     * (180,000 a minute; withdraw history weighs 18,000: 10 calls a minute).
     */
    public static PacingModel binance() {
        String w = "api-weight";
        String sapi = "sapi-ip-weight";
        String uid = "sapi-uid-weight";
        return PacingModel.builder("binance")
                .budget(BudgetSpec.fixedWindow(w, Scope.IP, 6000, Duration.ofMinutes(1)))
                .budget(BudgetSpec.fixedWindow(sapi, Scope.IP, 12000, Duration.ofMinutes(1)))
                .budget(BudgetSpec.window(uid, Scope.UID, 180000, Duration.ofMinutes(1)))
                .cost("GET /api/v3/account", w, 20)
                .cost("GET /api/v3/myTrades", w, 20)
                .cost("GET /api/v3/exchangeInfo", w, 20)
                .cost("GET /api/v3/ticker/price", w, 4)
                .cost("GET /api/v3/time", w, 1)
                .cost("GET /sapi/v1/capital/deposit/hisrec", sapi, 1)
                .cost("GET /sapi/v1/capital/withdraw/history", uid, 18000)
                .cost("GET /sapi/v1/asset/assetDividend", sapi, 10)
                .cost("GET /sapi/v1/asset/dribblet", sapi, 1)
                .cost("GET /sapi/", sapi, 1)
                .otherwise(w, 1)
                .history(w)
                .build();
    }

    /** OKX: each endpoint its own limit, per user id for private endpoints, per IP for public ones. */
    public static PacingModel okx() {
        return PacingModel.builder("okx")
                .budget(BudgetSpec.window("fills-history", Scope.UID, 10, Duration.ofSeconds(2)))
                .budget(BudgetSpec.window("deposit-history", Scope.UID, 6, Duration.ofSeconds(1)))
                .budget(BudgetSpec.window("withdrawal-history", Scope.UID, 6, Duration.ofSeconds(1)))
                .budget(BudgetSpec.window("asset-bills", Scope.UID, 6, Duration.ofSeconds(1)))
                .budget(BudgetSpec.window("account-balance", Scope.UID, 10, Duration.ofSeconds(2)))
                .budget(BudgetSpec.window("asset-balances", Scope.UID, 6, Duration.ofSeconds(1)))
                .budget(BudgetSpec.window("market", Scope.IP, 20, Duration.ofSeconds(2)))
                .budget(BudgetSpec.window("public", Scope.IP, 10, Duration.ofSeconds(2)))
                .budget(BudgetSpec.window("other-private", Scope.UID, 5, Duration.ofSeconds(2)))
                .cost("GET /api/v5/trade/fills-history", "fills-history", 1)
                .cost("GET /api/v5/asset/deposit-history", "deposit-history", 1)
                .cost("GET /api/v5/asset/withdrawal-history", "withdrawal-history", 1)
                .cost("GET /api/v5/asset/bills", "asset-bills", 1)
                .cost("GET /api/v5/account/balance", "account-balance", 1)
                .cost("GET /api/v5/asset/balances", "asset-balances", 1)
                .cost("GET /api/v5/market/", "market", 1)
                .cost("GET /api/v5/public/", "public", 1)
                .otherwise("other-private", 1)
                .history("fills-history")
                .build();
    }

    /**
     * Gate.io: since 2024-01-22 every endpoint has its own limit, 200 requests per 10 s, per UID for private
     * endpoints and per IP for public ones.
     */
    public static PacingModel gateio() {
        PacingModel.Builder b = PacingModel.builder("gateio");
        for (String e : List.of("spot/my_trades", "wallet/deposits", "wallet/withdrawals", "spot/accounts")) {
            b.budget(BudgetSpec.window(e, Scope.UID, 200, Duration.ofSeconds(10)));
            b.cost("GET /api/v4/" + e, e, 1);
        }
        for (String e : List.of("spot/tickers", "spot/time")) {
            b.budget(BudgetSpec.window(e, Scope.IP, 200, Duration.ofSeconds(10)));
            b.cost("GET /api/v4/" + e, e, 1);
        }
        b.budget(BudgetSpec.window("other", Scope.UID, 200, Duration.ofSeconds(10)));
        return b.otherwise("other", 1).history("spot/my_trades").build();
    }

    /**
     * HTX: signed calls 100 per 10 s per API key (the general rule; a few endpoints are looser, none of ours
     * documented tighter); public non-market endpoints 120 per 3 s per IP, market data 800 a second per IP.
     */
    public static PacingModel htx() {
        return PacingModel.builder("htx")
                .budget(BudgetSpec.window("private", Scope.KEY, 100, Duration.ofSeconds(10)))
                .budget(BudgetSpec.window("public", Scope.IP, 120, Duration.ofSeconds(3)))
                .budget(BudgetSpec.window("market", Scope.IP, 800, Duration.ofSeconds(1)))
                .cost("GET /market/", "market", 1)
                .cost("GET /v1/common/", "public", 1)
                .cost("GET /v2/reference/", "public", 1)
                .otherwise("private", 1)
                .history("private")
                .build();
    }

    /**
     * Coinbase: Advanced Trade (v3) private endpoints 30 a second per user, public ones 10 a second per IP; the
     * App API (v2) 10,000 an hour per key.
     */
    public static PacingModel coinbase() {
        return PacingModel.builder("coinbase")
                .budget(BudgetSpec.window("v3-private", Scope.KEY, 30, Duration.ofSeconds(1)))
                .budget(BudgetSpec.window("v3-public", Scope.IP, 10, Duration.ofSeconds(1)))
                .budget(BudgetSpec.window("v2", Scope.KEY, 10_000, Duration.ofHours(1)))
                .cost("GET /api/v3/brokerage/market/", "v3-public", 1)
                .cost("GET /api/v3/brokerage/time", "v3-public", 1)
                .cost("GET /api/v3/", "v3-private", 1)
                .otherwise("v2", 1)
                .history("v2")
                .build();
    }

    /**
     * A limit the user configured by hand ({@code rate_limit_per_minute}): every call costs 1 of it, per key;
     * never lowered by refusals. Binance keeps its per-IP weight budgets besides (they protect the IP from a ban).
     */
    public static PacingModel configured(String exchange, RateLimit limit) {
        BudgetSpec spec = limit.burst().isPresent()
                ? new BudgetSpec("configured", BudgetSpec.Kind.DECAYING, Scope.KEY, limit.burst().get(),
                        limit.permits(), limit.period(), false)
                : BudgetSpec.window("configured", Scope.KEY, limit.permits(), limit.period()).fixed();
        if (!exchange.equals("binance")) {
            return PacingModel.builder(exchange).budget(spec).otherwise("configured", 1).build();
        }
        // Binance keeps its per-IP /api/v3 weight: it protects the machine's address from a ban.
        PacingModel b = binance();
        PacingModel.Builder out = PacingModel.builder(exchange).budget(spec).budget(b.budgets().get("api-weight"));
        for (String e : List.of("GET /api/v3/account", "GET /api/v3/myTrades", "GET /api/v3/exchangeInfo",
                "GET /api/v3/ticker/price", "GET /api/v3/time")) {
            out.cost(e, List.of(b.charges(e).get(0), new PacingModel.Charge("configured", 1)));
        }
        return out.otherwise("configured", 1).history("configured").build();
    }

    /** A generic account's pacing when its XChange module declares no rate limiter: one call a second. */
    public static final RateLimit GENERIC_DEFAULT = new RateLimit(1, Duration.ofSeconds(1));

    /**
     * A generic account (an exchange read through XChange's common services): the tightest rate limiter its
     * module declares in its resilience registries ({@code declared}), else {@link #GENERIC_DEFAULT}, which is
     * below every spot exchange's documented private-call limit FolioSync knows. Counted per IP, the narrowest
     * scope an exchange may use, so two accounts of one exchange on this machine share it; every call costs 1.
     * Refusals lower it as for the first-class exchanges.
     */
    public static PacingModel generic(String exchange, Optional<RateLimit> declared) {
        RateLimit limit = declared.orElse(GENERIC_DEFAULT);
        return PacingModel.builder(exchange)
                .budget(BudgetSpec.window("xchange", Scope.IP, limit.permits(), limit.period()))
                .otherwise("xchange", 1)
                .history("xchange")
                .build();
    }
}
