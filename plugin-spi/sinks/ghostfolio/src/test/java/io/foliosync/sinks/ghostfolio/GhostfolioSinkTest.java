package io.foliosync.sinks.ghostfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.CredentialStore;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.connectors.api.sink.AccountChanges;
import io.foliosync.connectors.api.sink.ChangedRecord;
import io.foliosync.connectors.api.sink.Delivery;
import io.foliosync.connectors.api.sink.Sink;
import io.foliosync.connectors.api.sink.SinkAccount;
import io.foliosync.connectors.api.sink.SinkContext;
import io.foliosync.connectors.api.sink.SinkException;
import io.foliosync.connectors.api.sink.SinkHoldings;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 28: the Ghostfolio sink against a loopback stand-in of Ghostfolio's import, account and activity API. */
class GhostfolioSinkTest {
    private static final String TOKEN = "gf-security-token-of-the-user";
    private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
    private static final SinkAccount BROKER = new SinkAccount("ibkr-flex-files", "ibkr", "U2100021");
    private static final SinkAccount KRAKEN = new SinkAccount("kraken", "crypto_exchanges", "kraken");

    @TempDir
    Path dir;

    private GhostfolioStandIn ghostfolio;
    private MockWebServer server;
    private final MemoryCredentials credentials = new MemoryCredentials();
    private final Map<String, MemoryIds> ids = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        ghostfolio = new GhostfolioStandIn(TOKEN, Clock.systemUTC());
        server = ghostfolio.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** The credential store's behaviour without its database: a map. */
    static final class MemoryCredentials implements CredentialStore {
        final Map<String, Map<String, String>> kept = new HashMap<>();

        @Override
        public void save(String ownerId, Map<String, String> c) {
            kept.put(ownerId, Map.copyOf(c));
        }

        @Override
        public Optional<Map<String, String>> load(String ownerId) {
            return Optional.ofNullable(kept.get(ownerId));
        }

        @Override
        public void delete(String ownerId) {
            kept.remove(ownerId);
        }
    }

    /** The remote id map import-core keeps in the database, in memory. */
    static final class MemoryIds implements SinkContext.RemoteIds {
        final Map<String, SinkContext.RemoteId> map = new HashMap<>();

        @Override
        public Optional<SinkContext.RemoteId> get(String recordId) {
            return Optional.ofNullable(map.get(recordId));
        }

        @Override
        public Map<String, SinkContext.RemoteId> all() {
            return Map.copyOf(map);
        }

        @Override
        public void put(String recordId, SinkContext.RemoteId remote) {
            map.put(recordId, remote);
        }

        @Override
        public void remove(String recordId) {
            map.remove(recordId);
        }
    }

    private Sink sink(Map<String, Object> extra) {
        Map<String, Object> entry = new HashMap<>(Map.of("type", "ghostfolio",
                "url", server.url("/").toString(), "token", TOKEN));
        entry.putAll(extra);
        ConnectorContext context = new ConnectorContext(Clock.systemUTC(), dir,
                SecretCipher.of(MasterKey.generate()), RateLimiterRegistry.shared()).withCredentials(credentials);
        return new GhostfolioSinkProvider().create("ghostfolio", new ConfigSection("sinks.ghostfolio", entry), context);
    }

    private Delivery deliver(Sink sink, SinkAccount account, List<ChangedRecord> records,
                             Optional<SinkHoldings> holdings) {
        MemoryIds map = ids.computeIfAbsent(account.label(), k -> new MemoryIds());
        return sink.deliver(new AccountChanges(account, records, holdings), () -> map);
    }

    private static Transaction.Builder tx(String id, TransactionType type, int minute) {
        return Transaction.builder().date(T0.plusSeconds(60L * minute)).type(type).currency("USD")
                .fees(BigDecimal.ZERO).sourceId(id).accountId("U2100021").source("ibkr");
    }

    private static ChangedRecord record(Transaction t) {
        return new ChangedRecord(t.sourceId().orElseThrow(), Integer.toHexString(t.hashCode()) + "0".repeat(56),
                t);
    }

