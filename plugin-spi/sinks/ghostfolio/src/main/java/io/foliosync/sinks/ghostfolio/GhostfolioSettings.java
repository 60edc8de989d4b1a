package io.foliosync.sinks.ghostfolio;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.secrets.Secret;
import io.foliosync.connectors.api.sink.SinkAccount;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Ghostfolio sink's entry under {@code sinks:}.
 *
 * @param id               the entry's key
 * @param url              the server, such as {@code https://ghostfolio.example.com}
 * @param token            the user's security token (Ghostfolio's "access token"), when the entry gives one
 *                         through {@code ${VAR}}; else it is read from the encrypted credential store
 * @param accounts         FolioSync account ({@code source/account} or {@code account}) → Ghostfolio account id
 * @param createAccounts   whether an account without a mapping gets a Ghostfolio account of its own (named
 *                         {@code FolioSync <source>/<account>}); when false only mapped accounts are delivered
 * @param cryptoDataSource {@code YAHOO} (coins as {@code BTCUSD}) or {@code COINGECKO} (coins by their CoinGecko id)
 * @param coingeckoIds     coin ticker → CoinGecko id
 * @param symbols          FolioSync symbol → {@code DATASOURCE:SYMBOL}, for an instrument the defaults place wrongly
 * @param cryptoNamespaces the namespaces whose instruments are coins
 */
record GhostfolioSettings(String id, URI url, Optional<Secret> token, Map<String, String> accounts,
                          boolean createAccounts, String cryptoDataSource, Map<String, String> coingeckoIds,
                          Map<String, ActivityMapper.Instrument> symbolOverrides, Set<String> cryptoNamespaces) {
    static final Set<String> DATA_SOURCES = Set.of("YAHOO", "COINGECKO", "MANUAL");

    static GhostfolioSettings read(String id, ConfigSection s) {
        List<String> problems = new ArrayList<>();
        Optional<String> url = s.string("url");
        URI uri = null;
        if (url.isEmpty() || url.get().isBlank()) {
            problems.add(s.keyPath("url") + ": required, the address of the Ghostfolio server (https://…)");
        } else {
            try {
                uri = URI.create(url.get().endsWith("/") ? url.get().substring(0, url.get().length() - 1) : url.get());
                String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
                String host = Optional.ofNullable(uri.getHost()).orElse("");
                boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
                if (scheme.equals("http") && !loopback && !s.bool("allow_http", false)) {
                    problems.add(s.keyPath("url") + ": http:// would send the token unencrypted; use https://, or "
                            + "set allow_http: true for a server on a network you trust");
                } else if (!scheme.equals("http") && !scheme.equals("https")) {
                    problems.add(s.keyPath("url") + ": expected an http(s):// address but was '" + url.get() + "'");
                }
            } catch (IllegalArgumentException e) {
                problems.add(s.keyPath("url") + ": not an address: " + e.getMessage());
            }
        }
        Optional<Secret> token = s.secret("token").filter(t -> !t.isBlank());
        if (s.has("token") && token.isEmpty()) {
            List<String> unset = s.unsetVariables("token");
            problems.add(s.keyPath("token") + ": empty" + (unset.isEmpty() ? "" : " (set " + String.join(", ", unset)
                    + ")") + "; or remove the key and store the token encrypted with `foliosync sinks token " + id
                    + "`");
        }
        Map<String, String> accounts = new HashMap<>();
        s.section("accounts").asMap().forEach((k, v) -> accounts.put(k, String.valueOf(v)));
        String crypto = s.string("crypto_data_source", "YAHOO").toUpperCase(Locale.ROOT);
        if (!crypto.equals("YAHOO") && !crypto.equals("COINGECKO")) {
            problems.add(s.keyPath("crypto_data_source") + ": YAHOO or COINGECKO, not '" + crypto + "'");
        }
        Map<String, String> coins = new HashMap<>();
        s.section("coingecko_ids").asMap().forEach((k, v) -> coins.put(k.toUpperCase(Locale.ROOT), String.valueOf(v)));
        Map<String, ActivityMapper.Instrument> symbols = new HashMap<>();
        s.section("symbols").asMap().forEach((k, v) -> {
            String text = String.valueOf(v);
            int colon = text.indexOf(':');
            String source = colon > 0 ? text.substring(0, colon).toUpperCase(Locale.ROOT) : "";
            if (colon <= 0 || colon == text.length() - 1 || !DATA_SOURCES.contains(source)) {
                problems.add(s.section("symbols").keyPath(k) + ": expected DATA_SOURCE:SYMBOL with a data source of "
                        + DATA_SOURCES + ", such as YAHOO:VOD.L, but was '" + text + "'");
            } else {
                symbols.put(k.toUpperCase(Locale.ROOT), new ActivityMapper.Instrument(source,
                        text.substring(colon + 1)));
            }
        });
        List<String> namespaces = s.strings("crypto_namespaces");
        if (!problems.isEmpty()) {
            throw new ConfigurationException(id, problems);
        }
        return new GhostfolioSettings(id, uri, token, Map.copyOf(accounts), s.bool("create_accounts", true), crypto,
                Map.copyOf(coins), Map.copyOf(symbols),
                Set.copyOf(namespaces.isEmpty() ? List.of("crypto_exchanges") : namespaces));
    }

    /** @return the Ghostfolio account id the configuration maps {@code account} to */
    Optional<String> mappedAccount(SinkAccount account) {
        return Optional.ofNullable(accounts.get(account.label()))
                .or(() -> Optional.ofNullable(accounts.get(account.accountId())));
    }

    boolean isCrypto(SinkAccount account) {
        return cryptoNamespaces.contains(account.namespace());
    }

    Optional<ActivityMapper.Instrument> symbol(String upperSymbol) {
        return Optional.ofNullable(symbolOverrides.get(upperSymbol));
    }

    Optional<String> coingeckoId(String upperSymbol) {
        return Optional.ofNullable(coingeckoIds.get(upperSymbol));
    }

    @Override
    public String toString() {
        return "GhostfolioSettings[" + id + ", " + url + ", token " + (token.isPresent() ? "(set)" : "(stored)") + "]";
    }
}
