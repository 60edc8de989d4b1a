package io.foliosync.connectors.marketdata;

import io.foliosync.connectors.api.ConnectorException;
import io.foliosync.connectors.api.HttpStatusException;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.cache.CacheKey;
import io.foliosync.connectors.api.cache.ResponseCache;
import io.foliosync.connectors.api.http.ApiClient;
import io.foliosync.connectors.api.http.HttpClients;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/** What the HTTP providers share: the client, the cache, and batching of quotes through the cache. */
abstract class HttpProvider implements QuoteProvider {
    protected final ProviderSettings settings;
    protected final ApiClient api;
    private final ResponseCache<Object> cache;

    HttpProvider(ProviderSettings settings, OkHttpClient base, ResponseCache<Object> cache) {
        this.settings = settings;
        HttpClients.Builder b = HttpClients.builder(settings.id()).retryPolicy(settings.retryPolicy())
                .clock(settings.clock()).base(base);
        settings.rateLimiter().ifPresent(b::rateLimiter);
        this.api = ApiClient.of(settings.id(), b.build(), settings.clock());
        this.cache = cache;
    }

    @Override
    public final String id() {
        return settings.id();
    }

    protected LocalDate today() {
        return LocalDate.now(settings.clock().withZone(ZoneOffset.UTC));
    }

    @SuppressWarnings("unchecked")
    protected <T> T cached(CacheKey key, Supplier<T> loader) {
        return (T) cache.get(key, settings.cacheTtl(), (Supplier<Object>) loader);
    }

    /** @return the body of a successful GET as a tree; a 404 is empty (no such symbol or series) */
    protected Optional<Object> getTree(Request request) {
        try {
            return Optional.of(api.executeTree(request));
        } catch (HttpStatusException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    protected static Request get(okhttp3.HttpUrl url) {
        return new Request.Builder().url(url).get().build();
    }

    private CacheKey quoteKey(String symbol) {
        return CacheKey.of(id(), "quote", symbol);
    }

    /**
     * Serves quotes from the cache and fetches the rest in chunks. A symbol a fetch did not return is cached
     * as "no data" too, so repeats never reach the wire. After a rate limit, the remaining symbols are not
     * asked: they fail with the same error and the chain hands them to the next provider.
     */
    protected QuoteBatch batchThroughCache(Collection<String> symbols, int chunkSize,
                                           Function<List<String>, Map<String, Quote>> fetch) {
        Map<String, Quote> found = new HashMap<>();
        Map<String, ConnectorException> failed = new HashMap<>();
        List<String> toFetch = new ArrayList<>();
        for (String symbol : new LinkedHashSet<>(symbols)) {
            Optional<Object> hit = cache.getIfPresent(quoteKey(symbol));
            if (hit.isPresent()) {
                @SuppressWarnings("unchecked")
                Optional<Quote> q = (Optional<Quote>) hit.get();
                q.ifPresent(quote -> found.put(symbol, quote));
            } else {
                toFetch.add(symbol);
            }
        }
        for (int i = 0; i < toFetch.size(); i += chunkSize) {
            List<String> chunk = toFetch.subList(i, Math.min(toFetch.size(), i + chunkSize));
            try {
                Map<String, Quote> answer = fetch.apply(chunk);
                for (String symbol : chunk) {
                    Optional<Quote> q = Optional.ofNullable(answer.get(symbol));
                    cache.put(quoteKey(symbol), q, settings.cacheTtl());
                    q.ifPresent(quote -> found.put(symbol, quote));
                }
            } catch (RateLimitException e) {
                toFetch.subList(i, toFetch.size()).forEach(s -> failed.put(s, e));
                break;
            } catch (ConnectorException e) {
                chunk.forEach(s -> failed.put(s, e));
            }
        }
        return new QuoteBatch(found, failed);
    }
}