    /** A broker account's history: every FolioSync type Ghostfolio has an activity for, and a deposit. */
    private static List<ChangedRecord> history() {
        return List.of(
                record(tx("D1", TransactionType.DEPOSIT, 0).amount(new BigDecimal("10000")).quantity(new BigDecimal(
                        "10000")).build()),
                record(tx("B1", TransactionType.BUY, 1).symbol("AAPL").quantity(new BigDecimal("10"))
                        .price(new BigDecimal("150.25")).amount(new BigDecimal("1502.50")).fees(new BigDecimal("1"))
                        .build()),
                // a look-alike of B1 one minute later: Ghostfolio's duplicate rule must not swallow it
                record(tx("B2", TransactionType.BUY, 1).symbol("AAPL").quantity(new BigDecimal("10"))
                        .price(new BigDecimal("150.25")).amount(new BigDecimal("1502.50")).fees(new BigDecimal("1"))
                        .build()),
                record(tx("S1", TransactionType.SELL, 2).symbol("AAPL").quantity(new BigDecimal("4"))
                        .price(new BigDecimal("160")).amount(new BigDecimal("640")).build()),
                record(tx("V1", TransactionType.DIVIDEND, 3).symbol("AAPL").quantity(new BigDecimal("2.40"))
                        .amount(new BigDecimal("2.40")).build()),
                record(tx("I1", TransactionType.INTEREST, 4).quantity(new BigDecimal("0.87"))
                        .amount(new BigDecimal("0.87")).build()),
                record(tx("F1", TransactionType.FEE, 5).quantity(new BigDecimal("10")).amount(new BigDecimal("10"))
                        .build()));
    }

    @Test
    void everyActivityIsAcceptedOnceAndARerunSendsNothing() {
        Sink sink = sink(Map.of());
        Delivery first = deliver(sink, BROKER, history(), Optional.of(new SinkHoldings(T0, List.of(
                Holding.builder().symbol("USD").quantity(new BigDecimal("8140.77")).currency("USD")
                        .assetClass(AssetClass.CASH).accountId("U2100021").source("ibkr").build()), true)));

        assertThat(first.created()).isEqualTo(6);
        assertThat(first.skipped()).as("the deposit: cash is the account balance").isEqualTo(1);
        assertThat(first.refused()).isEmpty();
        assertThat(ghostfolio.accounts.values()).singleElement().satisfies(a -> {
            assertThat(a.get("name")).isEqualTo("FolioSync ibkr-flex-files/U2100021");
            assertThat(a.get("currency")).isEqualTo("USD");
            assertThat((BigDecimal) a.get("balance")).isEqualByComparingTo("8140.77");
        });
        String accountId = ghostfolio.accounts.keySet().iterator().next();
        assertThat(ghostfolio.activities.values()).hasSize(6).allSatisfy(a -> {
            assertThat(a.get("accountId")).isEqualTo(accountId);
            assertThat(String.valueOf(a.get("comment"))).startsWith("foliosync:ibkr-flex-files/U2100021/");
        });
        assertThat(ghostfolio.activities.values()).extracting(a -> a.get("type") + " " + a.get("dataSource") + " "
                + a.get("symbol")).containsExactlyInAnyOrder("BUY YAHOO AAPL", "BUY YAHOO AAPL", "SELL YAHOO AAPL",
                "DIVIDEND YAHOO AAPL", "INTEREST MANUAL GF_FOLIOSYNC_INTEREST", "FEE MANUAL GF_FOLIOSYNC_FEE");
        assertThat(ghostfolio.activities.values()).filteredOn(a -> a.get("type").equals("FEE")).singleElement()
                .satisfies(a -> assertThat((BigDecimal) a.get("fee")).isEqualByComparingTo("10"));

        Delivery again = deliver(sink, BROKER, history(), Optional.empty());
        assertThat(again.created()).isZero();
        assertThat(again.unchanged()).isEqualTo(6);
        assertThat(ghostfolio.activities).hasSize(6);
        assertThat(ghostfolio.importRequests()).isEqualTo(1);

        // a new process (a new sink) logs in no more: the JWT is kept, encrypted, in the credential store
        deliver(sink(Map.of()), BROKER, history(), Optional.empty());
        assertThat(ghostfolio.logins()).isEqualTo(1);
    }

