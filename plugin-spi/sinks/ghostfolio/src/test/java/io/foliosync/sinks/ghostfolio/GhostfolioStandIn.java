package io.foliosync.sinks.ghostfolio;

import io.foliosync.connectors.api.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A loopback stand-in of Ghostfolio's API, written from its public source (apps/api/src/app: import, auth,
 * account, activities; libs/common dtos): the endpoints the sink calls, with the rules its global ValidationPipe
 * ({@code whitelist}, {@code forbidNonWhitelisted}, {@code transform}) and the DTOs' class-validator decorators
 * apply, its import's all-or-nothing refusal naming {@code activities.N}, its MANUAL symbol rule, its duplicate
 * rule (which ignores the account), and a throttled login. Written for tests; no Ghostfolio code.
 */
public final class GhostfolioStandIn extends Dispatcher {
    /** The properties of CreateOrderDto; anything else is refused. */
    static final Set<String> ORDER_PROPERTIES = Set.of("accountId", "assetClass", "assetSubClass", "comment",
            "currency", "customCurrency", "dataSource", "date", "fee", "quantity", "symbol", "tags", "type",
            "unitPrice", "updateAccountBalance");
    static final Set<String> UPDATE_ORDER_PROPERTIES = Set.of("accountId", "assetClass", "assetSubClass", "comment",
            "currency", "customCurrency", "dataSource", "date", "fee", "id", "quantity", "symbol", "tags", "type",
            "unitPrice");
    static final Set<String> ACCOUNT_PROPERTIES = Set.of("balance", "comment", "currency", "id", "name", "platformId",
            "tags");
    static final Set<String> TYPES = Set.of("BUY", "DIVIDEND", "FEE", "INTEREST", "LIABILITY", "SELL");
    static final Set<String> DATA_SOURCES = Set.of("ALPHA_VANTAGE", "COINGECKO", "EOD_HISTORICAL_DATA",
            "FINANCIAL_MODELING_PREP", "GHOSTFOLIO", "GOOGLE_SHEETS", "MANUAL", "RAPID_API", "YAHOO");
    private static final Pattern UUID_PATTERN = Pattern.compile(
            "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", Pattern.CASE_INSENSITIVE);
    private static final int LOGINS_PER_MINUTE = 10;

    private final String accessToken;
    private final Clock clock;
    private final Set<String> jwts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Deque<Instant> logins = new ArrayDeque<>();
    private final AtomicInteger loginCount = new AtomicInteger();
    private final AtomicInteger importRequests = new AtomicInteger();
    private final AtomicInteger updates = new AtomicInteger();
    /** by id */
    public final Map<String, Map<String, Object>> accounts = new LinkedHashMap<>();
    /** by id, in creation order */
    public final Map<String, Map<String, Object>> activities = new LinkedHashMap<>();
    private volatile boolean down;

    public GhostfolioStandIn(String accessToken, Clock clock) {
        this.accessToken = accessToken;
        this.clock = clock;
    }

    /** While down, every call answers 503, as a server being restarted. */
    public void down(boolean v) {
        down = v;
    }

    public int logins() {
        return loginCount.get();
    }

    public int importRequests() {
        return importRequests.get();
    }

    public int updates() {
        return updates.get();
    }

