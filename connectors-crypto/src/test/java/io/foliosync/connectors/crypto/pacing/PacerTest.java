package io.foliosync.connectors.crypto.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.crypto.pacing.BudgetSpec.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cost models on a fake clock: a sleep advances it, nothing waits for real. */
class PacerTest {
    static final String LEDGERS = "POST /0/private/Ledgers";
    static final String BALANCE = "POST /0/private/Balance";

    /** A clock that a sleep moves forward. */
    static final class FakeTime extends Clock {
        Instant now = Instant.parse("2026-11-25T10:00:00Z");
        final List<Duration> slept = new ArrayList<>();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void sleep(Duration d) {
            slept.add(d);
            now = now.plus(d);
        }

        Duration total() {
            return slept.stream().reduce(Duration.ZERO, Duration::plus);
        }
    }

    final FakeTime time = new FakeTime();

    Pacer kraken(KrakenTier tier) {
        return Pacer.isolated("kraken", ExchangePacing.kraken(tier), time, time::sleep);
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    @Test
    void krakenStarterAllowsFifteenUnitsAtOnceThenDecaysAtItsRate() {
        Pacer p = kraken(KrakenTier.STARTER);
        for (int i = 0; i < 7; i++) {
            p.acquire(LEDGERS);   // 7 × 2 = 14
        }
        p.acquire(BALANCE);       // 15: the maximum, still no wait
        assertThat(time.slept).isEmpty();
        p.acquire(LEDGERS);       // 2 more units must decay first: 2 / 0.33 s (less the 3% margin)
        assertThat(time.slept).hasSize(1);
        assertThat(seconds(time.slept.get(0))).isCloseTo(2 / (0.33 * 0.97), within(0.01));
        p.acquire(BALANCE);       // then one unit per 1 / 0.33 s
        assertThat(seconds(time.slept.get(1))).isCloseTo(1 / (0.33 * 0.97), within(0.01));
    }

    @Test
    void aHistoryCallChargesTwoAndAnyOtherPrivateCallOne() {
        Pacer p = kraken(KrakenTier.PRO);
        assertThat(p.cost(LEDGERS)).isEqualTo(2);
        assertThat(p.cost("POST /0/private/TradesHistory")).isEqualTo(2);
        assertThat(p.cost("POST /0/private/QueryLedgers")).isEqualTo(2);
        assertThat(p.cost(BALANCE)).isEqualTo(1);
        assertThat(p.cost("GET /0/public/AssetPairs")).isZero();   // the per-IP public limit, not the counter
        for (int i = 0; i < 10; i++) {
            p.acquire(LEDGERS);   // Pro: 20 units = 10 history calls at once
        }
        assertThat(time.slept).isEmpty();
        assertThat(p.estimate(1, 2)).isPositive();
        assertThat(p.estimate("POST /0/private/Balance", 1)).isPositive();
    }

    @Test
    void aRateLimitErrorFillsTheCounterAndLowersTheRateForTheRestOfTheSync() {
        Pacer p = kraken(KrakenTier.STARTER);
        double before = seconds(p.estimate(10, 2));
        p.refused(LEDGERS, Optional.empty());
        // Full now, and decaying slower: 0.8 × the documented rate.
        assertThat(p.describe().get("private-counter")).contains(String.format("%.3f", 0.33 * 0.97 * 0.8));
        double after = seconds(p.estimate(10, 2));
        assertThat(after).isCloseTo(20 / (0.33 * 0.97 * 0.8), within(0.05));
        assertThat(after).isGreaterThan(before);
        p.acquire(LEDGERS);
        assertThat(seconds(time.slept.get(0))).isCloseTo(2 / (0.33 * 0.97 * 0.8), within(0.01));
        for (int i = 0; i < 20; i++) {
            p.refused(LEDGERS, Optional.empty());
        }
        // Never below a quarter of the documented rate.
        assertThat(p.describe().get("private-counter")).contains(String.format("%.3f", 0.33 * 0.97 * 0.25));
    }

    @Test
    void estimateIsTheWaitForNMoreCallsFromTheCounterAsItIsNow() {
        Pacer p = kraken(KrakenTier.STARTER);
        assertThat(p.estimate(7, 2)).isZero();   // 14 ≤ 15
        assertThat(seconds(p.estimate(100, 2))).isCloseTo((200 - 15) / (0.33 * 0.97), within(0.01));
        p.acquire(LEDGERS);
        assertThat(seconds(p.estimate(100, 2))).isCloseTo((202 - 15) / (0.33 * 0.97), within(0.01));
        time.now = time.now.plusSeconds(60);   // the counter decayed to 0
        assertThat(seconds(p.estimate(100, 2))).isCloseTo((200 - 15) / (0.33 * 0.97), within(0.01));
    }

    @Test
    void windowAllowsItsUnitsThenWaitsForTheOldestToLeaveTheWindow() {
        Pacer p = Pacer.isolated("gateio", ExchangePacing.gateio(), time, time::sleep);
        for (int i = 0; i < 200; i++) {
            p.acquire("GET /api/v4/spot/my_trades");
        }
        // Another endpoint has its own 200.
        for (int i = 0; i < 200; i++) {
            p.acquire("GET /api/v4/wallet/deposits");
        }
        assertThat(time.slept).isEmpty();
        p.acquire("GET /api/v4/spot/my_trades");
        assertThat(seconds(time.total())).isCloseTo(10 * 1.03, within(0.01));
        assertThat(seconds(p.estimate(200, 1))).isCloseTo(10 * 1.03, within(0.01));
    }

    @Test
    void aCallAnsweredLateIsChargedFromItsAnswerNotFromWhenItWasPlanned() {
        Pacer p = kraken(KrakenTier.PRO);
        for (int i = 0; i < 10; i++) {
            p.acquire(LEDGERS).done();   // 20 units: full
        }
        Pacer.Permit late = p.acquire(LEDGERS);   // waits 2 / 0.97 s for room
        assertThat(seconds(time.slept.get(0))).isCloseTo(2 / 0.97, within(0.001));
        // The request reaches the exchange 0.5 s later than planned (a slow signature, an overslept wait, the
        // network): its 2 units count from then, so the next call waits its whole 2 / 0.97 s from the answer;
        // planned from the earlier charge it would wait 0.5 s less and arrive while the counter is still full.
        time.now = time.now.plusMillis(500);
        late.done();
        late.done();   // once is enough
        p.acquire(LEDGERS).done();
        assertThat(seconds(time.slept.get(1))).isCloseTo(2 / 0.97, within(0.001));

        Pacer gate = Pacer.isolated("gateio", ExchangePacing.gateio(), time, time::sleep);
        time.slept.clear();
        Pacer.Permit first = gate.acquire("GET /api/v4/spot/my_trades");
        time.now = time.now.plusSeconds(3);   // answered 3 s later
        first.done();
        for (int i = 0; i < 199; i++) {
            gate.acquire("GET /api/v4/spot/my_trades").done();
        }
        assertThat(time.slept).isEmpty();
        gate.acquire("GET /api/v4/spot/my_trades");   // the first leaves the window 10.3 s after its answer
        assertThat(seconds(time.total())).isCloseTo(10 * 1.03, within(0.001));
    }

    @Test
    void binanceWeightFollowsTheClockMinuteAndTheServersCount() {
        Pacer p = Pacer.isolated("binance", ExchangePacing.binance(), time, time::sleep);
        time.now = Instant.parse("2026-11-25T10:00:45Z");
        p.observed("api-weight", 5990);   // another program used most of this minute
        p.acquire("GET /api/v3/myTrades");   // 20 more do not fit: the next minute
        assertThat(time.slept).containsExactly(Duration.ofSeconds(15));
        for (int i = 0; i < 299; i++) {
            p.acquire("GET /api/v3/myTrades");   // 300 × 20 = 6,000 in the new minute
        }
        assertThat(time.slept).hasSize(1);
        p.acquire("GET /api/v3/myTrades");
        assertThat(time.slept).hasSize(2).last().isEqualTo(Duration.ofSeconds(60));
        // Withdrawal history weighs 18,000 of the UID's 180,000 a minute: 10 a minute.
        time.slept.clear();
        for (int i = 0; i < 11; i++) {
            p.acquire("GET /sapi/v1/capital/withdraw/history");
        }
        assertThat(time.slept).hasSize(1);
        assertThat(seconds(time.slept.get(0))).isCloseTo(60 * 1.03, within(0.01));
    }

    @Test
    void aRefusalWithRetryAfterBlocksAWindowUntilThen() {
        Pacer p = Pacer.isolated("binance", ExchangePacing.binance(), time, time::sleep);
        p.refused("GET /api/v3/myTrades", Optional.of(Duration.ofSeconds(7)));
        p.acquire("GET /api/v3/myTrades");
        assertThat(time.slept).isNotEmpty();
        assertThat(time.total()).isGreaterThanOrEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void budgetsAreSharedOnlyWhereTheExchangeSharesThem() {
        RateLimiterRegistry registry = RateLimiterRegistry.isolated();
        PacingModel model = ExchangePacing.kraken(KrakenTier.STARTER);
        Pacer a = Pacer.create("kraken", model, registry, "key-a", "api.kraken.com:443", time, time::sleep,
                Duration.ofHours(1));
        Pacer b = Pacer.create("kraken_2", model, registry, "key-b", "api.kraken.com:443", time, time::sleep,
                Duration.ofHours(1));
        Pacer a2 = Pacer.create("kraken_3", model, registry, "key-a", "api.kraken.com:443", time, time::sleep,
                Duration.ofHours(1));
        for (int i = 0; i < 7; i++) {
            a.acquire(LEDGERS);
            b.acquire(LEDGERS);   // another key: its own counter
        }
        assertThat(time.slept).isEmpty();
        a2.acquire(LEDGERS);      // the same key: the same counter, now full
        assertThat(time.slept).hasSize(1);
        // The public limit is per IP: shared by every key.
        time.slept.clear();
        a.acquire("GET /0/public/Ticker");
        b.acquire("GET /0/public/Ticker");
        assertThat(time.slept).hasSize(1);
    }

    @Test
    void aModelIsValidatedWhenBuilt() {
        assertThatThrownBy(() -> PacingModel.builder("x")
                .budget(BudgetSpec.decaying("c", Scope.KEY, 15, 0.33))
                .cost("POST /a", "c", 16)
                .cost("POST /b", "nope", 1)
                .otherwise("c", 1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cost 16.0 must be positive and at most c's capacity 15.0")
                .hasMessageContaining("unknown budget nope");
        assertThatThrownBy(() -> PacingModel.builder("x").budget(BudgetSpec.decaying("c", Scope.KEY, 15, 0.33))
                .build()).hasMessageContaining("otherwise");
        assertThatThrownBy(() -> BudgetSpec.window("w", Scope.IP, 0, Duration.ofSeconds(1)))
                .hasMessageContaining("capacity");
        assertThatThrownBy(() -> BudgetSpec.window("w", Scope.IP, 5, Duration.ZERO))
                .hasMessageContaining("period");
        assertThat(KrakenTier.byName("Pro")).contains(KrakenTier.PRO);
        assertThat(KrakenTier.byName("gold")).isEmpty();
    }

    @Test
    void everyExchangeModelBuilds() {
        for (PacingModel m : List.of(ExchangePacing.kraken(KrakenTier.INTERMEDIATE), ExchangePacing.binance(),
                ExchangePacing.okx(), ExchangePacing.gateio(), ExchangePacing.htx(), ExchangePacing.coinbase(),
                ExchangePacing.configured("binance", io.foliosync.connectors.api.http.RateLimit.perSecond(10)))) {
            assertThat(m.budgets()).isNotEmpty();
            assertThat(m.charges("GET /anything")).isNotEmpty();
        }
    }
}
