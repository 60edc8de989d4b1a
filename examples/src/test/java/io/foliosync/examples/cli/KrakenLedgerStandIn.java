package io.foliosync.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * One Kraken account on loopback whose ledger carries Kraken's running balance on every entry, the two legs of each
 * trade included, and whose Balance is what that ledger ends with: USD deposited on 2023-11-10, 0.2 BTC bought on
 * 2023-11-12, 0.1 BTC sold on 2023-11-17, USD deposited on 2023-11-20, 0.05 BTC withdrawn on 2023-11-22, and an ETH
 * entry of a type FolioSync does not map ({@code settled}, kept as OTHER). TradesHistory can leave the sale out, as
 * a history read with a gap would.
 */
final class KrakenLedgerStandIn implements AutoCloseable {
    static final long DAY0 = 1_699_574_400L; // 2023-11-10T00:00:00Z

    private final MockWebServer server = new MockWebServer();
    private volatile boolean leaveOutSale;

    KrakenLedgerStandIn() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request.getUrl().encodedPath());
            }
        });
        try {
            server.start(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        String s = server.url("/").toString();
        return s.substring(0, s.length() - 1);
    }

    void leaveOutSale(boolean v) {
        leaveOutSale = v;
    }

    private MockResponse answer(String path) {
        return switch (path) {
            case "/0/public/AssetPairs" -> json(ReplayServer.resource("kraken/assetpairs-own.json"));
            case "/0/public/Ticker" -> json(ReplayServer.resource("kraken/ticker-own.json"));
            case "/0/public/Time" -> json("{\"error\":[],\"result\":{\"unixtime\":1703980800}}");
            case "/0/private/Balance" -> json("{\"error\":[],\"result\":{\"XXBT\":\"0.0500000000\","
                    + "\"ZUSD\":\"7200.0000\",\"XETH\":\"0.5000000000\"}}");
            case "/0/private/TradesHistory" -> json(trades());
            case "/0/private/Ledgers" -> json(ledger());
            case "/0/private/DepositStatus", "/0/private/WithdrawStatus" -> json("{\"error\":[],\"result\":[]}");
            default -> new MockResponse.Builder().code(404).body("{\"error\":[\"EGeneral:Unknown method\"]}").build();
        };
    }

    private String trades() {
        List<String> rows = new ArrayList<>();
        if (!leaveOutSale) {
            rows.add(trade("TSELL-AAAAA-BBBBBB", "sell", 7, "37000.0", "3700.00", "0.10000000"));
        }
        rows.add(trade("TBUY00-AAAAA-BBBBBB", "buy", 2, "35000.0", "7000.00", "0.20000000"));
        return "{\"error\":[],\"result\":{\"trades\":{" + String.join(",", rows) + "},\"count\":" + rows.size()
                + "}}";
    }

    private static String trade(String id, String type, int day, String price, String cost, String vol) {
        return String.format(Locale.ROOT, "\"%s\":{\"ordertxid\":\"O%s\",\"pair\":\"XXBTZUSD\",\"time\":%d.5,"
                + "\"type\":\"%s\",\"ordertype\":\"market\",\"price\":\"%s\",\"cost\":\"%s\",\"fee\":\"0.00\","
                + "\"vol\":\"%s\",\"margin\":\"0.00000\",\"misc\":\"\"}", id, id, DAY0 + day * 86_400L + 3600, type,
                price, cost, vol);
    }

    /** Newest first, as Kraken lists it; every entry with the balance after it. */
    private static String ledger() {
        List<String> rows = List.of(
                entry("LWDRAW-AAAAA-BBBBBB", "QWDRAW", 12, "withdrawal", "XXBT", "-0.0500000000", "0.0500000000"),
                entry("LDEP02-AAAAA-BBBBBB", "QDEP02", 10, "deposit", "ZUSD", "500.0000", "7200.0000"),
                entry("LSELLU-AAAAA-BBBBBB", "TSELL-AAAAA-BBBBBB", 7, "trade", "ZUSD", "3700.0000", "6700.0000"),
                entry("LSELLB-AAAAA-BBBBBB", "TSELL-AAAAA-BBBBBB", 7, "trade", "XXBT", "-0.1000000000", "0.1000000000"),
                entry("LBUYU0-AAAAA-BBBBBB", "TBUY00-AAAAA-BBBBBB", 2, "trade", "ZUSD", "-7000.0000", "3000.0000"),
                entry("LBUYB0-AAAAA-BBBBBB", "TBUY00-AAAAA-BBBBBB", 2, "trade", "XXBT", "0.2000000000", "0.2000000000"),
                entry("LSETTL-AAAAA-BBBBBB", "QSETTL", 1, "settled", "XETH", "0.5000000000", "0.5000000000"),
                entry("LDEP01-AAAAA-BBBBBB", "QDEP01", 0, "deposit", "ZUSD", "10000.0000", "10000.0000"));
        return "{\"error\":[],\"result\":{\"ledger\":{" + String.join(",", rows) + "},\"count\":" + rows.size()
                + "}}";
    }

    private static String entry(String id, String refid, int day, String type, String asset, String amount,
                                String balance) {
        return String.format(Locale.ROOT, "\"%s\":{\"refid\":\"%s\",\"time\":%d.25,\"type\":\"%s\",\"subtype\":\"\","
                + "\"aclass\":\"currency\",\"asset\":\"%s\",\"amount\":\"%s\",\"fee\":\"0.0000\",\"balance\":\"%s\"}",
                id, refid, DAY0 + day * 86_400L + 3600, type, asset, amount, balance);
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    @Override
    public void close() {
        server.close();
    }
}
