/**
 * Market data connector: prices, price history, dividends, splits and FX rates from Tiingo, Yahoo Finance,
 * Alpha Vantage and FRED, asked in the configured order with fallback, and a {@link
 * io.foliosync.connectors.marketdata.Valuator} that values holdings in a base currency.
 *
 * <p>Entry points: {@link io.foliosync.connectors.marketdata.MarketDataConnector#fromConfig}, {@link
 * io.foliosync.connectors.marketdata.MarketDataConnector#valuator()}, {@link
 * io.foliosync.connectors.marketdata.Valuator}, {@link io.foliosync.connectors.marketdata.Instrument} (what a
 * holding is, for the per-provider symbol mapping). Provider implementations are package-private.
 */
package io.foliosync.connectors.marketdata;
