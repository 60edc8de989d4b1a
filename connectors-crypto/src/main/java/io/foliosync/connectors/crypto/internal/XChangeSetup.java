package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.api.secrets.Secret;
import io.foliosync.connectors.crypto.GenericExchange;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.knowm.xchange.Exchange;
import org.knowm.xchange.ExchangeClassUtils;
import org.knowm.xchange.ExchangeFactory;
import org.knowm.xchange.ExchangeSpecification;
import org.apiguardian.api.API;

/**
 * Builds a generic account's XChange {@link Exchange} from XChange's own {@link ExchangeSpecification} (the
 * exchange class by name through {@link ExchangeClassUtils}, the module's defaults for whatever is not configured)
 * and reads the rate limits its module declares.
 */
@API(status = INTERNAL, since = "0.1")
public final class XChangeSetup {
    private static final Map<String, Optional<RateLimit>> DECLARED = new ConcurrentHashMap<>();

    private XChangeSetup() {
    }

    /**
     * What a generic account passes to XChange.
     *
     * @param baseUrl    the REST root replacing the module's ({@code sslUri}); empty for the module's production URL
     * @param sandbox    XChange's {@code Use_Sandbox} parameter, for modules that have one
     * @param userId     XChange's {@code userName}: the account or customer id some exchanges sign with
     * @param parameters exchange-specific parameters by XChange's name ({@code passphrase}...)
     */
    @API(status = INTERNAL, since = "0.1")
    public record Spec(GenericExchange exchange, Secret apiKey, Secret apiSecret, Optional<String> baseUrl,
                       boolean sandbox, Optional<Secret> userId, Map<String, Secret> parameters) {
    }

    /**
     * @return the exchange, its services ready, its remote metadata not loaded (the client loads it through the
     *         paced retry layer), XChange's own retries and rate limiters off (FolioSync's {@code Calls} is the one
     *         retry layer and its pacer the one limiter)
     * @throws ConfigurationException naming the Maven module to add when the exchange's class is not here
     */
    public static Exchange create(String accountId, Spec s) {
        Class<? extends Exchange> type = exchangeClass(accountId, s.exchange());
        ExchangeSpecification spec = new ExchangeSpecification(type);
        spec.setApiKey(s.apiKey().reveal());
        spec.setSecretKey(s.apiSecret().reveal());
        s.userId().ifPresent(u -> spec.setUserName(u.reveal()));
        s.parameters().forEach((k, v) -> spec.setExchangeSpecificParametersItem(k, v.reveal()));
        // Always set, true or false: some modules (Bybit) read it before XChange fills in their defaults.
        spec.setExchangeSpecificParametersItem(Exchange.USE_SANDBOX, s.sandbox());
        s.baseUrl().ifPresent(u -> {
            String uri = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
            spec.setSslUri(uri);
            okhttp3.HttpUrl parsed = okhttp3.HttpUrl.parse(uri);
            if (parsed != null) {
                spec.setHost(parsed.host());
                spec.setPort(parsed.port());
            }
        });
        spec.setShouldLoadRemoteMetaData(false);
        spec.getResilience().setRetryEnabled(false);
        spec.getResilience().setRateLimiterEnabled(false);
        try {
            return ExchangeFactory.INSTANCE.createExchange(spec);
        } catch (LinkageError e) {
            throw missing(accountId, s.exchange(), e);
        } catch (RuntimeException e) {
            throw new ConfigurationException(accountId, "could not set up XChange's " + s.exchange().name()
                    + " exchange (" + s.exchange().exchangeClass() + "): " + e);
        }
    }

    /** @return the exchange's module's REST root, as its specification now holds it */
    public static String sslUri(Exchange exchange) {
        return exchange.getExchangeSpecification().getSslUri();
    }

    /**
     * @return the tightest rate limiter the exchange's module declares in its resilience registries (as
     *         permits per refresh period), empty when it declares none; read once per exchange class
     */
    public static Optional<RateLimit> declaredLimit(String accountId, GenericExchange exchange) {
        return DECLARED.computeIfAbsent(exchange.exchangeClass(), c -> {
            Class<? extends Exchange> type = exchangeClass(accountId, exchange);
            return bare(type).flatMap(XChangeSetup::declaredLimit);
        });
    }

    /**
     * @return the exchange with its module's defaults and no key, built without a network call (XChange's own
     *         {@code createExchangeWithoutSpecification} would load remote metadata); empty when it cannot be built
     */
    public static Optional<Exchange> bare(Class<? extends Exchange> type) {
        ExchangeSpecification spec = new ExchangeSpecification(type);
        spec.setShouldLoadRemoteMetaData(false);
        try {
            return Optional.of(ExchangeFactory.INSTANCE.createExchange(spec));
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    static Optional<RateLimit> declaredLimit(Exchange exchange) {
        io.github.resilience4j.ratelimiter.RateLimiterRegistry limiters;
        try {
            limiters = exchange.getResilienceRegistries().rateLimiters();
        } catch (RuntimeException e) {
            // Modules without registries throw NotYetImplementedForExchangeException here.
            return Optional.empty();
        }
        return limiters.getAllRateLimiters().toJavaStream()
                .map(RateLimiter::getRateLimiterConfig)
                .filter(c -> c.getLimitForPeriod() > 0 && !c.getLimitRefreshPeriod().isZero())
                .min(Comparator.comparingDouble(XChangeSetup::perSecond))
                .map(c -> new RateLimit(c.getLimitForPeriod(), c.getLimitRefreshPeriod()));
    }

    private static double perSecond(RateLimiterConfig c) {
        return c.getLimitForPeriod() / (c.getLimitRefreshPeriod().toNanos() / 1e9);
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Exchange> exchangeClass(String accountId, GenericExchange exchange) {
        try {
            return ExchangeClassUtils.exchangeClassForName(exchange.exchangeClass());
        } catch (org.knowm.xchange.exceptions.ExchangeException | LinkageError e) {
            throw missing(accountId, exchange, e);
        }
    }

    private static ConfigurationException missing(String accountId, GenericExchange exchange, Throwable e) {
        return new ConfigurationException(accountId, exchange.id() + " is read through XChange's "
                + exchange.exchangeClass() + ", which is not on the class path: add "
                + (exchange.module().isEmpty() ? "the XChange module that holds it"
                : exchange.coordinates()) + " as a dependency (" + e.getClass().getSimpleName() + ")");
    }
}
