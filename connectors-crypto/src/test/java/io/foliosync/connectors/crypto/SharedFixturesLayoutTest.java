package io.foliosync.connectors.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reads the LGPL-3.0 nautilus_trader OKX balance sample in place (it may not be copied into this repository)
 * to check that the own sample's layout matches a real-world one. Skips when the shared fixtures are absent.
 */
class SharedFixturesLayoutTest {

    @Test
    void okxBalanceFromNautilusIsReadLikeTheOwnSample() throws IOException {
        Optional<Path> file = SharedFixtures.file("okx/v5-account-balance.json");
        assumeTrue(file.isPresent(), "shared fixtures (LGPL OKX balance sample) not present");
        try (FakeExchange okx = new FakeExchange()) {
            okx.json("/api/v5/account/balance", Files.readString(file.get()))
                    .json("/api/v5/asset/balances", "{\"code\":\"0\",\"msg\":\"\",\"data\":[]}")
                    .json("/api/v5/market/tickers", FakeExchange.resource("okx/market-tickers-own.json"));
            try (CryptoExchangeConnector c = CryptoExchangeConnector.builder()
                    .exchange(ExchangeSettings.of(SupportedExchange.OKX, "k", "s", Optional.of("p"))
                            .withBaseUrl(okx.baseUrl()).withRateLimit(new RateLimit(1000, Duration.ofSeconds(1))))
                    .rateLimiters(RateLimiterRegistry.isolated()).sleeper(d -> { }).build()) {
                assertThat(c.authenticate().success()).isTrue();
                List<Holding> holdings = c.getHoldings();
                assertThat(holdings).isNotEmpty().allSatisfy(h -> {
                    assertThat(h.attributes()).containsEntry("wallet", "trading");
                    assertThat(h.quantity().signum()).isNotZero();
                });
            }
        }
    }
}
