package io.foliosync.connectors.marketdata;

import static io.foliosync.connectors.marketdata.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.ContractTerms;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.PriceConvention;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Over generated portfolios (seeded, so a failure names the seed that reproduces it): every holding is either
 * valued or listed as left out; the total is the sum of the valued rows; each row is quantity × price ×
 * multiplier × price convention × FX; and per currency, valued plus left-out local values are every priced
 * holding's value.
 */
class ValuationTotalsPropertyTest {
    private static final String NOW = "2025-02-20T12:00:00Z";
    private static final List<String> CURRENCIES = List.of("USD", "EUR", "GBP", "JPY", "CHF");
    private static final List<String> SYMBOLS = List.of("AAPL", "SAP", "XTZ", "SMPL 250417C100", "T 4 12/31/26",
            "ES", "VTI");

    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        server.start();
        // CHF has no rate, so some holdings are left out
        serveAaplAndFred(server, Map.of("DEXUSEU", "1.0436", "DEXUSUK", "1.2600", "DEXJPUS", "151.70"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MarketDataConnector md() {
        return yahooAndFred(server, fixed(NOW));
    }

    @Test
    void everyTotalIsItsValuedRowsAndItsListedExclusionsAreTheRest() {
        MarketDataConnector md = md();
        for (long seed = 1; seed <= 120; seed++) {
            Random random = new Random(seed);
            List<Holding> holdings = portfolio(random);
            String base = CURRENCIES.get(random.nextInt(3)); // USD, EUR or GBP
            Valuator valuator = random.nextInt(5) == 0
                    ? Valuator.sourcePricesOnly(base).clock(fixed(NOW)).build()
                    : Valuator.builder(md).baseCurrency(base).clock(fixed(NOW)).build();
            check(seed, holdings, valuator.value(holdings));
        }
    }

    private static void check(long seed, List<Holding> holdings, Valuation v) {
        String at = "seed " + seed;
        assertThat(v.holdings()).as(at).hasSize(holdings.size());
        List<Exclusion> exclusions = v.exclusions();
        long valued = v.holdings().stream().filter(ValuedHolding::valued).count();
        assertThat(valued + exclusions.size()).as(at + ": valued + left out = all").isEqualTo(holdings.size());
        BigDecimal sum = BigDecimal.ZERO;
        Map<String, BigDecimal> whole = new HashMap<>();
        Map<String, BigDecimal> parts = new HashMap<>();
        for (int i = 0; i < holdings.size(); i++) {
            Holding h = holdings.get(i);
            ValuedHolding row = v.holdings().get(i);
            assertThat(row.holding()).as(at).isSameAs(h);
            if (row.price().isEmpty()) {
                assertThat(row.valued()).as(at).isFalse();
                continue;
            }
            BigDecimal local = expectedLocal(h, row.price().get());
            assertThat(row.marketValue().orElseThrow()).as(at + " " + h.symbol()).isEqualByComparingTo(local);
            whole.merge(row.priceCurrency(), local, BigDecimal::add);
            if (row.valued()) {
                BigDecimal expected = local.multiply(row.fxRate().orElseThrow().rate());
                assertThat(row.baseValue().get()).as(at + " " + h.symbol() + " = q × p × m × convention × fx")
                        .isEqualByComparingTo(expected);
                sum = sum.add(row.baseValue().get());
                parts.merge(row.priceCurrency(), local, BigDecimal::add);
            }
        }
        for (Exclusion e : exclusions) {
            e.localValue().ifPresent(l -> parts.merge(e.currency(), l, BigDecimal::add));
            assertThat(e.reason()).as(at).isEqualTo(e.holding().exclusionReason().orElseThrow());
        }
        assertThat(v.total()).as(at + ": total = sum of valued rows").isEqualByComparingTo(sum);
        BigDecimal printed = v.holdings().stream().flatMap(h -> h.baseValue().stream())
                .map(b -> b.setScale(2, java.math.RoundingMode.HALF_EVEN)).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(v.total(2)).as(at + ": the printed total = the printed rows").isEqualByComparingTo(printed);
        assertThat(parts.keySet()).as(at).isEqualTo(whole.keySet());
        whole.forEach((c, w) -> assertThat(parts.get(c)).as(at + ": " + c + " valued + left out = whole")
                .isEqualByComparingTo(w));
        assertThat(v.exclusionSummary().isEmpty()).as(at).isEqualTo(exclusions.isEmpty());
        if (!exclusions.isEmpty()) {
            assertThat(v.exclusionSummary()).as(at).startsWith(exclusions.size() + " holding");
        }
    }

    /** The value by the contract's terms, written out per convention rather than through ContractTerms. */
    private static BigDecimal expectedLocal(Holding h, BigDecimal price) {
        if (h.assetClass() == AssetClass.CASH) {
            return h.quantity().multiply(price);
        }
        ContractTerms t = h.terms();
        BigDecimal qp = h.quantity().multiply(price);
        return switch (t.priceConvention()) {
            case PER_UNIT -> qp.multiply(t.multiplier());
            case PER_CONTRACT -> qp;
            case PERCENT_OF_PAR -> qp.multiply(t.multiplier()).movePointLeft(2);
        };
    }

    private static List<Holding> portfolio(Random random) {
        List<Holding> out = new ArrayList<>();
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) {
            String currency = CURRENCIES.get(random.nextInt(CURRENCIES.size()));
            if (random.nextInt(4) == 0) {
                Holding.Builder cash = Holding.builder().symbol(currency).quantity(decimal(random, 2)).currency(currency)
                        .accountId("A" + random.nextInt(3)).assetClass(AssetClass.CASH).source("gen");
                reportedRate(random, cash);
                out.add(cash.build());
                continue;
            }
            String symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
            AssetClass cls = switch (symbol) {
                case "SMPL 250417C100" -> AssetClass.OPTION;
                case "T 4 12/31/26" -> AssetClass.BOND;
                case "ES" -> AssetClass.FUTURE;
                case "XTZ" -> AssetClass.CRYPTO;
                default -> AssetClass.STOCK;
            };
            Holding.Builder b = Holding.builder().symbol(symbol).quantity(decimal(random, 4))
                    .currency(symbol.equals("AAPL") ? "USD" : currency).accountId("A" + random.nextInt(3))
                    .assetClass(cls).source("gen");
            if (random.nextInt(4) != 0) {
                b.currentPrice(decimal(random, 2).abs());
                if (random.nextBoolean()) {
                    b.priceAsOf(Instant.parse(NOW).minus(Duration.ofHours(random.nextInt(24 * 60))));
                }
            }
            reportedRate(random, b);
            switch (random.nextInt(4)) {
                case 0 -> b.terms(new ContractTerms(BigDecimal.valueOf(1 + random.nextInt(100)),
                        PriceConvention.values()[random.nextInt(PriceConvention.values().length)]));
                case 1 -> b.attribute(ContractTerms.MULTIPLIER, "0"); // as IBKR writes "none"
                default -> { } // the asset class's defaults
            }
            out.add(b.build());
        }
        return out;
    }

    /** Sometimes the rate a broker reports with a holding (to one of the bases), sometimes dated. */
    private static void reportedRate(Random random, Holding.Builder b) {
        if (random.nextInt(3) == 0) {
            b.reportedFxRate(CURRENCIES.get(random.nextInt(3)), BigDecimal.valueOf(1 + random.nextInt(300_000), 4));
            if (random.nextBoolean()) {
                b.priceAsOf(Instant.parse(NOW).minus(Duration.ofHours(random.nextInt(24 * 3))));
            }
        }
    }

    private static BigDecimal decimal(Random random, int scale) {
        return BigDecimal.valueOf(random.nextLong() % 10_000_000L, scale);
    }
}
