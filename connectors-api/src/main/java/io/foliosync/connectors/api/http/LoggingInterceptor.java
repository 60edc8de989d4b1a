package io.foliosync.connectors.api.http;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.FormBody;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each attempt through slf4j ({@code io.foliosync.http.<source>}): the request line and outcome at
 * DEBUG, headers and form fields at TRACE. Sensitive header, query and form values are masked
 * ({@link Redaction}); JSON bodies are never logged, since they may carry secrets under any name.
 */
final class LoggingInterceptor implements Interceptor {
    private final Logger log;
    private final String source;

    LoggingInterceptor(String source) {
        this.source = source;
        this.log = LoggerFactory.getLogger("io.foliosync.http." + source);
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String target = request.method() + " " + Redaction.redact(request.url());
        if (log.isDebugEnabled()) {
            log.debug("{} --> {}", source, target);
        }
        if (log.isTraceEnabled()) {
            log.trace("{} request headers: {}", source, headers(request.headers()));
            if (request.body() instanceof FormBody form) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < form.size(); i++) {
                    sb.append(i == 0 ? "" : "&").append(form.name(i)).append('=')
                            .append(Redaction.redact(form.name(i), form.value(i)));
                }
                log.trace("{} form body: {}", source, sb);
            }
        }
        long start = System.nanoTime();
        try {
            Response response = chain.proceed(request);
            if (log.isDebugEnabled()) {
                log.debug("{} <-- {} {} ({} ms)", source, response.code(), target,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            if (log.isTraceEnabled()) {
                log.trace("{} response headers: {}", source, headers(response.headers()));
            }
            return response;
        } catch (IOException e) {
            log.debug("{} <-- failed {} after {} ms: {}", source, target,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), e.toString());
            throw e;
        }
    }

    private static String headers(Headers headers) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < headers.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(headers.name(i)).append('=')
                    .append(Redaction.redact(headers.name(i), headers.value(i)));
        }
        return sb.append('}').toString();
    }
}
