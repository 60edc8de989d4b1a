package io.foliosync.connectors.marketdata;

import static io.foliosync.connectors.marketdata.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.FxRate;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FredProviderTest {
    private static final String UNKNOWN_SERIES =
            "{\"error_code\":400,\"error_message\":\"Bad Request.  The series does not exist.\"}";
    private final MockWebServer server = new MockWebServer();
    private final Map<String, Integer> asked = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        server.start();
        server.setDispatcher(routes(r -> {
            if (!r.getUrl().encodedPath().equals("/fred/series/observations")) {
                return null;
            }
            String id = String.valueOf(r.getUrl().queryParameter("series_id"));
            asked.merge(id, 1, Integer::sum);
            return switch (id) {
                case "OILPRICE" -> json(resource("fred/series-observations-with-missing-dot.json"));
                case "UNRATE" -> json(resource("fred/series-observations-monthly-1990.json"));
                case "EMPTY" -> json(resource("fred/series-observations-empty.json"));
                case "DEXUSEU" -> json(resource("fred/dexuseu-2019-12-30-to-2020-01-03.json"));
                case "DEXJPUS" -> json(resource("fred/dexjpus-2019-12-30-to-2020-01-03.json"));
                case "BADDATE" -> status(400, "{\"error_code\":400,\"error_message\":\"Bad Request.  Variable "
                        + "observation_start is not a valid date.\"}");
                case "DOWN" -> status(503, "maintenance");
                case "WEIRD" -> status(500, UNKNOWN_SERIES);
                case "GARBLED" -> json("{\"observations\": [");
                default -> status(400, "{\"error_code\":400,\"error_message\":\"Bad Request.  The series does not exist.\"}");
            };
        }));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MarketDataConnector fred() {
        Map<String, Object> s = section("fred");
        s.put("fred", provider(server));
        return connector(s, fixed("2020-01-06T12:00:00Z"));
    }

    @Test
    void dotValueIsAMissingObservationNeverZero() throws Exception {
        List<Observation> obs = fred().series("OILPRICE", LocalDate.of(1946, 1, 1), LocalDate.of(2013, 7, 1))
                .value().orElseThrow();

        assertThat(obs).hasSize(271);
        assertThat(obs.get(0).value()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("1.170"));
        Observation last = obs.get(obs.size() - 1);
        assertThat(last.date()).isEqualTo(LocalDate.of(2013, 7, 1));
        assertThat(last.value()).isEmpty();
        RecordedRequest r = server.takeRequest();
        assertThat(r.getUrl().queryParameter("file_type")).isEqualTo("json");
        assertThat(r.getUrl().queryParameter("observation_start")).isEqualTo("1946-01-01");
        assertThat(r.getUrl().queryParameter("observation_end")).isEqualTo("2013-07-01");
    }

    @Test
    void monthlySeriesParsesEveryObservation() {
        List<Observation> obs = fred().series("UNRATE", LocalDate.of(1990, 1, 1), LocalDate.of(2020, 4, 1))
                .value().orElseThrow();

        assertThat(obs).hasSize(364);
        assertThat(obs.get(0).value()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("5.4"));
    }

    @Test
    void emptyObservationsAndUnknownSeriesAreNoData() {
        MarketDataConnector md = fred();
        assertThat(md.series("EMPTY", LocalDate.of(2050, 1, 1), LocalDate.of(2050, 2, 1)).found()).isFalse();
        Lookup<List<Observation>> unknown = md.series("NOSUCH", LocalDate.of(2020, 1, 1), LocalDate.of(2020, 2, 1));
        assertThat(unknown.found()).isFalse();
        assertThat(unknown.attempts()).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(Attempt.Outcome.NO_DATA));
    }

    @Test
    void fxRateSkipsTheHolidayToTheLastObservationAndKeepsItsDate() {
        FxRate r = fred().fxRate("EUR", "USD", LocalDate.of(2020, 1, 1)).value().orElseThrow();

        assertThat(r.rate()).isEqualByComparingTo("1.1227");
        assertThat(r.date()).isEqualTo(LocalDate.of(2019, 12, 31));
        assertThat(r.source()).isEqualTo("fred:DEXUSEU");
    }

    @Test
    void fxRateInvertsSeriesQuotedTheOtherWay() {
        MarketDataConnector md = fred();
        assertThat(md.fxRate("USD", "JPY", LocalDate.of(2020, 1, 2)).value().orElseThrow().rate())
                .isEqualByComparingTo("108.43");
        assertThat(md.fxRate("JPY", "USD", LocalDate.of(2020, 1, 2)).value().orElseThrow().rate())
                .isEqualByComparingTo(java.math.BigDecimal.ONE.divide(new java.math.BigDecimal("108.43"),
                        FxRate.PRECISION));
    }

    @Test
    void crossRateIsTriangulatedThroughUsdWithBothLegsKept() {
        Lookup<FxRate> eurJpy = fred().fxRate("EUR", "JPY", LocalDate.of(2020, 1, 2));

        FxRate r = eurJpy.value().orElseThrow();
        assertThat(r.rate()).isEqualByComparingTo("121.625931"); // 1.1217 USD/EUR × 108.43 JPY/USD
        assertThat(r.date()).isEqualTo(LocalDate.of(2020, 1, 2));
        assertThat(r.triangulated()).isTrue();
        assertThat(r.legs()).extracting(FxRate::from, FxRate::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("EUR", "USD"),
                        org.assertj.core.groups.Tuple.tuple("USD", "JPY"));
        assertThat(r.source()).isEqualTo("fred:DEXUSEU x fred:DEXJPUS");
        assertThat(eurJpy.provider()).contains("fred");
        assertThat(r.convert(new java.math.BigDecimal("100"))).isEqualByComparingTo("12162.5931");
    }

    @Test
    void apiKeyStaysOutOfLogs() {
        try (var logs = io.foliosync.connectors.api.testing.LogCapture.of("io.foliosync")) {
            fred().series("NOSUCH", LocalDate.of(2020, 1, 1), LocalDate.of(2020, 2, 1));
            assertThat(logs.text()).isNotEmpty().doesNotContain(KEY);
        }
    }

    private Attempt onlyAttempt(MarketDataConnector md, String series) {
        Lookup<List<Observation>> l = md.series(series, LocalDate.of(2020, 1, 1), LocalDate.of(2020, 2, 1));
        assertThat(l.found()).isFalse();
        assertThat(l.attempts()).hasSize(1);
        return l.attempts().get(0);
    }

    @Test
    void fredBadRequestOtherThanAnUnknownSeriesIsUnavailableAndAskedOnce() {
        Map<String, Object> s = section("fred");
        Map<String, Object> p = provider(server);
        p.put("retry_attempts", 3);
        s.put("fred", p);

        Attempt a = onlyAttempt(connector(s, fixed("2020-01-06T12:00:00Z")), "BADDATE");

        assertThat(a.outcome()).isEqualTo(Attempt.Outcome.UNAVAILABLE);
        assertThat(a.detail()).contains("HTTP 400").contains("not a valid date");
        assertThat(asked).containsEntry("BADDATE", 1);
    }

    @Test
    void fredUnknownSeriesWordingInA500IsNotNoData() {
        // The status and the error field decide together: a 5xx is an outage whatever its body says.
        assertThat(onlyAttempt(fred(), "WEIRD").outcome()).isEqualTo(Attempt.Outcome.UNAVAILABLE);
    }

    @Test
    void fredUnknownSeriesIsNoDataAndAskedOnce() {
        assertThat(onlyAttempt(fred(), "NOSUCH").outcome()).isEqualTo(Attempt.Outcome.NO_DATA);
        assertThat(asked).containsEntry("NOSUCH", 1);
    }

    @Test
    void fred503IsRetriedByTheHttpLayerThenUnavailable() {
        Map<String, Object> s = section("fred");
        Map<String, Object> p = provider(server);
        p.put("retry_attempts", 2);
        s.put("fred", p);

        Attempt a = onlyAttempt(connector(s, fixed("2020-01-06T12:00:00Z")), "DOWN");

        assertThat(a.outcome()).isEqualTo(Attempt.Outcome.UNAVAILABLE);
        assertThat(asked).containsEntry("DOWN", 2);
    }

    @Test
    void fredMalformedJsonIsMalformedAndAskedOnce() {
        Map<String, Object> s = section("fred");
        Map<String, Object> p = provider(server);
        p.put("retry_attempts", 3);
        s.put("fred", p);

        Attempt a = onlyAttempt(connector(s, fixed("2020-01-06T12:00:00Z")), "GARBLED");

        assertThat(a.outcome()).isEqualTo(Attempt.Outcome.MALFORMED);
        assertThat(asked).containsEntry("GARBLED", 1);
    }

    @Test
    void fredUnreachableIsUnavailable() throws Exception {
        Map<String, Object> s = section("fred");
        Map<String, Object> p = provider(server);
        s.put("fred", p);
        MarketDataConnector md = connector(s, fixed("2020-01-06T12:00:00Z"));
        server.close();

        Attempt a = onlyAttempt(md, "UNRATE");

        assertThat(a.outcome()).isEqualTo(Attempt.Outcome.UNAVAILABLE);
        assertThat(a.detail()).contains("fred").contains("GET /fred/series/observations").contains("network error");
    }
}
