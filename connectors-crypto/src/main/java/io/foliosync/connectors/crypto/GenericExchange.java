package io.foliosync.connectors.crypto;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.knowm.xchange.Exchange;
import org.knowm.xchange.ExchangeClassUtils;
import org.apiguardian.api.API;

/**
 * An exchange read through XChange's common services only (balances of every wallet, {@code getTradeHistory},
 * {@code getFundingHistory}), with none of the exchange-specific calls, pacing and recordings a
 * {@link SupportedExchange first-class} exchange has: a <em>generic</em> account. Its completeness is what the
 * XChange module implements; {@code docs/exchanges.md} says, per exchange this build ships, what that is.
 *
 * <p>XChange has no registry of exchange ids: an exchange is its {@code Exchange} class, built by class name
 * ({@link ExchangeClassUtils#exchangeClassForName}). {@link #catalogue()} maps the ids FolioSync accepts to the
 * class and Maven module of each exchange module in XChange 5.2.1's source tree (first-class exchanges, market-data
 * only modules and the simulator left out); any other module's class can be named with {@code exchange_class}.
 *
 * @param id            the configuration id, such as {@code bitstamp}
 * @param name          the exchange's name as XChange's class spells it
 * @param exchangeClass the XChange {@code Exchange} implementation
 * @param module        the Maven artifact ({@code org.knowm.xchange:<module>:5.2.1}) that holds it
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record GenericExchange(String id, String name, String exchangeClass, String module) {

    /** The XChange version every module must share ({@code NoClassDefFoundError} otherwise). */
    public static final String XCHANGE_VERSION = "5.2.1";

    private static final List<GenericExchange> CATALOGUE = List.of(
            entry("binanceus", "org.knowm.xchange.binance.BinanceUsExchange", "xchange-binance"),
            entry("ascendex", "org.knowm.xchange.ascendex.AscendexExchange", "xchange-ascendex"),
            entry("bibox", "org.knowm.xchange.bibox.BiboxExchange", "xchange-bibox"),
            entry("bitbay", "org.knowm.xchange.bitbay.v3.BitbayExchange", "xchange-bitbay"),
            entry("bitcoinde", "org.knowm.xchange.bitcoinde.v4.BitcoindeExchange", "xchange-bitcoinde"),
            entry("bitcointoyou", "org.knowm.xchange.bitcointoyou.BitcointoyouExchange", "xchange-bitcointoyou"),
            entry("bitfinex", "org.knowm.xchange.bitfinex.BitfinexExchange", "xchange-bitfinex"),
            entry("bitflyer", "org.knowm.xchange.bitflyer.BitflyerExchange", "xchange-bitflyer"),
            entry("bitget", "org.knowm.xchange.bitget.BitgetExchange", "xchange-bitget"),
            entry("bithumb", "org.knowm.xchange.bithumb.BithumbExchange", "xchange-bithumb"),
            entry("bitmex", "org.knowm.xchange.bitmex.BitmexExchange", "xchange-bitmex"),
            entry("bitso", "org.knowm.xchange.bitso.BitsoExchange", "xchange-bitso"),
            entry("bitstamp", "org.knowm.xchange.bitstamp.BitstampExchange", "xchange-bitstamp"),
            entry("bittrex", "org.knowm.xchange.bittrex.BittrexExchange", "xchange-bittrex"),
            entry("bity", "org.knowm.xchange.bity.BityExchange", "xchange-bity"),
            entry("bitz", "org.knowm.xchange.bitz.BitZExchange", "xchange-bitz"),
            entry("bl3p", "org.knowm.xchange.bl3p.Bl3pExchange", "xchange-bl3p"),
            entry("bleutrade", "org.knowm.xchange.bleutrade.BleutradeExchange", "xchange-bleutrade"),
            entry("blockchain", "org.knowm.xchange.blockchain.BlockchainExchange", "xchange-blockchain"),
            entry("btcc", "org.knowm.xchange.btcc.BTCCExchange", "xchange-btcc"),
            entry("btcmarkets", "org.knowm.xchange.btcmarkets.BTCMarketsExchange", "xchange-btcmarkets"),
            entry("btcturk", "org.knowm.xchange.btcturk.BTCTurkExchange", "xchange-btcturk"),
            entry("bybit", "org.knowm.xchange.bybit.BybitExchange", "xchange-bybit"),
            entry("ccex", "org.knowm.xchange.ccex.CCEXExchange", "xchange-ccex"),
            entry("cexio", "org.knowm.xchange.cexio.CexIOExchange", "xchange-cexio"),
            entry("coincheck", "org.knowm.xchange.coincheck.CoincheckExchange", "xchange-coincheck"),
            entry("coindeal", "org.knowm.xchange.coindeal.CoindealExchange", "xchange-coindeal"),
            entry("coindirect", "org.knowm.xchange.coindirect.CoindirectExchange", "xchange-coindirect"),
            entry("coinegg", "org.knowm.xchange.coinegg.CoinEggExchange", "xchange-coinegg"),
            entry("coinex", "org.knowm.xchange.coinex.CoinexExchange", "xchange-coinex"),
            entry("coinfloor", "org.knowm.xchange.coinfloor.CoinfloorExchange", "xchange-coinfloor"),
            entry("coingi", "org.knowm.xchange.coingi.CoingiExchange", "xchange-coingi"),
            entry("coinjar", "org.knowm.xchange.coinjar.CoinjarExchange", "xchange-coinjar"),
            entry("coinmate", "org.knowm.xchange.coinmate.CoinmateExchange", "xchange-coinmate"),
            entry("coinone", "org.knowm.xchange.coinone.CoinoneExchange", "xchange-coinone"),
            entry("deribit", "org.knowm.xchange.deribit.v2.DeribitExchange", "xchange-deribit"),
            entry("dvchain", "org.knowm.xchange.dvchain.DVChainExchange", "xchange-dvchain"),
            entry("dydx", "org.knowm.xchange.dydx.dydxExchange", "xchange-dydx"),
            entry("enigma", "org.knowm.xchange.enigma.EnigmaExchange", "xchange-enigma"),
            entry("exmo", "org.knowm.xchange.exmo.ExmoExchange", "xchange-exmo"),
            entry("gemini", "org.knowm.xchange.gemini.v1.GeminiExchange", "xchange-gemini"),
            entry("globitex", "org.knowm.xchange.globitex.GlobitexExchange", "xchange-globitex"),
            entry("hitbtc", "org.knowm.xchange.hitbtc.v2.HitbtcExchange", "xchange-hitbtc"),
            entry("idex", "org.knowm.xchange.idex.IdexExchange", "xchange-idex"),
            entry("independentreserve", "org.knowm.xchange.independentreserve.IndependentReserveExchange", "xchange-independentreserve"),
            entry("itbit", "org.knowm.xchange.itbit.ItBitExchange", "xchange-itbit"),
            entry("koineks", "org.knowm.xchange.koineks.KoineksExchange", "xchange-koineks"),
            entry("koinim", "org.knowm.xchange.koinim.KoinimExchange", "xchange-koinim"),
            entry("krakenfutures", "org.knowm.xchange.krakenfutures.KrakenFuturesExchange", "xchange-krakenfutures"),
            entry("kucoin", "org.knowm.xchange.kucoin.KucoinExchange", "xchange-kucoin"),
            entry("kuna", "org.knowm.xchange.kuna.KunaExchange", "xchange-kuna"),
            entry("latoken", "org.knowm.xchange.latoken.LatokenExchange", "xchange-latoken"),
            entry("lgo", "org.knowm.xchange.lgo.LgoExchange", "xchange-lgo"),
            entry("livecoin", "org.knowm.xchange.livecoin.LivecoinExchange", "xchange-livecoin"),
            entry("luno", "org.knowm.xchange.luno.LunoExchange", "xchange-luno"),
            entry("lykke", "org.knowm.xchange.lykke.LykkeExchange", "xchange-lykke"),
            entry("mercadobitcoin", "org.knowm.xchange.mercadobitcoin.MercadoBitcoinExchange", "xchange-mercadobitcoin"),
            entry("mexc", "org.knowm.xchange.mexc.MEXCExchange", "xchange-mexc"),
            entry("okcoin", "org.knowm.xchange.okcoin.OkCoinExchange", "xchange-okcoin"),
            entry("paribu", "org.knowm.xchange.paribu.ParibuExchange", "xchange-paribu"),
            entry("paymium", "org.knowm.xchange.paymium.PaymiumExchange", "xchange-paymium"),
            entry("poloniex", "org.knowm.xchange.poloniex.PoloniexExchange", "xchange-poloniex"),
            entry("quoine", "org.knowm.xchange.quoine.QuoineExchange", "xchange-quoine"),
            entry("ripple", "org.knowm.xchange.ripple.RippleExchange", "xchange-ripple"),
            entry("serum", "com.knowm.xchange.serum.SerumExchange", "xchange-serum"),
            entry("tradeogre", "org.knowm.xchange.tradeogre.TradeOgreExchange", "xchange-tradeogre"),
            entry("upbit", "org.knowm.xchange.upbit.UpbitExchange", "xchange-upbit"),
            entry("vaultoro", "org.knowm.xchange.vaultoro.VaultoroExchange", "xchange-vaultoro"),
            entry("yobit", "org.knowm.xchange.yobit.YoBitExchange", "xchange-yobit"),
            entry("zaif", "org.knowm.xchange.zaif.ZaifExchange", "xchange-zaif")
    );

    private static GenericExchange entry(String id, String exchangeClass, String module) {
        String simple = exchangeClass.substring(exchangeClass.lastIndexOf('.') + 1);
        return new GenericExchange(id, simple.endsWith("Exchange") ? simple.substring(0, simple.length() - 8) : simple,
                exchangeClass, module);
    }

    /** @return every exchange FolioSync knows an XChange module for, by id, on the class path or not */
    public static List<GenericExchange> catalogue() {
        return CATALOGUE;
    }

    /** @return the catalogued exchange of {@code id} (case-insensitive), on the class path or not */
    public static Optional<GenericExchange> byId(String id) {
        String lower = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        return CATALOGUE.stream().filter(e -> e.id.equals(lower)).findFirst();
    }

    /**
     * @param id            the configured id
     * @param exchangeClass an XChange {@code Exchange} class named in configuration
     * @return the exchange that class is, named {@code id}, its module unknown unless the catalogue has the class
     */
    public static GenericExchange ofClass(String id, String exchangeClass) {
        return CATALOGUE.stream().filter(e -> e.exchangeClass.equals(exchangeClass)).findFirst()
                .map(e -> new GenericExchange(id, e.name, e.exchangeClass, e.module))
                .orElseGet(() -> new GenericExchange(id, entry(id, exchangeClass, "").name(), exchangeClass, ""));
    }

    /** @return the catalogued exchanges whose module is on this class path: what this build can read */
    public static List<GenericExchange> available() {
        return CATALOGUE.stream().filter(GenericExchange::onClassPath).toList();
    }

    /**
     * @return catalogued ids close to {@code id} (one contains the other, or they differ by at most two letters),
     *         nearest first: what a mistyped or unknown id may have meant
     */
    public static List<GenericExchange> near(String id) {
        String lower = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        return CATALOGUE.stream()
                .filter(e -> !lower.isEmpty() && (e.id.contains(lower) || lower.contains(e.id)
                        || distance(e.id, lower) <= 2))
                .sorted(Comparator.comparingInt(e -> distance(e.id, lower)))
                .limit(5).toList();
    }

    /**
     * What a generic account of this exchange reads, taken from its XChange module without calling the exchange:
     * whether its services implement each call (a method left to XChange's interface default throws
     * {@code NotYetImplementedForExchangeException}) and the rate limiter it declares.
     *
     * @param balances   {@code AccountService.getAccountInfo}
     * @param trades     {@code TradeService.getTradeHistory}
     * @param funding    {@code AccountService.getFundingHistory}
     * @param ownReader  FolioSync reads this exchange's history with its own reader (Bitstamp)
     * @param declared   the module's tightest declared rate limit, empty when it declares none
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Reads(boolean balances, boolean trades, boolean funding, boolean ownReader,
                        Optional<io.foliosync.connectors.api.http.RateLimit> declared) {
    }

    /** @return what this exchange's module reads; empty when its module is not on the class path */
    public Optional<Reads> reads() {
        if (!onClassPath()) {
            return Optional.empty();
        }
        Optional<Exchange> built;
        try {
            built = io.foliosync.connectors.crypto.internal.XChangeSetup.bare(
                    ExchangeClassUtils.exchangeClassForName(exchangeClass));
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
        if (built.isEmpty()) {
            return Optional.empty();
        }
        Exchange bare = built.get();
        boolean own = exchangeClass.equals("org.knowm.xchange.bitstamp.BitstampExchange");
        return Optional.of(new Reads(
                implemented(bare.getAccountService(), "getAccountInfo"),
                own || implemented(bare.getTradeService(), "getTradeHistory",
                        org.knowm.xchange.service.trade.params.TradeHistoryParams.class),
                own || implemented(bare.getAccountService(), "getFundingHistory",
                        org.knowm.xchange.service.trade.params.TradeHistoryParams.class),
                own, io.foliosync.connectors.crypto.internal.XChangeSetup.declaredLimit(id, this)));
    }

    private static boolean implemented(Object service, String method, Class<?>... params) {
        if (service == null) {
            return false;
        }
        try {
            // XChange's service interfaces implement every call as a default that throws NotYetImplemented:
            // a module implements a call exactly when one of its classes declares it.
            return !service.getClass().getMethod(method, params).getDeclaringClass().isInterface();
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /**
     * @return whether the exchange's keys come with a passphrase its module signs with (KuCoin's refuses every
     *         private call without one), so that configuration asks for it before any call
     */
    public boolean needsPassphrase() {
        return exchangeClass.equals("org.knowm.xchange.kucoin.KucoinExchange");
    }

    /** @return whether this exchange's class can be loaded here (its module is a dependency) */
    public boolean onClassPath() {
        try {
            Class<?> c = Class.forName(exchangeClass, false, GenericExchange.class.getClassLoader());
            return Exchange.class.isAssignableFrom(c);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** @return the Maven coordinates that provide this exchange, or the class name when the module is unknown */
    public String coordinates() {
        return module.isEmpty() ? exchangeClass : "org.knowm.xchange:" + module + ":" + XCHANGE_VERSION;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
