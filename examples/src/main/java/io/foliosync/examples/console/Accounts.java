package io.foliosync.examples.console;

import io.foliosync.connectors.api.Holding;
import java.util.Map;
import java.util.Optional;

/**
 * How every page names an account and an asset, so the Dashboard, Holdings, Transactions and Reconciliation pages
 * say the same thing for the same account: {@code kraken} for an exchange (the id {@code sync --source} takes),
 * {@code ibkr …4321} for a broker account, {@code schwab CSV …0987} for a Schwab CSV export.
 */
final class Accounts {
    /** The store's namespace for every exchange account: the account id is then the exchange's source id. */
    static final String CRYPTO_NAMESPACE = "crypto_exchanges";

    // Kraken's balance variants, as AssetCodes in connectors-crypto keeps them apart
    private static final Map<String, String> VARIANTS = Map.of("S", "staked", "M", "opt-in rewards", "B",
            "bonded", "F", "earn", "P", "parachain", "HOLD", "on hold", "ETH2", "staked");

    private Accounts() {
    }

    /**
     * @param namespace the store's source name of the record ({@code crypto_exchanges}, {@code ibkr}, {@code schwab})
     * @param accountId the record's account
     * @return the account as a person reads it, with an account number masked
     */
    static String label(String namespace, String accountId) {
        if (namespace.equals(CRYPTO_NAMESPACE) || namespace.equals(accountId)) {
            return Views.mask(accountId);
        }
        if (accountId.startsWith("csv:")) {
            return namespace + " CSV " + Views.mask(accountId.substring(4).replaceAll("^[^0-9]*", "").trim());
        }
        return namespace + " " + Views.mask(accountId);
    }

    /** @return the holding's symbol, with its balance variant labelled ({@code DOT.S staked}) when it has one */
    static String symbol(Holding h) {
        Optional<String> variant = Optional.ofNullable(h.attributes().get("variant"));
        return variant.map(v -> h.symbol() + "." + v + " " + VARIANTS.getOrDefault(v, "variant")).orElse(h.symbol());
    }
}
