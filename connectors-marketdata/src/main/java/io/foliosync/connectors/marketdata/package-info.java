/** Market data connector: prices and FX from Tiingo, Yahoo Finance, Alpha Vantage and FRED. */
package io.foliosync.connectors.marketdata;
