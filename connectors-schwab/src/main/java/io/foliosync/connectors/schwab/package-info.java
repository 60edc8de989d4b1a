/** Charles Schwab connector: Trader API over OAuth2, with the CSV exports as fallback. */
package io.foliosync.connectors.schwab;
