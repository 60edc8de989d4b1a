package io.foliosync.connectors.api.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {

    @Test
    void eachEntryExpiresAfterItsOwnTtl() {
        AtomicLong now = new AtomicLong();
        ResponseCache<String> cache = ResponseCache.create(100, now::get);
        AtomicInteger loads = new AtomicInteger();
        CacheKey quote = CacheKey.of("quote", "AAPL");
        CacheKey history = CacheKey.of("history", "AAPL");

        cache.get(quote, Duration.ofSeconds(60), () -> "q" + loads.incrementAndGet());
        cache.get(history, Duration.ofHours(24), () -> "h" + loads.incrementAndGet());
        now.addAndGet(Duration.ofSeconds(61).toNanos());

        assertThat(cache.get(quote, Duration.ofSeconds(60), () -> "q" + loads.incrementAndGet())).isEqualTo("q3");
        assertThat(cache.get(history, Duration.ofHours(24), () -> "h" + loads.incrementAndGet())).isEqualTo("h2");
        assertThat(cache.hitCount()).isEqualTo(1);
        assertThat(cache.missCount()).isEqualTo(3);
    }

    @Test
    void failedLoadsAreNotCached() {
        ResponseCache<String> cache = ResponseCache.create(10);
        CacheKey key = CacheKey.of("k");
        try {
            cache.get(key, Duration.ofMinutes(1), () -> {
                throw new IllegalStateException("down");
            });
        } catch (IllegalStateException expected) {
            // the next call must reach the loader again
        }
        assertThat(cache.get(key, Duration.ofMinutes(1), () -> "up")).isEqualTo("up");
    }

    @Test
    void keyIsDeterministicAndIgnoresNoncesSignaturesAndSecrets() {
        HttpUrl base = HttpUrl.get("https://api.example.com/v1/prices");
        Request a = new Request.Builder().url(base.newBuilder().addQueryParameter("symbols", "AAPL")
                .addQueryParameter("interval", "1d").addQueryParameter("timestamp", "1").addQueryParameter("signature", "s1")
                .addQueryParameter("apikey", "secret-1").build()).build();
        Request b = new Request.Builder().url(base.newBuilder().addQueryParameter("interval", "1d")
                .addQueryParameter("symbols", "AAPL").addQueryParameter("timestamp", "2").addQueryParameter("signature", "s2")
                .addQueryParameter("apikey", "secret-2").build()).build();
        Request other = new Request.Builder().url(base.newBuilder().addQueryParameter("symbols", "MSFT").build()).build();

        assertThat(CacheKey.of(a)).isEqualTo(CacheKey.of(b)).isNotEqualTo(CacheKey.of(other));
        assertThat(CacheKey.of(a).value()).doesNotContain("secret-1");
    }

    @Test
    void bodiesDistinguishPostKeys() {
        Request a = new Request.Builder().url("https://x.test/r").post(new FormBody.Builder().add("ofs", "0").build()).build();
        Request b = new Request.Builder().url("https://x.test/r").post(new FormBody.Builder().add("ofs", "50").build()).build();
        assertThat(CacheKey.of(a)).isNotEqualTo(CacheKey.of(b));
    }
}
