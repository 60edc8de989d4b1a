-- Issue 27: value over time. Daily closing prices (market-data daily bars) and FX rates (a currency's close in
-- another), kept so that a series is priced once: a later sync asks the market data only for the days after the
-- last close stored. Not per portfolio: a price is the same for everyone. source says where it is from (yahoo,
-- trade: a trade's own price that day).
CREATE TABLE daily_closes (
    symbol   VARCHAR(64) NOT NULL,
    currency VARCHAR(12) NOT NULL,
    day      ${date}     NOT NULL,
    price    ${decimal}  NOT NULL,
    source   VARCHAR(64) NOT NULL,
    CONSTRAINT pk_daily_closes PRIMARY KEY (symbol, currency, day)
);
