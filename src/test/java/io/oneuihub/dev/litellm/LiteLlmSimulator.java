package io.oneuihub.dev.litellm;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A LiteLLM proxy on a real socket, faithful to the management API described in API.md: stateful DB and
 * config-file deployments, budgets, customers, internal users, teams and global spend; master-key auth with
 * LiteLLM's 401 bodies; CURRENT or MID response shapes; and faults injectable at runtime.
 *
 * <pre>
 * try (LiteLlmSimulator sim = LiteLlmSimulator.start(0, masterKey).seedRealisticCatalog()) {
 *     sim.failAfter(2, Fault.serverErrorJson(), "/v2/model/info"); // the 3rd page fails
 * }
 * </pre>
 */
public final class LiteLlmSimulator implements AutoCloseable {

    private static final List<String> PUBLIC_PATHS = List.of("/health/liveliness", "/health/liveness", "/health/readiness", "/");

    private final String masterKey;
    private final SimState state = new SimState();
    private final List<FaultRule> faults = new CopyOnWriteArrayList<>();
    private final List<Hold> holds = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    private final AtomicInteger totalRequests = new AtomicInteger();
    private final java.util.Set<String> disabledRoutes = ConcurrentHashMap.newKeySet();
    private volatile DisposableServer server;
    private volatile int port;

    /** Fires for matching requests number afterRequests+1 .. afterRequests+times (times < 0: forever). */
    private record FaultRule(Fault fault, String pathPrefix, int afterRequests, int times, AtomicInteger seen) {

        boolean fires(String path) {
            if (pathPrefix != null && !path.startsWith(pathPrefix)) {
                return false;
            }
            int n = seen.incrementAndGet();
            return n > afterRequests && (times < 0 || n <= afterRequests + times);
        }
    }

    private LiteLlmSimulator(String masterKey) {
        this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
    }

    /** Starts listening on 127.0.0.1; port 0 picks a free port. */
    public static LiteLlmSimulator start(int port, String masterKey) {
        LiteLlmSimulator sim = new LiteLlmSimulator(masterKey);
        sim.bind(port);
        return sim;
    }

