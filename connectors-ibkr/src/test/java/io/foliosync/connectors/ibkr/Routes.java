package io.foliosync.connectors.ibkr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/** Answers by {@code "METHOD /path"}: queued answers first, in order, then the fixed one; else 404. */
final class Routes extends Dispatcher {
    private final Map<String, Deque<MockResponse>> queued = new ConcurrentHashMap<>();
    private final Map<String, MockResponse> fixed = new ConcurrentHashMap<>();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    Routes on(String route, MockResponse response) {
        fixed.put(route, response);
        return this;
    }

    Routes then(String route, MockResponse... responses) {
        Deque<MockResponse> q = queued.computeIfAbsent(route, k -> new ArrayDeque<>());
        synchronized (q) {
            Collections.addAll(q, responses);
        }
        return this;
    }

    List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    long count(String route) {
        return calls().stream().filter(route::equals).count();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String route = request.getMethod() + " " + request.getUrl().encodedPath();
        calls.add(route);
        Deque<MockResponse> q = queued.get(route);
        if (q != null) {
            synchronized (q) {
                if (!q.isEmpty()) {
                    return q.poll();
                }
            }
        }
        MockResponse r = fixed.get(route);
        return r != null ? r : new MockResponse.Builder().code(404).body("{\"error\":\"no route " + route + "\"}").build();
    }

    static MockResponse json(String resource) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(FlexTestSupport.text(resource)).build();
    }

    static MockResponse xml(String resource) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/xml")
                .body(FlexTestSupport.text(resource)).build();
    }

    static MockResponse status(int code, String body) {
        return new MockResponse.Builder().code(code).body(body).build();
    }
}