    /** @return a started server on loopback with this stand-in */
    public MockWebServer start() throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(this);
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        if (down) {
            return json(503, Map.of("statusCode", 503, "message", "Service Unavailable"));
        }
        String path = request.getUrl().encodedPath();
        String method = request.getMethod();
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        try {
            if (method.equals("POST") && path.equals("/api/v1/auth/anonymous")) {
                return login(body);
            }
            String auth = request.getHeaders().get("Authorization");
            if (auth == null || !auth.startsWith("Bearer ") || !jwts.contains(auth.substring(7))) {
                return json(401, Map.of("statusCode", 401, "message", "Unauthorized"));
            }
            if (method.equals("GET") && path.equals("/api/v1/account")) {
                return json(200, Map.of("accounts", List.copyOf(accounts.values())));
            }
            if (method.equals("POST") && path.equals("/api/v1/account")) {
                return createAccount(body);
            }
            if (method.equals("PUT") && path.startsWith("/api/v1/account/")) {
                return updateAccount(path.substring("/api/v1/account/".length()), body);
            }
            if (method.equals("POST") && path.equals("/api/v1/import")) {
                return importActivities(body);
            }
            if (method.equals("GET") && path.equals("/api/v1/activities")) {
                return json(200, Map.of("activities", List.copyOf(activities.values()), "count", activities.size()));
            }
            if (method.equals("PUT") && path.startsWith("/api/v1/activities/")) {
                return updateActivity(path.substring("/api/v1/activities/".length()), body);
            }
            return json(404, Map.of("statusCode", 404, "message", "Cannot " + method + " " + path));
        } catch (IOException e) {
            return badRequest(List.of("Unexpected token in JSON"));
        }
    }

    private MockResponse login(String body) throws IOException {
        Instant now = clock.instant();
        while (!logins.isEmpty() && logins.peekFirst().isBefore(now.minus(Duration.ofMinutes(1)))) {
            logins.removeFirst();
        }
        if (logins.size() >= LOGINS_PER_MINUTE) {
            return json(429, Map.of("statusCode", 429, "message", "ThrottlerException: Too Many Requests"));
        }
        logins.addLast(now);
        loginCount.incrementAndGet();
        Map<String, Object> o = object(body);
        if (!accessToken.equals(o.get("accessToken"))) {
            return json(403, Map.of("statusCode", 403, "message", "Forbidden"));
        }
        String jwt = "jwt-" + UUID.randomUUID();
        jwts.add(jwt);
        return json(201, Map.of("authToken", jwt));
    }

    private MockResponse createAccount(String body) throws IOException {
        Map<String, Object> dto = object(body);
        List<String> errors = new ArrayList<>();
        whitelist("", dto, ACCOUNT_PROPERTIES, errors);
        currency("", dto.get("currency"), errors);
        if (!(dto.get("name") instanceof String)) {
            errors.add("name must be a string");
        }
        if (!errors.isEmpty()) {
            return badRequest(errors);
        }
        String id = UUID.randomUUID().toString();
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("id", id);
        account.put("name", dto.get("name"));
        account.put("currency", dto.get("currency"));
        account.put("balance", dto.getOrDefault("balance", BigDecimal.ZERO));
        accounts.put(id, account);
        return json(201, account);
    }

    private MockResponse updateAccount(String id, String body) throws IOException {
        Map<String, Object> dto = object(body);
        List<String> errors = new ArrayList<>();
        whitelist("", dto, ACCOUNT_PROPERTIES, errors);
        currency("", dto.get("currency"), errors);
        if (dto.containsKey("balance") && !(dto.get("balance") instanceof BigDecimal)) {
            errors.add("balance must be a number conforming to the specified constraints");
        }
        if (!errors.isEmpty()) {
            return badRequest(errors);
        }
        Map<String, Object> account = accounts.get(id);
        if (account == null || !id.equals(dto.get("id"))) {
            return json(403, Map.of("statusCode", 403, "message", "Forbidden"));
        }
        account.put("balance", dto.get("balance"));
        account.put("name", dto.get("name"));
        return json(200, account);
    }

    @SuppressWarnings("unchecked")
    private MockResponse importActivities(String body) throws IOException {
        importRequests.incrementAndGet();
        Map<String, Object> dto = object(body);
        List<String> errors = new ArrayList<>();
        whitelist("", dto, Set.of("accounts", "activities", "assetProfiles", "platforms", "tags"), errors);
        if (!(dto.get("activities") instanceof List<?>)) {
            return badRequest(List.of("activities must be an array"));
        }
        List<Object> items = (List<Object>) dto.get("activities");
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof Map<?, ?> m) {
                validateOrder("activities." + i + ".", (Map<String, Object>) m, ORDER_PROPERTIES, errors);
            } else {
                errors.add("activities." + i + ".nested property activities must be either object or array");
            }
        }
        if (!errors.isEmpty()) {
            return badRequest(errors);
        }
        // the import service's own checks, after the pipe's: the first failure ends the request
        for (int i = 0; i < items.size(); i++) {
            Map<String, Object> a = (Map<String, Object>) items.get(i);
            if ("MANUAL".equals(a.get("dataSource")) && !validCustomSymbol(String.valueOf(a.get("symbol")))) {
                return badRequest(List.of("activities." + i + ".symbol (\"" + a.get("symbol") + "\") must be a UUID "
                        + "or start with the prefix \"GF_\" for the data source (\"MANUAL\")"));
            }
            Object accountId = a.get("accountId");
            if (accountId != null && !accounts.containsKey(String.valueOf(accountId))) {
                return badRequest(List.of("Account " + accountId + " is not valid"));
            }
        }
        List<Map<String, Object>> answer = new ArrayList<>();
        for (Object o : items) {
            Map<String, Object> a = new LinkedHashMap<>((Map<String, Object>) o);
            if (isDuplicate(a)) {
                a.put("error", Map.of("code", "IS_DUPLICATE"));
                answer.add(a);
                continue;
            }
            String id = UUID.randomUUID().toString();
            a.put("id", id);
            a.remove("updateAccountBalance");
            activities.put(id, a);
            answer.add(a);
        }
        answer.sort(Comparator.comparing(a -> Instant.parse(String.valueOf(a.get("date")))));
        return json(201, Map.of("activities", answer));
    }

    /** Ghostfolio's rule: comment, currency, data source, the second, fee, quantity, symbol, type, unit price. */
    private boolean isDuplicate(Map<String, Object> a) {
        Instant at = Instant.parse(String.valueOf(a.get("date"))).truncatedTo(ChronoUnit.SECONDS);
        return activities.values().stream().anyMatch(x -> String.valueOf(x.get("comment")).equals(
                String.valueOf(a.get("comment")))
                && x.get("currency").equals(a.get("currency"))
                && x.get("dataSource").equals(a.get("dataSource"))
                && Instant.parse(String.valueOf(x.get("date"))).truncatedTo(ChronoUnit.SECONDS).equals(at)
                && ((BigDecimal) x.get("fee")).compareTo((BigDecimal) a.get("fee")) == 0
                && ((BigDecimal) x.get("quantity")).compareTo((BigDecimal) a.get("quantity")) == 0
                && x.get("symbol").equals(a.get("symbol"))
                && x.get("type").equals(a.get("type"))
                && ((BigDecimal) x.get("unitPrice")).compareTo((BigDecimal) a.get("unitPrice")) == 0);
    }

    private MockResponse updateActivity(String id, String body) throws IOException {
        Map<String, Object> dto = object(body);
        List<String> errors = new ArrayList<>();
        validateOrder("", dto, UPDATE_ORDER_PROPERTIES, errors);
        if (!(dto.get("id") instanceof String)) {
            errors.add("id must be a string");
        }
        if (!(dto.get("dataSource") instanceof String)) {
            errors.add("dataSource must be a string");
        }
        if (!errors.isEmpty()) {
            return badRequest(errors);
        }
        Map<String, Object> existing = activities.get(id);
        if (existing == null) {
            return json(404, Map.of("statusCode", 404, "message", "Not Found"));
        }
        updates.incrementAndGet();
        Map<String, Object> updated = new LinkedHashMap<>(dto);
        updated.put("id", id);
        activities.put(id, updated);
        return json(200, updated);
    }

    private void validateOrder(String at, Map<String, Object> a, Set<String> allowed, List<String> errors) {
        whitelist(at, a, allowed, errors);
        currency(at, a.get("currency"), errors);
        if (a.containsKey("dataSource") && !DATA_SOURCES.contains(String.valueOf(a.get("dataSource")))) {
            errors.add(at + "dataSource must be one of the following values: " + String.join(", ",
                    DATA_SOURCES.stream().sorted().toList()));
        }
        Object date = a.get("date");
        try {
            if (!(date instanceof String s) || Instant.parse(s).isBefore(Instant.EPOCH)) {
                errors.add(at + "date must be a valid ISO 8601 date string");
            }
        } catch (DateTimeParseException e) {
            errors.add(at + "date must be a valid ISO 8601 date string");
        }
        for (String n : List.of("fee", "quantity", "unitPrice")) {
            Object v = a.get(n);
            if (!(v instanceof BigDecimal d)) {
                errors.add(at + n + " must be a number conforming to the specified constraints");
            } else if (d.signum() < 0) {
                errors.add(at + n + " must not be less than 0");
            }
        }
        if (!(a.get("symbol") instanceof String)) {
            errors.add(at + "symbol must be a string");
        }
        if (!TYPES.contains(String.valueOf(a.get("type")))) {
            errors.add(at + "type must be one of the following values: BUY, DIVIDEND, FEE, INTEREST, LIABILITY, SELL");
        }
        if (a.containsKey("comment") && a.get("comment") != null && !(a.get("comment") instanceof String)) {
            errors.add(at + "comment must be a string");
        }
    }

    private static void whitelist(String at, Map<String, Object> dto, Set<String> allowed, List<String> errors) {
        dto.keySet().stream().filter(k -> !allowed.contains(k))
                .forEach(k -> errors.add(at + "property " + k + " should not exist"));
    }

    /** IsCurrencyCode: an upper-case ISO 4217 code. */
    private static void currency(String at, Object v, List<String> errors) {
        boolean ok = false;
        if (v instanceof String s && s.equals(s.toUpperCase(java.util.Locale.ROOT))) {
            try {
                Currency.getInstance(s);
                ok = true;
            } catch (IllegalArgumentException e) {
                ok = false;
            }
        }
        if (!ok) {
            errors.add(at + "currency must be a valid ISO4217 currency code");
        }
    }

    private static boolean validCustomSymbol(String symbol) {
        return symbol.startsWith("GF_") || UUID_PATTERN.matcher(symbol).matches();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String body) throws IOException {
        Object tree = Json.readTree(body);
        if (tree instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IOException("not an object");
    }

    private static MockResponse badRequest(List<String> messages) {
        return json(400, Map.of("error", "Bad Request", "message", messages, "statusCode", 400));
    }

    private static MockResponse json(int code, Object body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
                .body(Json.adapter(Object.class).toJson(body)).build();
    }
}