    private void bind(int requestedPort) {
        server = HttpServer.create().host("127.0.0.1").port(requestedPort).handle(this::serve).bindNow(Duration.ofSeconds(10));
        port = server.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public void stop() {
        DisposableServer s = server;
        if (s != null) {
            s.disposeNow(Duration.ofSeconds(5));
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops accepting connections (clients get "connection refused") until {@link #resumeListening()}. */
    public void pauseListening() {
        stop();
    }

    public void resumeListening() {
        for (int attempt = 1; server == null; attempt++) {
            try {
                bind(port);
            } catch (RuntimeException e) {
                // the port can stay busy for a moment after the previous server closed
                if (attempt == 50) {
                    throw e;
                }
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        }
    }

    // ------------------------------------------------------------------ knobs

    public LiteLlmSimulator mode(ShapeMode mode) {
        state.mode(mode);
        return this;
    }

    public ShapeMode mode() {
        return state.mode();
    }

    /** The clock used for timestamps and budget reset times. */
    public LiteLlmSimulator clock(Clock clock) {
        state.clock(clock);
        return this;
    }

    /** Off = LiteLLM without STORE_MODEL_IN_DB: model writes fail (or, on /model/update, answer 200 null). */
    public LiteLlmSimulator storeModelInDb(boolean on) {
        state.storeModelInDb(on);
        return this;
    }

    /** Makes a route answer like an older build that lacks it: 404 {"detail":"Not Found"}. E.g. "PATCH /model/{id}/update". */
    public LiteLlmSimulator disableRoute(String methodAndPath) {
        disabledRoutes.add(methodAndPath);
        return this;
    }

    public LiteLlmSimulator enableAllRoutes() {
        disabledRoutes.clear();
        return this;
    }

    // ------------------------------------------------------------------ faults

    /** Every request from now on meets this fault. */
    public LiteLlmSimulator inject(Fault fault) {
        return failAfter(0, fault, null);
    }

    /** Requests whose path starts with pathPrefix meet this fault. */
    public LiteLlmSimulator inject(Fault fault, String pathPrefix) {
        return failAfter(0, fault, pathPrefix);
    }

    /** The first {@code requests} matching requests are served normally, every later one meets the fault. */
    public LiteLlmSimulator failAfter(int requests, Fault fault, String pathPrefix) {
        faults.add(new FaultRule(fault, pathPrefix, requests, -1, new AtomicInteger()));
        return this;
    }

    /** Only the first {@code requests} matching requests meet the fault; later ones are served normally. */
    public LiteLlmSimulator failFirst(int requests, Fault fault, String pathPrefix) {
        faults.add(new FaultRule(fault, pathPrefix, 0, requests, new AtomicInteger()));
        return this;
    }

    /**
     * Holds request number {@code requests + 1} whose path starts with pathPrefix: it is answered from the state
     * at its arrival, but sent only when the test releases the returned hold. The client's response timeout
     * still runs meanwhile.
     */
    public Hold holdAfter(int requests, String pathPrefix) {
        Hold hold = new Hold(pathPrefix, requests);
        holds.add(hold);
        return hold;
    }

    /** Removes every fault and releases every hold. */
    public LiteLlmSimulator clearFaults() {
        faults.clear();
        holds.forEach(Hold::release);
        holds.clear();
        return this;
    }

    /**
     * Requests whose path starts with pathPrefix are refused with this answer (until {@link #reset()} or
     * {@link #clearRejections()}), and change nothing.
     */
    public LiteLlmSimulator reject(Rejection rejection, String pathPrefix) {
        state.reject(pathPrefix, rejection);
        return this;
    }

    public LiteLlmSimulator clearRejections() {
        state.clearRejections();
        return this;
    }

    // ------------------------------------------------------------------ counters

    /** The body of the last request to e.g. ("POST", "/budget/update"); null if none had one. */
    public String lastRequestBody(String method, String path) {
        return state.lastBody(method + " " + path);
    }

    public int requestCount() {
        return totalRequests.get();
    }

    /** Requests received for e.g. ("GET", "/v2/model/info"), faults included. */
    public int requestCount(String method, String path) {
        AtomicInteger count = requestCounts.get(method + " " + path);
        return count == null ? 0 : count.get();
    }

    public void resetCounters() {
        requestCounts.clear();
        totalRequests.set(0);
    }

    // ------------------------------------------------------------------ seeders

    /**
     * About 60 deployments over 14 providers with 2025 list prices, context windows and capabilities; some in
     * the config file (hash ids, read-only), most in the DB (UUIDs). Plus budgets, customers on them, internal
     * users and teams with spend, and a global spend figure.
     */
    public LiteLlmSimulator seedRealisticCatalog() {
        for (RealisticCatalog.Entry e : RealisticCatalog.ENTRIES) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("model", e.litellmModel());
            String provider = e.litellmModel().substring(0, e.litellmModel().indexOf('/'));
            switch (provider) {
                case "azure" -> {
                    params.put("api_base", "https://contoso-eastus.openai.azure.com/");
                    params.put("api_version", "2024-10-21");
                    params.put("api_key", "az-" + UUID.randomUUID());
                }
                case "bedrock" -> {
                    params.put("aws_region_name", "us-east-1");
                    params.put("aws_session_token", "FwoG" + UUID.randomUUID().toString().replace("-", "") + "Ab12");
                }
                case "vertex_ai" -> {
                    params.put("vertex_project", "acme-ml-prod");
                    params.put("vertex_location", "us-central1");
                }
                case "ollama", "ollama_chat" -> params.put("api_base", "http://10.0.4.17:11434");
                default -> params.put("api_key", "os.environ/" + provider.toUpperCase(java.util.Locale.ROOT) + "_API_KEY");
            }
            if (e.maxInput() != null && "chat".equals(e.mode())) {
                params.put("rpm", 500);
                params.put("tpm", 200_000);
            }
            Map<String, Object> info = new LinkedHashMap<>();
            if ("azure".equals(provider)) {
                info.put("base_model", "azure/" + e.modelName());
            }
            String id = e.config() ? null : UUID.nameUUIDFromBytes((e.modelName() + "|" + e.litellmModel()).getBytes(StandardCharsets.UTF_8)).toString();
            state.putDeployment(id, e.modelName(), params, info, !e.config());
        }
        Map<String, Object> free = state.newBudgetRow("free_tier", new BigDecimal("1.0"), null, "1d");
        free.put("rpm_limit", 10);
        state.putBudget(free);
        Map<String, Object> pro = state.newBudgetRow("pro_tier", new BigDecimal("100.0"), new BigDecimal("80.0"), "30d");
        pro.put("max_parallel_requests", 20);
        pro.put("tpm_limit", 200_000);
        pro.put("rpm_limit", 600);
        pro.put("model_max_budget", Map.of("gpt-4o", Map.of("max_budget", 40.0, "budget_duration", "30d")));
        state.putBudget(pro);
        state.putBudget(state.newBudgetRow("enterprise", new BigDecimal("5000.0"), new BigDecimal("4000.0"), "1mo"));
        state.putBudget(state.newBudgetRow("weekly-sandbox", new BigDecimal("25.0"), null, "7d"));
        putCustomer("acme-user-8812", "free_tier", new BigDecimal("0.73214"));
        putCustomer("acme-user-9001", "pro_tier", new BigDecimal("3.1187"));
        putCustomer("acme-user-9002", "pro_tier", new BigDecimal("97.5"));
        putCustomer("globex-ops", "enterprise", new BigDecimal("1234.5"));
        putCustomer("walk-in", null, BigDecimal.ZERO);
        Map<String, Object> jane = state.newUserRow("jane@acme.example", new BigDecimal("20.0"), new BigDecimal("7.5521"));
        jane.put("budget_duration", "30d");
        jane.put("budget_reset_at", "2025-12-01T00:00:00.000000Z");
        jane.put("model_spend", Map.of("gpt-4o", 7.5521));
        state.putUser(jane);
        Map<String, Object> omar = state.newUserRow("omar@acme.example", null, new BigDecimal("0.41873"));
        omar.put("tpm_limit", 50_000);
        omar.put("rpm_limit", 30);
        omar.put("user_alias", "Omar (data eng)");
        state.putUser(omar);
        state.putUser(state.newUserRow("svc-batch", new BigDecimal("300.0"), new BigDecimal("288.04")));
        Map<String, Object> research = state.newTeamRow("9c4e2a1f-6b8d-4f0e-a3c5-7d9b1e2f4a60", "research", new BigDecimal("500.0"),
                new BigDecimal("212.44817"), "1mo");
        research.put("soft_budget", new BigDecimal("400.0"));
        research.put("tpm_limit", 500_000);
        research.put("rpm_limit", 1000);
        research.put("model_spend", Map.of("gpt-4o", 170.1, "claude-sonnet-4", 42.34817));
        state.putTeam(research);
        state.putTeam(state.newTeamRow("5e8a1d2c-3b4f-4a6e-9c7d-0f1e2d3c4b5a", "platform", new BigDecimal("1000.0"), new BigDecimal("50.5"), "30d"));
        state.globalSpend(new BigDecimal("1834.2291"), new BigDecimal("5000.0"));
        return this;
    }

    /** Adds {@code deployments} computed on demand over {@code providers} providers (ids {@code 5e7e0000-...}). */
    public LiteLlmSimulator generateLargeCatalog(int deployments, int providers) {
        state.synthetic(new SyntheticCatalog(deployments, Math.max(1, providers)));
        return this;
    }

    /** Forgets every deployment, budget, customer, user and team (faults and mode stay). */
    public LiteLlmSimulator reset() {
        state.clear();
        return this;
    }

    // ------------------------------------------------------------------ upstream mutation (what an admin does in LiteLLM's UI)

    /** A DB deployment with a UUID (or the given model_info.id); answers its id. */
    public String addDbDeployment(String modelName, Map<String, Object> litellmParams, Map<String, Object> modelInfo) {
        Map<String, Object> info = new LinkedHashMap<>(modelInfo == null ? Map.of() : modelInfo);
        String id = info.remove("id") instanceof String s ? s : UUID.randomUUID().toString();
        return state.putDeployment(id, modelName, litellmParams, info, true).id();
    }

    /** A config-file deployment; its id is the SHA-256 of its params, as LiteLLM derives it. */
    public String addConfigDeployment(String modelName, Map<String, Object> litellmParams) {
        return state.putDeployment(null, modelName, litellmParams, Map.of(), false).id();
    }

    /**
     * Edits a config-file entry: LiteLLM then sees a different deployment (new hash id) and the old id is gone.
     * Answers the new id.
     */
    public String editConfigDeployment(String id, Map<String, Object> changedParams) {
        SimDeployment old = requireDeployment(id);
        Map<String, Object> params = new LinkedHashMap<>(old.litellmParams());
        params.putAll(changedParams);
        state.removeDeployment(id);
        return state.putDeployment(null, old.modelName(), params, old.modelInfo(), false).id();
    }

    public boolean removeDeployment(String id) {
        return state.removeDeployment(id);
    }

    /** Merges params into a deployment, keeping its id (a DB edit). */
    public void changeDeploymentParams(String id, Map<String, Object> params) {
        SimDeployment d = requireDeployment(id);
        Map<String, Object> merged = new LinkedHashMap<>(d.litellmParams());
        merged.putAll(params);
        state.putDeployment(id, d.modelName(), merged, d.modelInfo(), d.dbModel());
    }

    public void changeDeploymentInfo(String id, Map<String, Object> modelInfo) {
        SimDeployment d = requireDeployment(id);
        Map<String, Object> merged = new LinkedHashMap<>(d.modelInfo());
        merged.putAll(modelInfo);
        state.putDeployment(id, d.modelName(), d.litellmParams(), merged, d.dbModel());
    }

    public void renameDeployment(String id, String modelName) {
        SimDeployment d = requireDeployment(id);
        state.putDeployment(id, modelName, d.litellmParams(), d.modelInfo(), d.dbModel());
    }

    /** The params as stored (secrets in clear): lets a test prove a masked value never overwrote a real one. */
    public Map<String, Object> storedParams(String id) {
        return requireDeployment(id).litellmParams();
    }

    /** model_info as stored (what was sent, without the cost map LiteLLM adds when it shows it). */
    public Map<String, Object> storedInfo(String id) {
        return requireDeployment(id).modelInfo();
    }

    public String modelName(String id) {
        return requireDeployment(id).modelName();
    }

    /** False when LiteLLM has no such deployment. */
    public boolean hasDeployment(String id) {
        return state.deployment(id) != null;
    }

    public boolean isDbDeployment(String id) {
        return requireDeployment(id).dbModel();
    }

    public List<String> deploymentIds() {
        return state.deploymentIds();
    }

    public int deploymentCount() {
        return state.deploymentCount();
    }

    public void putBudget(String id, BigDecimal maxBudget, String duration) {
        state.putBudget(state.newBudgetRow(id, maxBudget, null, duration));
    }

    /** Sets one column of a budget row, e.g. ("max_budget", 150.0) or ("budget_duration", "7d"). */
    public void changeBudget(String id, String column, Object value) {
        Map<String, Object> row = state.budgetRow(id);
        if (row == null) {
            throw new IllegalArgumentException("no budget " + id);
        }
        row.put(column, value);
        state.putBudget(row);
    }

    public boolean removeBudget(String id) {
        return state.removeBudget(id);
    }

    public Map<String, Object> budget(String id) {
        return state.budgetRow(id);
    }

    public void putCustomer(String id, String budgetId, BigDecimal spend) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("user_id", id);
        row.put("alias", null);
        row.put("spend", spend);
        row.put("allowed_model_region", null);
        row.put("default_model", null);
        row.put("budget_id", budgetId);
        row.put("blocked", false);
        state.putCustomer(row);
    }

    public Map<String, Object> customer(String id) {
        return state.customerRow(id);
    }

    public void putUser(String id, BigDecimal maxBudget, BigDecimal spend) {
        state.putUser(state.newUserRow(id, maxBudget, spend));
    }

    public Map<String, Object> user(String id) {
        return state.userRow(id);
    }

    public void putTeam(String id, String alias, BigDecimal maxBudget, BigDecimal spend, String duration) {
        state.putTeam(state.newTeamRow(id, alias, maxBudget, spend, duration));
    }

    public Map<String, Object> team(String id) {
        return state.teamRow(id);
    }

    public void globalSpend(BigDecimal spend, BigDecimal maxBudget) {
        state.globalSpend(spend, maxBudget);
    }

    private SimDeployment requireDeployment(String id) {
        SimDeployment d = state.deployment(id);
        if (d == null) {
            throw new IllegalArgumentException("no deployment " + id);
        }
        return d;
    }

    // ------------------------------------------------------------------ HTTP

    private Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        String method = request.method().name();
        totalRequests.incrementAndGet();
        requestCounts.computeIfAbsent(method + " " + path, k -> new AtomicInteger()).incrementAndGet();
        return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap(body -> {
            Fault fault = faults.stream().filter(rule -> rule.fires(path)).map(FaultRule::fault).findFirst().orElse(null);
            // a failing LiteLLM does not apply the request; a late or garbled answer is one of a request it applied
            SimResponse answer = fault != null && fault.preventsHandling() ? null
                    : answer(method, path, uri.parameters(), request.requestHeaders(), body);
            Hold hold = holds.stream().filter(h -> h.fires(path)).findFirst().orElse(null);
            if (hold == null) {
                return send(request, response, answer, fault);
            }
            hold.reached();
            return Mono.fromFuture(hold.released(), true).then(Mono.defer(() -> send(request, response, answer, fault)));
        });
    }

    private SimResponse answer(String method, String path, Map<String, List<String>> query, HttpHeaders headers, byte[] body) {
        String routeKey = method + " " + (path.matches("^/model/[^/]+/update$") && !"/model/update".equals(path) ? "/model/{id}/update" : path);
        if (disabledRoutes.contains(routeKey)) {
            return SimResponse.notFoundRoute();
        }
        if (path.equals("/health/liveliness") || path.equals("/health/liveness")) {
            return SimResponse.ok("I'm alive!");
        }
        if (path.equals("/health/readiness")) {
            return SimResponse.ok(Map.of("status", "healthy", "db", "connected"));
        }
        SimResponse refused = PUBLIC_PATHS.contains(path) ? null : authenticate(headers);
        return refused != null ? refused : state.handle(method, path, query, body);
    }

    /** LiteLLM's key check and its three 401 bodies. */
    private SimResponse authenticate(HttpHeaders headers) {
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        String alternative = headers.get("x-litellm-api-key");
        if (authorization == null && alternative == null) {
            return SimResponse.proxyError(401, "Authentication Error, No api key passed in.", "auth_error", "None");
        }
        String presented;
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return SimResponse.proxyError(401, "Authentication Error, Malformed API Key passed in. Ensure Key has `Bearer ` prefix.",
                        "auth_error", "None");
            }
            presented = authorization.substring(7).trim();
        } else {
            presented = alternative.regionMatches(true, 0, "Bearer ", 0, 7) ? alternative.substring(7).trim() : alternative.trim();
        }
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), masterKey.getBytes(StandardCharsets.UTF_8))) {
            String tail = presented.length() > 4 ? presented.substring(presented.length() - 4) : "";
            return SimResponse.proxyError(401, "Authentication Error, Invalid proxy server token passed. Received API Key = sk-..." + tail
                    + ", Key Hash (Token) =" + sha256(presented) + ". Unable to find token in cache or `LiteLLM_VerificationTokenTable`",
                    "token_not_found_in_db", "key");
        }
        return null;
    }

    private Mono<Void> send(HttpServerRequest request, HttpServerResponse response, SimResponse answer, Fault fault) {
        if (fault == null) {
            return plainSend(response, answer);
        }
        return switch (fault.kind()) {
            case LATENCY -> Mono.delay(fault.duration()).then(plainSend(response, answer));
            case CONNECTION_CLOSED -> Mono.fromRunnable(() -> request.withConnection(Connection::dispose));
            case SERVER_ERROR_JSON -> plainSend(response, SimResponse.proxyError(500,
                    "Internal Server Error, simulated upstream failure", "internal_server_error", "None"));
            case PLAIN_TEXT_500 -> plainSend(response, SimResponse.plain(500, "Internal Server Error"));
            case REJECTED -> plainSend(response, SimResponse.rejection(fault.status(), fault.shape()));
            case MALFORMED_JSON -> plainSend(response, new SimResponse(200, SimResponse.JSON,
                    "{\"data\": [{\"model_name\": gpt-4o, ]".getBytes(StandardCharsets.UTF_8)));
            case TRUNCATED_JSON -> plainSend(response, new SimResponse(answer.status(), answer.contentType(),
                    Arrays.copyOf(answer.body(), Math.max(1, answer.body().length / 2))));
            case SLOW_DRIP -> {
                byte[] body = answer.body();
                int chunk = Math.max(1, body.length / 20 + 1);
                int chunks = (body.length + chunk - 1) / chunk;
                Flux<byte[]> drip = Flux.interval(fault.duration()).take(chunks)
                        .map(i -> Arrays.copyOfRange(body, (int) (i * chunk), (int) Math.min(body.length, (i + 1) * chunk)));
                yield response.status(answer.status()).header(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                        .sendByteArray(drip).then();
            }
        };
    }

    private static Mono<Void> plainSend(HttpServerResponse response, SimResponse answer) {
        return response.status(HttpResponseStatus.valueOf(answer.status()))
                .header(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(answer.body().length))
                .sendByteArray(Mono.just(answer.body()))
                .then();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
