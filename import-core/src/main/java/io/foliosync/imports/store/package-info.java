/**
 * The portfolio database: {@link io.foliosync.imports.store.PortfolioStore}, its JDBC implementation with one
 * class per table, the rows it returns, and the encrypted credentials.
 */
package io.foliosync.imports.store;