    @Test
    void aRecordCorrectedAtTheSourceIsUpdatedInPlaceWithItsAccount() {
        Sink sink = sink(Map.of());
        deliver(sink, BROKER, history(), Optional.empty());
        String activityId = ids.get(BROKER.label()).map.get("S1").id();

        ChangedRecord corrected = record(tx("S1", TransactionType.SELL, 2).symbol("AAPL")
                .quantity(new BigDecimal("4")).price(new BigDecimal("161.10")).amount(new BigDecimal("644.40"))
                .build());
        Delivery d = deliver(sink, BROKER, List.of(corrected), Optional.empty());

        assertThat(d.updated()).isEqualTo(1);
        assertThat(d.created()).isZero();
        assertThat(ghostfolio.activities).hasSize(6);
        assertThat(ghostfolio.activities.get(activityId)).satisfies(a -> {
            assertThat((BigDecimal) a.get("unitPrice")).isEqualByComparingTo("161.10");
            assertThat(a.get("accountId")).isEqualTo(ghostfolio.accounts.keySet().iterator().next());
        });
        assertThat(ids.get(BROKER.label()).map.get("S1").contentHash()).isEqualTo(corrected.contentHash());
    }

    @Test
    void aRecordGhostfolioRefusesIsReportedWithItsIdInGhostfoliosWordsAndTheRestIsSent() {
        Sink sink = sink(Map.of());
        ChangedRecord usdt = record(tx("B9", TransactionType.BUY, 9).symbol("ETH").currency("USDT")
                .quantity(new BigDecimal("1")).price(new BigDecimal("3000")).amount(new BigDecimal("3000")).build());
        List<ChangedRecord> records = new java.util.ArrayList<>(history());
        records.add(2, usdt);

        Delivery d = deliver(sink, BROKER, records, Optional.empty());

        assertThat(d.refused()).singleElement().satisfies(r -> {
            assertThat(r.recordId()).isEqualTo("B9");
            assertThat(r.reason()).isEqualTo("activities.1.currency must be a valid ISO4217 currency code");
        });
        assertThat(d.created()).isEqualTo(6);
        assertThat(ghostfolio.activities).hasSize(6);
        assertThat(ghostfolio.importRequests()).as("refused once, then the rest sent").isEqualTo(2);
    }

    @Test
    void coinsGoToYahooAsCoinUsdOrToCoinGeckoByTheirIdAndAnUnknownIdIsRefusedWithWhatToDo() {
        ChangedRecord btc = record(tx("K1", TransactionType.BUY, 1).symbol("BTC").quantity(new BigDecimal("0.5"))
                .price(new BigDecimal("60000")).amount(new BigDecimal("30000")).accountId("kraken").build());
        ChangedRecord doge = record(tx("K2", TransactionType.BUY, 2).symbol("DOGE").quantity(new BigDecimal("100"))
                .price(new BigDecimal("0.1")).amount(new BigDecimal("10")).accountId("kraken").build());

        deliver(sink(Map.of()), KRAKEN, List.of(btc), Optional.empty());
        assertThat(ghostfolio.activities.values()).singleElement().satisfies(a ->
                assertThat(a.get("dataSource") + " " + a.get("symbol")).isEqualTo("YAHOO BTCUSD"));

        ids.clear();
        ghostfolio.activities.clear();
        Delivery d = deliver(sink(Map.of("crypto_data_source", "COINGECKO", "coingecko_ids", Map.of("BTC", "bitcoin"))),
                KRAKEN, List.of(btc, doge), Optional.empty());
        assertThat(ghostfolio.activities.values()).singleElement().satisfies(a ->
                assertThat(a.get("dataSource") + " " + a.get("symbol")).isEqualTo("COINGECKO bitcoin"));
        assertThat(d.refused()).singleElement().satisfies(r -> {
            assertThat(r.recordId()).isEqualTo("K2");
            assertThat(r.reason()).contains("coingecko_ids", "DOGE");
        });
    }

