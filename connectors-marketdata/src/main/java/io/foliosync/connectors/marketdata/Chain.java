package io.foliosync.connectors.marketdata;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.ConnectorException;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.RateLimitException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Asks providers in order, handing over on a rate limit, a failure or no data, and records who answered. */
final class Chain {
    private static final Logger LOG = LoggerFactory.getLogger(Chain.class);
    private final List<QuoteProvider> providers;

    Chain(List<QuoteProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    List<QuoteProvider> providers() {
        return providers;
    }

    List<QuoteProvider> offering(QuoteProvider.Feature feature) {
        return providers.stream().filter(p -> p.features().contains(feature)).toList();
    }

    Map<String, Lookup<Quote>> latestQuotes(Collection<String> symbols) {
        Set<String> remaining = new LinkedHashSet<>(symbols);
        Map<String, List<Attempt>> attempts = new LinkedHashMap<>();
        Map<String, Lookup<Quote>> out = new LinkedHashMap<>();
        remaining.forEach(s -> attempts.put(s, new ArrayList<>()));
        for (QuoteProvider p : offering(QuoteProvider.Feature.LATEST_QUOTES)) {
            if (remaining.isEmpty()) {
                break;
            }
            QuoteBatch batch;
            try {
                batch = p.latestQuotes(List.copyOf(remaining));
            } catch (ConnectorException | IllegalArgumentException e) {
                Attempt a = attempt(p, e);
                LOG.warn("{}: quotes for {} symbols failed ({}); handing over", p.id(), remaining.size(), a);
                remaining.forEach(s -> attempts.get(s).add(a));
                continue;
            }
            int failed = 0;
            for (String s : List.copyOf(remaining)) {
                Quote q = batch.quotes().get(s);
                if (q != null) {
                    out.put(s, Lookup.found(q, p.id(), attempts.get(s)));
                    remaining.remove(s);
                } else if (batch.failures().containsKey(s)) {
                    attempts.get(s).add(attempt(p, batch.failures().get(s)));
                    failed++;
                } else {
                    attempts.get(s).add(new Attempt(p.id(), Attempt.Outcome.NO_DATA, "no quote for " + s));
                }
            }
            if (failed > 0) {
                LOG.info("{}: {} symbols failed (first: {}); handing them over", p.id(), failed,
                        batch.failures().values().iterator().next().getMessage());
            }
        }
        Map<String, Lookup<Quote>> ordered = new LinkedHashMap<>();
        for (String s : new LinkedHashSet<>(symbols)) {
            ordered.put(s, out.getOrDefault(s, Lookup.missing(attempts.get(s))));
        }
        return ordered;
    }

    /** Asks each provider offering {@code feature} until one answers with a value. */
    <T> Lookup<T> first(QuoteProvider.Feature feature, String what, Function<QuoteProvider, Optional<T>> ask) {
        List<Attempt> attempts = new ArrayList<>();
        for (QuoteProvider p : offering(feature)) {
            try {
                Optional<T> v = ask.apply(p);
                if (v.isPresent()) {
                    return Lookup.found(v.get(), p.id(), attempts);
                }
                attempts.add(new Attempt(p.id(), Attempt.Outcome.NO_DATA, "no data for " + what));
            } catch (ConnectorException | IllegalArgumentException e) {
                Attempt a = attempt(p, e);
                LOG.info("{}: {} failed ({}); handing over", p.id(), what, a);
                attempts.add(a);
            }
        }
        return Lookup.missing(attempts);
    }

    static Attempt attempt(QuoteProvider p, RuntimeException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Attempt.Outcome outcome;
        if (e instanceof RateLimitException) {
            outcome = Attempt.Outcome.RATE_LIMITED;
        } else if (e instanceof AuthenticationException) {
            outcome = Attempt.Outcome.UNAVAILABLE;
        } else if (e instanceof DataFetchException d) {
            boolean malformed = d.record().isPresent() || d.field().isPresent()
                    || detail.contains("malformed JSON") || detail.contains("unexpected JSON");
            outcome = malformed && d.httpStatus().isEmpty() ? Attempt.Outcome.MALFORMED : Attempt.Outcome.UNAVAILABLE;
        } else if (e instanceof IllegalArgumentException) {
            outcome = Attempt.Outcome.MALFORMED;
            detail = p.id() + ": " + detail;
        } else {
            outcome = Attempt.Outcome.UNAVAILABLE;
        }
        return new Attempt(p.id(), outcome, detail);
    }
}
