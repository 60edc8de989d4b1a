package io.foliosync.examples.cli;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.crypto.CryptoExchangeConnector;
import io.foliosync.connectors.crypto.CryptoExchangeConnectorProvider;
import io.foliosync.connectors.crypto.ExchangeSettings;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configured crypto accounts read as generic XChange accounts: labelled as such wherever the CLI reports on
 * accounts, because their completeness is what XChange's module reads, not what FolioSync checked against the
 * exchange.
 */
final class GenericAccounts {
    private GenericAccounts() {
    }

    /** @return account id to exchange id of every generic account configured; none when the section is invalid */
    static Map<String, String> of(Workspace ws) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!ws.hasConfig()) {
            return out;
        }
        try {
            for (ExchangeSettings s : CryptoExchangeConnectorProvider.parse(
                    ws.config().section(CryptoExchangeConnector.NAME))) {
                if (s.isGeneric()) {
                    out.put(s.accountId(), s.exchangeId());
                }
            }
        } catch (ConfigurationException e) {
            // the sync itself reports the configuration's problems; a label is not worth a second report
        }
        return out;
    }

    /** Prints one line naming the generic accounts among {@code shown}, if any. */
    static void print(PrintWriter out, Map<String, String> generic, Collection<String> shown) {
        Map<String, String> here = new LinkedHashMap<>();
        generic.forEach((account, exchange) -> {
            if (shown.contains(account)) {
                here.put(account, exchange);
            }
        });
        if (here.isEmpty()) {
            return;
        }
        out.println("generic XChange accounts (read through XChange's common services; completeness as the module "
                + "reads it, see `foliosync exchanges` and docs/exchanges.md): " + String.join(", ", here.entrySet()
                .stream().map(e -> e.getKey().equals(e.getValue()) ? e.getKey() : e.getKey() + " (" + e.getValue() + ")")
                .toList()));
        out.flush();
    }
}
