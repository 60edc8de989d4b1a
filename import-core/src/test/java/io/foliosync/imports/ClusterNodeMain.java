package io.foliosync.imports;

import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.imports.config.DatabaseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One instance of the sync cluster, the child process of {@link ClusterSyncProcessTest}: opens FolioSync on the
 * PostgreSQL schema, starts its {@link ClusteredSync}, prints {@code ready}, and runs until its standard input closes
 * (a graceful stop) or it is killed.
 *
 * <p>Arguments: {@code <jdbc url> <schema> <instance name> <threads> <heartbeat ms> <base directory>}; the master key
 * comes from the environment variable {@code FOLIOSYNC_MASTER_KEY}.
 */
public final class ClusterNodeMain {
    private ClusterNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[3]);
        DatabaseSettings db = DatabaseSettings.postgres(args[0], TestDatabases.PG_USER, Optional.empty())
                .withSchema(args[1]).withMaxPoolSize(2 * threads + 4);
        try (FolioSync fs = FolioSync.builder()
                .database(db)
                .environment(Map.of(MasterKey.ENV, System.getenv(MasterKey.ENV)))
                .dotEnv(Optional.empty())
                .baseDirectory(Path.of(args[5]))
                .providers(List.of(new LoopbackAccountsProvider()))
                .build()) {
            ClusteredSync cluster = fs.cluster(new ClusterSettings(args[2], threads, Duration.ofMillis(100),
                    Duration.ofMillis(Long.parseLong(args[4])), 4));
            cluster.start();
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() != -1) {
                // runs until the parent closes our standard input
            }
        }
        System.exit(0);
    }
}
