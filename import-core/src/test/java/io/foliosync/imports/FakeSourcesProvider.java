package io.foliosync.imports;

import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A connector provider registered for tests in {@code META-INF/services} (test resources), reading the top-level
 * section {@code fake_sources}: one {@link FakeConnector} per enabled child, which requires {@code api_key} and
 * serves {@code transactions} (default 3) records.
 */
public final class FakeSourcesProvider implements ConnectorProvider {
    /** Every connector this provider built, so tests can check they were closed. */
    static final List<FakeConnector> CREATED = new CopyOnWriteArrayList<>();
    /** The context of the last {@code create} call. */
    static volatile ConnectorContext lastContext;

    @Override
    public String configSection() {
        return "fake_sources";
    }

    @Override
    public List<Connector> create(ConfigSection section, ConnectorContext context) {
        lastContext = context;
        List<Connector> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String id : section.keys()) {
            ConfigSection s = section.section(id);
            if (!s.bool("enabled", true)) {
                continue;
            }
            ConfigSection.Requirements req = s.require();
            req.secret("api_key");
            if (!req.problems().isEmpty()) {
                problems.addAll(req.problems());
                continue;
            }
            FakeConnector c = new FakeConnector(id);
            c.pageSize = 2;
            int n = s.integer("transactions", 3);
            List<Transaction> txs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                txs.add(Tx.buy(id, id + "-" + i, i).build());
            }
            c.transactions = txs;
            CREATED.add(c);
            out.add(c);
        }
        if (!problems.isEmpty()) {
            out.forEach(Connector::close);
            throw new io.foliosync.connectors.api.ConfigurationException(section.path(), problems);
        }
        return out;
    }
}
