/** Interactive Brokers connector: Client Portal positions and Flex Web Service history. */
package io.foliosync.connectors.ibkr;
