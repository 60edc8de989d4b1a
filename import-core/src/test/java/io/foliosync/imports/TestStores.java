package io.foliosync.imports;

import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.store.PortfolioStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a store test opened, closed together after it: stores, orchestrators and the PostgreSQL schemas they
 * used (dropped), newest first.
 */
public final class TestStores implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<DatabaseSettings> databases = new ArrayList<>();

    /** @return a store on {@code settings}, closed and (PostgreSQL) dropped after the test */
    public PortfolioStore store(DatabaseSettings settings) {
        databases.add(settings);
        PortfolioStore s = PortfolioStore.open(settings);
        open.add(s);
        return s;
    }

    /** Closes {@code c} after the test, before what was opened earlier. */
    public void add(AutoCloseable c) {
        open.add(c);
    }

    @Override
    public void close() throws Exception {
        List<AutoCloseable> reversed = new ArrayList<>(open);
        Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            c.close();
        }
        databases.forEach(TestDatabases::drop);
    }
}
