package io.foliosync.connectors.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AbstractConnectorTest {

    /** A connector that holds one position and declares no transactions. */
    static final class OneHolding extends AbstractConnector {
        boolean disconnected;

        OneHolding() {
            super(Clock.systemUTC());
        }

        @Override
        public ConnectorMetadata metadata() {
            return new ConnectorMetadata("fake", ConnectorType.BROKER, "1.0", "a fake", Set.of(AssetClass.STOCK),
                    false, false, Optional.empty(), Optional.empty());
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of(Capability.HOLDINGS);
        }

        @Override
        protected AuthenticationResult doAuthenticate() {
            return AuthenticationResult.success("ok");
        }

        @Override
        protected List<Holding> fetchHoldings() {
            return List.of(Holding.builder().symbol("AAPL").quantity(java.math.BigDecimal.TEN).currency("USD")
                    .accountId("A1").source("fake").build());
        }

        @Override
        public HealthStatus healthCheck() {
            return HealthStatus.unhealthy("n/a", Instant.EPOCH);
        }

        @Override
        protected void doDisconnect() {
            disconnected = true;
        }
    }

    @Test
    void dataMethodBeforeAuthenticateSaysSo() {
        OneHolding c = new OneHolding();
        assertThatThrownBy(c::getHoldings)
                .isInstanceOf(DataFetchException.class)
                .hasMessage("fake: getHoldings() called before authenticate(): call authenticate() and check its "
                        + "result first");
    }

    @Test
    void undeclaredCapabilitiesReturnEmptyRatherThanThrow() {
        try (OneHolding c = new OneHolding()) {
            assertThat(c.authenticate().success()).isTrue();
            assertThat(c.getHoldings()).hasSize(1);
            assertThat(c.getHoldings("A1")).hasSize(1);
            assertThat(c.getHoldings("other")).isEmpty();
            assertThat(c.getTransactions(TransactionQuery.all()).toList()).isEmpty();
            assertThat(c.getAccounts()).isEmpty();
        }
    }

    @Test
    void closeDisconnectsOnceAndEndsTheSession() {
        OneHolding c = new OneHolding();
        c.authenticate();
        c.close();
        c.close();
        assertThat(c.disconnected).isTrue();
        assertThat(c.isAuthenticated()).isFalse();
        assertThat(c.authenticate().success()).isFalse();
        assertThatThrownBy(c::getHoldings).isInstanceOf(DataFetchException.class);
    }
}
