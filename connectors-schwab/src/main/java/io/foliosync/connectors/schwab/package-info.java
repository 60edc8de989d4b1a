/**
 * Charles Schwab: the Trader API over OAuth2 ({@link io.foliosync.connectors.schwab.SchwabConnector}, source
 * {@code schwab}) and the CSV exports from schwab.com ({@link io.foliosync.connectors.schwab.SchwabCsvConnector},
 * source {@code schwab-csv}), two sources that sync, fail and keep cursors independently.
 */
package io.foliosync.connectors.schwab;