    @Test
    void ghostfolioDownFailsTheBatchAndTheNextDeliveryCatchesUp() {
        Sink sink = sink(Map.of());
        ghostfolio.down(true);
        assertThatThrownBy(() -> deliver(sink, BROKER, history(), Optional.empty()))
                .isInstanceOf(SinkException.class).hasMessageContaining("503");
        assertThat(ghostfolio.activities).isEmpty();

        ghostfolio.down(false);
        Delivery d = deliver(sink, BROKER, history(), Optional.empty());
        assertThat(d.created()).isEqualTo(6);
        assertThat(ghostfolio.activities).hasSize(6);
    }

    @Test
    void activitiesSentByARunWhoseAnswerWasLostAreFoundNotSentTwice() {
        deliver(sink(Map.of()), BROKER, history(), Optional.empty());
        ids.clear(); // as if the answer never came back: nothing recorded

        Delivery d = deliver(sink(Map.of()), BROKER, history(), Optional.empty());

        assertThat(d.created()).isZero();
        assertThat(ghostfolio.activities).hasSize(6);
        assertThat(ids.get(BROKER.label()).map).hasSize(6);
    }

    @Test
    void loginsAreThrottledSoTheJwtIsKeptAndAThrottledLoginSaysSo() {
        // ten processes without a kept session (each a new credential store) use up the minute's logins
        for (int i = 0; i < 10; i++) {
            credentials.kept.clear();
            ids.clear();
            deliver(sink(Map.of()), BROKER, history().subList(0, 1), Optional.empty());
        }
        credentials.kept.clear();
        assertThatThrownBy(() -> deliver(sink(Map.of()), BROKER, history().subList(0, 1), Optional.empty()))
                .isInstanceOf(SinkException.class).hasMessageContaining("throttled the login");
        assertThat(ghostfolio.logins()).isEqualTo(10);
    }

    @Test
    void aMappedAccountIsUsedAndOneThatIsNotTheUsersFailsNamingIt() {
        Sink first = sink(Map.of());
        deliver(first, BROKER, history(), Optional.empty());
        String id = ghostfolio.accounts.keySet().iterator().next();
        ids.clear();
        ghostfolio.activities.clear();

        SinkAccount other = new SinkAccount("ibkr-flex-2", "ibkr", "U9");
        deliver(sink(Map.of("accounts", Map.of("ibkr-flex-2/U9", id))), other, history().subList(1, 2),
                Optional.empty());
        assertThat(ghostfolio.accounts).hasSize(1);
        assertThat(ghostfolio.activities.values()).singleElement().satisfies(a ->
                assertThat(a.get("accountId")).isEqualTo(id));

        Sink wrong = sink(Map.of("accounts", Map.of("U9", "no-such-account"), "create_accounts", false));
        assertThat(wrong.accepts(other)).isTrue();
        assertThat(wrong.accepts(BROKER)).as("unmapped, and not created").isFalse();
        assertThatThrownBy(() -> deliver(wrong, other, history().subList(1, 2), Optional.empty()))
                .isInstanceOf(SinkException.class).hasMessageContaining("no-such-account")
                .hasMessageContaining("ibkr-flex-2/U9");
    }

    @Test
    void aRefusedTokenSaysWhatToDoAndNeverShowsTheToken() {
        Sink sink = sink(Map.of("token", "not-the-token"));
        assertThatThrownBy(() -> deliver(sink, BROKER, history(), Optional.empty()))
                .isInstanceOf(SinkException.class).hasMessageContaining("refused the security token")
                .hasMessageContaining("foliosync sinks token ghostfolio").hasMessageNotContaining("not-the-token");
    }
}
