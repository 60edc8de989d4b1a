/**
 * What users of import-core call: {@link io.foliosync.imports.FolioSync} (a configuration file to a running SDK)
 * and {@link io.foliosync.imports.ImportOrchestrator} (sources synced into a store), with the results they return.
 * The rest lives by step of the flow: {@code config} → {@code pipeline} → {@code store}, and {@code schedule}.
 */
package io.foliosync.imports;
