package io.foliosync.connectors.marketdata;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.ConnectorException;
import io.foliosync.connectors.api.MalformedDataException;
import io.foliosync.connectors.api.RateLimitException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Asks providers in order, handing over on a rate limit, a failure or no data, and records who answered. */
final class Chain {
    private static final Logger LOG = LoggerFactory.getLogger(Chain.class);
    private final List<QuoteProvider> providers;
    private final SymbolMap symbolMap;

    Chain(List<QuoteProvider> providers) {
        this(providers, SymbolMap.EMPTY);
    }

    Chain(List<QuoteProvider> providers, SymbolMap symbolMap) {
        this.providers = List.copyOf(providers);
        this.symbolMap = symbolMap;
    }

    List<QuoteProvider> providers() {
        return providers;
    }

    List<QuoteProvider> offering(QuoteProvider.Feature feature) {
        return providers.stream().filter(p -> p.features().contains(feature)).toList();
    }

    /** @return the provider's symbol for the instrument: the user's {@code symbol_map} first, then its rules */
    Optional<String> symbolFor(QuoteProvider p, Instrument i) {
        Optional<Optional<String>> mapped = symbolMap.lookup(p.id(), i.symbol());
        return mapped.isPresent() ? mapped.get() : p.providerSymbol(i);
    }

    private static Attempt unsupported(QuoteProvider p, Instrument i) {
        return new Attempt(p.id(), Attempt.Outcome.UNSUPPORTED, p.id() + " does not serve " + i
                + " (its symbol rules or symbol_map leave it out)");
    }

    Map<Instrument, Lookup<Quote>> latestQuotes(Collection<Instrument> instruments) {
        Set<Instrument> remaining = new LinkedHashSet<>(instruments);
        Map<Instrument, List<Attempt>> attempts = new LinkedHashMap<>();
        Map<Instrument, Lookup<Quote>> out = new LinkedHashMap<>();
        remaining.forEach(s -> attempts.put(s, new ArrayList<>()));
        for (QuoteProvider p : offering(QuoteProvider.Feature.LATEST_QUOTES)) {
            if (remaining.isEmpty()) {
                break;
            }
            // The provider's symbol for each instrument still unpriced; several may share one (BTC in two
            // accounts), and the provider is asked for each of its symbols once.
            Map<String, List<Instrument>> asked = new LinkedHashMap<>();
            for (Instrument i : remaining) {
                Optional<String> theirs = symbolFor(p, i);
                if (theirs.isPresent()) {
                    asked.computeIfAbsent(theirs.get(), k -> new ArrayList<>()).add(i);
                } else {
                    attempts.get(i).add(unsupported(p, i));
                }
            }
            if (asked.isEmpty()) {
                continue;
            }
            QuoteBatch batch;
            try {
                batch = p.latestQuotes(List.copyOf(asked.keySet()));
            } catch (ConnectorException | IllegalArgumentException e) {
                Attempt a = attempt(p, e);
                LOG.warn("{}: quotes for {} symbols failed ({}); handing over", p.id(), asked.size(), a);
                asked.values().forEach(l -> l.forEach(i -> attempts.get(i).add(a)));
                continue;
            }
            int failed = 0;
            for (Map.Entry<String, List<Instrument>> e : asked.entrySet()) {
                String theirs = e.getKey();
                Quote q = batch.quotes().get(theirs);
                for (Instrument i : e.getValue()) {
                    if (q != null) {
                        out.put(i, Lookup.found(q.reportedAs(i.symbol()), p.id(), attempts.get(i)));
                        remaining.remove(i);
                    } else if (batch.failures().containsKey(theirs)) {
                        attempts.get(i).add(attempt(p, batch.failures().get(theirs)));
                        failed++;
                    } else {
                        attempts.get(i).add(new Attempt(p.id(), Attempt.Outcome.NO_DATA, "no quote for " + theirs
                                + (theirs.equals(i.symbol()) ? "" : " (asked for " + i.symbol() + ")")));
                    }
                }
            }
            if (failed > 0) {
                LOG.info("{}: {} symbols failed (first: {}); handing them over", p.id(), failed,
                        batch.failures().values().iterator().next().getMessage());
            }
        }
        Map<Instrument, Lookup<Quote>> ordered = new LinkedHashMap<>();
        for (Instrument i : new LinkedHashSet<>(instruments)) {
            ordered.put(i, out.getOrDefault(i, Lookup.missing(attempts.get(i))));
        }
        return ordered;
    }

    /**
     * Asks each provider offering {@code feature} for the instrument under its own symbol until one answers;
     * providers that do not serve the instrument are recorded as {@link Attempt.Outcome#UNSUPPORTED}.
     */
    <T> Lookup<T> first(QuoteProvider.Feature feature, Instrument instrument, String what,
                        BiFunction<QuoteProvider, String, Optional<T>> ask) {
        List<Attempt> attempts = new ArrayList<>();
        for (QuoteProvider p : offering(feature)) {
            Optional<String> theirs = symbolFor(p, instrument);
            if (theirs.isEmpty()) {
                attempts.add(unsupported(p, instrument));
                continue;
            }
            String asked = theirs.get().equals(instrument.symbol()) ? instrument.symbol()
                    : theirs.get() + " (for " + instrument.symbol() + ")";
            try {
                Optional<T> v = ask.apply(p, theirs.get());
                if (v.isPresent()) {
                    return Lookup.found(v.get(), p.id(), attempts);
                }
                attempts.add(new Attempt(p.id(), Attempt.Outcome.NO_DATA, "no data for " + asked + " " + what));
            } catch (ConnectorException | IllegalArgumentException e) {
                Attempt a = attempt(p, e);
                LOG.info("{}: {} {} failed ({}); handing over", p.id(), asked, what, a);
                attempts.add(a);
            }
        }
        return Lookup.missing(attempts);
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
        } else if (e instanceof MalformedDataException) {
            outcome = Attempt.Outcome.MALFORMED;
        } else if (e instanceof IllegalArgumentException) {
            outcome = Attempt.Outcome.MALFORMED;
            detail = p.id() + ": " + detail;
        } else {
            outcome = Attempt.Outcome.UNAVAILABLE;
        }
        return new Attempt(p.id(), outcome, detail);
    }
}
