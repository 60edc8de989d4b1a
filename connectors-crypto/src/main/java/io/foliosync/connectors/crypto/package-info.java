/** Crypto exchange connector on XChange: balances, trades, funding history and rewards. */
package io.foliosync.connectors.crypto;
