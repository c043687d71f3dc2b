package io.oneuihub.litellm;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ChannelOption;
import io.oneuihub.litellm.LiteLlmException.Category;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The LiteLLM management API as the hub uses it. Every call is non-blocking and fails with a
 * {@link LiteLlmException}; reads are retried on UNAVAILABLE/TIMEOUT, writes never. Writes are read back
 * through {@code /model/info?litellm_model_id=} (or the entity's info route) because LiteLLM's write answers
 * hold encrypted params or partial rows.
 */
@Component
public class LiteLlmClient {

    private static final Logger log = LoggerFactory.getLogger(LiteLlmClient.class);
    private static final Pattern DURATION = Pattern.compile("^\\d+(s|m|h|d|w|mo)$");
    /** /user/list and /v2/team/list refuse larger pages. */
    private static final int MAX_USER_TEAM_PAGE = 100;

    private final WebClient http;
    private final LiteLlmProperties properties;
    private final ErrorDecoder errors;
    private final MeterRegistry meters;

    /** A client outside Spring (tests): its timings go to Micrometer's global registry. */
    public LiteLlmClient(WebClient.Builder builder, LiteLlmProperties properties) {
        this(builder, properties, Metrics.globalRegistry);
    }

    @Autowired
    public LiteLlmClient(WebClient.Builder builder, LiteLlmProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.meters = meters;
        this.errors = new ErrorDecoder(new Secrets(properties.masterKey()));
        HttpClient httpClient = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(properties.connectTimeout().toMillis()))
                .responseTimeout(properties.responseTimeout());
        this.http = builder.clone()
                .baseUrl(properties.baseUrl())
                .clientConnector(new ReactorClientHttpConnector(httpClient))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(Math.toIntExact(properties.maxResponseSize().toBytes())))
                .defaultHeaders(headers -> {
                    headers.setAccept(List.of(MediaType.APPLICATION_JSON));
                    if (properties.masterKey() != null) {
                        headers.setBearerAuth(properties.masterKey());
                    }
                })
                .build();
    }

    // ------------------------------------------------------------------ models

    /**
     * All deployments, page by page ({@code /v2/model/info}). Builds that do not paginate answer everything in
     * one page (totalPages null); builds without the route, or whose v2 route needs a database they lack, are
     * read through {@code /model/info}.
     */
    public Flux<DeploymentPage> deploymentPages() {
        return modelInfoV2Page(1)
                .onErrorResume(this::v2ModelInfoUnusable, e -> legacyModelInfo())
                .expand(page -> page.last() || page.deployments().isEmpty() ? Mono.empty() : modelInfoV2Page(page.pageNumber() + 1));
    }

    public Flux<LiteLlmDeployment> deployments() {
        return deploymentPages().concatMapIterable(DeploymentPage::deployments);
    }

    /** One deployment by its {@code model_info.id}; NOT_FOUND when LiteLLM does not know it. */
    public Mono<LiteLlmDeployment> deployment(String id) {
        String op = "GET /model/info?litellm_model_id=" + id;
        return read(get("/model/info", Map.of("litellm_model_id", id)), op)
                .map(body -> body.isNull() ? List.<LiteLlmDeployment>of() : decode(op, () -> WireDecoder.deployments(body)))
                // legacy builds ignore the filter and answer every deployment
                .flatMap(rows -> Mono.justOrEmpty(rows.stream().filter(d -> id.equals(d.id())).findFirst()))
                .switchIfEmpty(Mono.error(() -> notFound(op, "deployment " + id)));
    }

    public Flux<LiteLlmModelGroup> modelGroups() {
        String op = "GET /model_group/info";
        return read(get("/model_group/info", Map.of()), op)
                .flatMapIterable(body -> body.isNull() ? List.of() : decode(op, () -> WireDecoder.modelGroups(body)));
    }

    /** Creates a DB deployment and answers it as {@code /model/info} shows it. */
    public Mono<LiteLlmDeployment> createDeployment(NewDeployment deployment) {
        String op = "POST /model/new";
        return write(post("/model/new", RequestBodies.newDeployment(deployment)), op)
                .map(stored -> stored.isNull() ? deployment.id() : decode(op, () -> WireDecoder.storedModelId(stored)))
                .switchIfEmpty(Mono.error(() -> errors.protocol(op, 200, "no id in LiteLLM's answer")))
                .onErrorResume(e -> deployment.id() != null && e instanceof LiteLlmException le && le.status() >= 500
                                && le.category() != Category.REJECTED,
                        // current builds answer a duplicate id with a generic 500 "Failed to add model to db"
                        e -> deployment(deployment.id())
                                .flatMap(existing -> Mono.<String>error(((LiteLlmException) e).recategorize(Category.CONFLICT, op)))
                                .onErrorResume(lookup -> lookup instanceof LiteLlmException le && le.category() != Category.CONFLICT,
                                        lookup -> Mono.error(e)))
                .flatMap(id -> readBack(op, id));
    }

    /**
     * Merges a change into a DB deployment ({@code PATCH /model/{id}/update}; on builds without that route
     * {@code POST /model/update}) and answers the deployment as {@code /model/info} shows it afterwards.
     */
    public Mono<LiteLlmDeployment> updateDeployment(String id, DeploymentUpdate update) {
        String op = "PATCH /model/" + id + "/update";
        Map<String, Object> body = RequestBodies.deploymentUpdate(id, update);
        return write(request(HttpMethod.PATCH, "/model/{id}/update", Map.of("id", id), body), op)
                .onErrorResume(e -> e instanceof LiteLlmException le && le.missingRoute(), e -> legacyUpdate(id, body))
                .then(readBack(op, id));
    }

    private Mono<JsonNode> legacyUpdate(String id, Map<String, Object> patchBody) {
        String op = "POST /model/update";
        return write(post("/model/update", RequestBodies.legacyDeploymentUpdate(patchBody)), op)
                .filter(answer -> !answer.isNull())
                .switchIfEmpty(Mono.error(() -> new LiteLlmException(Category.REJECTED, 200, op,
                        "LiteLLM did not store the update of " + id + " (model writes are off: STORE_MODEL_IN_DB)")));
    }

    /** Deletes a DB deployment. Config-file deployments fail with READ_ONLY_CONFIG_MODEL, unknown ids with NOT_FOUND. */
    public Mono<Void> deleteDeployment(String id) {
        String op = "POST /model/delete";
        return write(post("/model/delete", Map.of("id", id)), op)
                // LiteLLM answers "not found in db" for unknown ids and for every config-file model alike
                .onErrorResume(e -> e instanceof LiteLlmException le && le.category() == Category.NOT_FOUND,
                        e -> deployment(id)
                                .flatMap(existing -> Mono.<JsonNode>error(existing.editable() ? e
                                        : new LiteLlmException(Category.READ_ONLY_CONFIG_MODEL, ((LiteLlmException) e).status(), op,
                                                "deployment " + id + " is defined in LiteLLM's config file and cannot be deleted")))
                                .onErrorResume(lookup -> lookup instanceof LiteLlmException le && le.category() == Category.NOT_FOUND,
                                        lookup -> Mono.error(e)))
                .then();
    }

    private Mono<LiteLlmDeployment> readBack(String op, String id) {
        return deployment(id).onErrorResume(e -> e instanceof LiteLlmException le && le.category() == Category.NOT_FOUND,
                e -> Mono.error(new LiteLlmException(Category.UNAVAILABLE, 0, op,
                        "LiteLLM accepted the write but does not serve deployment " + id)));
    }

    private boolean v2ModelInfoUnusable(Throwable e) {
        if (!(e instanceof LiteLlmException le)) {
            return false;
        }
        // mid builds need a database for /v2/model/info; /model/info works without one
        return le.missingRoute() || (le.status() >= 500 && le.upstreamMessage() != null
                && le.upstreamMessage().toLowerCase(java.util.Locale.ROOT).contains("db not connected"));
    }

    private Mono<DeploymentPage> modelInfoV2Page(int page) {
        String op = "GET /v2/model/info?page=" + page;
        return read(get("/v2/model/info", Map.of("page", page, "size", properties.pageSize(), "sortBy", "model_name",
                "sortOrder", "asc")), op, body -> withPageNumber(deploymentPage(op, body, page), page));
    }

    /** Read in one pass from the bytes; a shape the one-pass reader leaves to the tree decoding is decoded as before. */
    private DeploymentPage deploymentPage(String op, byte[] body, int page) {
        DeploymentPage read = DeploymentPageReader.read(body, page);
        if (read != null) {
            return read;
        }
        JsonNode tree = WireJson.readTree(body);
        return tree.isNull() ? new DeploymentPage(page, null, null, List.of()) : decode(op, () -> WireDecoder.deploymentPage(tree, page));
    }

    private static DeploymentPage withPageNumber(DeploymentPage page, int requested) {
        // follow our own counter: a server that ignores ?page would otherwise be asked for page 2 forever
        return page.pageNumber() == requested ? page
                : new DeploymentPage(requested, page.totalPages(), page.totalCount(), page.deployments());
    }

    private Mono<DeploymentPage> legacyModelInfo() {
        String op = "GET /model/info";
        return read(get("/model/info", Map.of()), op, body -> new DeploymentPage(1, null, null, deploymentPage(op, body, 1).deployments()));
    }

    // ------------------------------------------------------------------ budgets

    public Flux<LiteLlmBudget> budgets() {
        String op = "GET /budget/list";
        return read(get("/budget/list", Map.of()), op)
                .flatMapIterable(body -> body.isNull() ? List.of() : decode(op, () -> WireDecoder.budgets(body)));
    }

    /** The budgets among these ids that exist (unknown ids are simply missing). */
    public Flux<LiteLlmBudget> budgets(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Flux.empty(); // LiteLLM answers an empty list with 400
        }
        String op = "POST /budget/info";
        return read(post("/budget/info", Map.of("budgets", List.copyOf(ids))), op)
                .flatMapIterable(body -> body.isNull() ? List.of() : decode(op, () -> WireDecoder.budgets(body)));
    }

    public Mono<LiteLlmBudget> budget(String id) {
        return budgets(List.of(id)).filter(b -> id.equals(b.id())).next()
                .switchIfEmpty(Mono.error(() -> notFound("POST /budget/info", "budget " + id)));
    }

    public Flux<BudgetSetting> budgetSettings(String id) {
        String op = "GET /budget/settings";
        return read(get("/budget/settings", Map.of("budget_id", id)), op)
                .flatMapIterable(body -> body.isNull() ? List.of() : decode(op, () -> WireDecoder.budgetSettings(body)));
    }

    public Mono<LiteLlmBudget> createBudget(BudgetRequest request) {
        String op = "POST /budget/new";
        return validDuration(op, request.duration())
                .then(write(post("/budget/new", RequestBodies.budget(request, false)), op))
                .onErrorResume(e -> request.id() != null && e instanceof LiteLlmException le && le.status() == 500
                                && le.category() == Category.UNAVAILABLE,
                        // legacy/mid builds crash with a plain-text 500 on a duplicate id
                        e -> budget(request.id())
                                .flatMap(existing -> Mono.<JsonNode>error(((LiteLlmException) e).recategorize(Category.CONFLICT, op)))
                                .onErrorResume(lookup -> lookup instanceof LiteLlmException le && le.category() != Category.CONFLICT,
                                        lookup -> Mono.error(e)))
                .map(body -> decodeRow(op, body, WireDecoder::budget, "budget " + request.id()));
    }

    /** Writes every limit of the request (null clears it). Unknown ids fail with NOT_FOUND. */
    public Mono<LiteLlmBudget> updateBudget(BudgetRequest request) {
        String op = "POST /budget/update";
        if (request.id() == null || request.id().isBlank()) {
            return Mono.error(new LiteLlmException(Category.REJECTED, 0, op, "budget id is required"));
        }
        return validDuration(op, request.duration())
                .then(write(post("/budget/update", RequestBodies.budget(request, true)), op))
                .map(body -> decodeRow(op, body, WireDecoder::budget, "budget " + request.id()));
    }

    /** Deletes a budget and answers the deleted row. LiteLLM silently unlinks customers that used it. */
    public Mono<LiteLlmBudget> deleteBudget(String id) {
        String op = "POST /budget/delete";
        return write(post("/budget/delete", Map.of("id", id)), op)
                .map(body -> decodeRow(op, body, WireDecoder::budget, "budget " + id));
    }

    // ------------------------------------------------------------------ customers

    public Flux<LiteLlmCustomer> customers() {
        String op = "GET /customer/list";
        return read(get("/customer/list", Map.of()), op)
                .flatMapIterable(body -> body.isNull() ? List.of() : decode(op, () -> WireDecoder.customers(body)));
    }

    public Mono<LiteLlmCustomer> customer(String id) {
        String op = "GET /customer/info";
        return read(get("/customer/info", Map.of("end_user_id", id)), op)
                .map(body -> decodeRow(op, body, WireDecoder::customer, "customer " + id));
    }

    public Mono<LiteLlmCustomer> createCustomer(CustomerRequest request) {
        String op = "POST /customer/new";
        return write(post("/customer/new", RequestBodies.customer(request)), op)
                .map(body -> decodeRow(op, body, WireDecoder::customer, "customer " + request.id()));
    }

    /**
     * Creates a customer with limits of its own: LiteLLM stores them in a new budget row linked to the customer
     * (one call, so there is no half-created customer). The request's budgetId is ignored.
     */
    public Mono<LiteLlmCustomer> createCustomer(CustomerRequest request, BudgetRequest ownLimits) {
        String op = "POST /customer/new";
        return validDuration(op, ownLimits.duration())
                .then(write(post("/customer/new", RequestBodies.customerWithOwnBudget(request, ownLimits)), op))
                .map(body -> decodeRow(op, body, WireDecoder::customer, "customer " + request.id()));
    }

    public Mono<LiteLlmCustomer> updateCustomer(CustomerRequest request) {
        String op = "POST /customer/update";
        return write(post("/customer/update", RequestBodies.customer(request)), op)
                .then(customer(request.id()));
    }

    /** Deletes customers (all or none); answers how many went. Their budget rows stay. */
    public Mono<Integer> deleteCustomers(Collection<String> ids) {
        String op = "POST /customer/delete";
        return write(post("/customer/delete", Map.of("user_ids", List.copyOf(ids))), op)
                .map(body -> {
                    JsonNode count = body.path("deleted_customers");
                    return count.isNumber() ? count.asInt() : ids.size();
                });
    }

    // ------------------------------------------------------------------ internal users

    /** Every internal user, paged by user id (a stable order); old builds answer a bare list. */
    public Flux<LiteLlmUser> users() {
        return everyPage("/user/list", "/user/get_users", this::userPage);
    }

    private record PagedRead<T>(String path, int page, Integer totalPages, List<T> items) {
    }

    /** Reads page after page until the last; a build without {@code path} is read at {@code fallbackPath}. */
    private <T> Flux<T> everyPage(String path, String fallbackPath, BiFunction<String, Integer, Mono<PagedRead<T>>> pageAt) {
        return pageAt.apply(path, 1)
                .onErrorResume(e -> e instanceof LiteLlmException le && le.missingRoute(), e -> pageAt.apply(fallbackPath, 1))
                .expand(page -> page.totalPages() == null || page.page() >= page.totalPages() || page.items().isEmpty()
                        ? Mono.empty() : pageAt.apply(page.path(), page.page() + 1))
                .concatMapIterable(PagedRead::items);
    }

    private <T> Mono<PagedRead<T>> readPage(String path, int page, Map<String, ?> query,
            Function<JsonNode, WireDecoder.Paged<T>> decoder) {
        String op = "GET " + path + "?page=" + page;
        return read(get(path, query), op)
                .map(body -> {
                    WireDecoder.Paged<T> p = body.isNull() ? new WireDecoder.Paged<>(List.of(), null, null)
                            : decode(op, () -> decoder.apply(body));
                    return new PagedRead<>(path, page, p.totalPages(), p.items());
                });
    }

    private Mono<PagedRead<LiteLlmUser>> userPage(String path, int page) {
        int size = Math.min(properties.pageSize(), MAX_USER_TEAM_PAGE);
        return readPage(path, page, Map.of("page", page, "page_size", size, "sort_by", "user_id", "sort_order", "asc"),
                WireDecoder::userPage);
    }

    /** One user; NOT_FOUND when unknown (also for legacy builds that answer an unknown id with an empty row). */
    public Mono<LiteLlmUser> user(String id) {
        String op = "GET /user/info";
        return read(get("/user/info", Map.of("user_id", id)), op)
                .map(body -> decodeRow(op, body, WireDecoder::user, "user " + id));
    }

    /**
     * Changes a user's budget fields and answers the user as read back. The user must exist:
     * {@code /user/update} would silently create an unknown id.
     */
    public Mono<LiteLlmUser> updateUser(UserBudgetUpdate update) {
        String op = "POST /user/update";
        Map<String, Object> body = RequestBodies.userUpdate(update);
        return validDuration(op, update.duration())
                .then(user(update.userId()))
                .then(write(post("/user/update", body), op))
                .then(Mono.defer(() -> user(update.userId())));
    }

    // ------------------------------------------------------------------ teams

    /** Every team, paged by team id via {@code /v2/team/list}; {@code /team/list} (a bare list) on old builds. */
    public Flux<LiteLlmTeam> teams() {
        return everyPage("/v2/team/list", "/team/list", this::teamPage);
    }

    private Mono<PagedRead<LiteLlmTeam>> teamPage(String path, int page) {
        int size = Math.min(properties.pageSize(), MAX_USER_TEAM_PAGE);
        Map<String, Object> query = path.startsWith("/v2")
                ? Map.of("page", page, "page_size", size, "sort_by", "team_id", "sort_order", "asc") : Map.of();
        return readPage(path, page, query, WireDecoder::teamPage);
    }

    public Mono<LiteLlmTeam> team(String id) {
        String op = "GET /team/info";
        return read(get("/team/info", Map.of("team_id", id)), op)
                .map(body -> decodeRow(op, body, WireDecoder::team, "team " + id));
    }

    /** Writes every budget field of the team (null clears it) and answers the team as read back. */
    public Mono<LiteLlmTeam> updateTeam(TeamBudgetUpdate update) {
        String op = "POST /team/update";
        Map<String, Object> body = RequestBodies.teamUpdate(update);
        return validDuration(op, update.duration())
                .then(write(post("/team/update", body), op))
                .then(Mono.defer(() -> team(update.teamId())));
    }

    // ------------------------------------------------------------------ spend and health

    public Mono<GlobalSpend> globalSpend() {
        String op = "GET /global/spend";
        return read(get("/global/spend", Map.of()), op)
                .map(body -> body.isNull() ? new GlobalSpend(null, null) : decode(op, () -> WireDecoder.globalSpend(body)));
    }

    /** LiteLLM's liveness text ("I'm alive!"); fails like any call when the proxy is not there. Not retried. */
    public Mono<String> liveliness() {
        String op = "GET /health/liveliness";
        return exchange(get("/health/liveliness", Map.of()), op)
                .map(body -> body.isString() ? body.asString() : body.toString());
    }

    // ------------------------------------------------------------------ plumbing

    private record Call(HttpMethod method, String path, Map<String, ?> vars, Map<String, ?> query, Object body) {
    }

    private static Call get(String path, Map<String, ?> query) {
        return new Call(HttpMethod.GET, path, Map.of(), query, null);
    }

    private static Call post(String path, Object body) {
        return new Call(HttpMethod.POST, path, Map.of(), Map.of(), body);
    }

    private static Call request(HttpMethod method, String path, Map<String, ?> vars, Object body) {
        return new Call(method, path, vars, Map.of(), body);
    }

    /** An idempotent read: retried with backoff and jitter on UNAVAILABLE and TIMEOUT. */
    private Mono<JsonNode> read(Call call, String op) {
        return read(call, op, WireJson::readTree);
    }

    private <T> Mono<T> read(Call call, String op, BodyParser<T> parser) {
        return exchange(call, op, parser).retryWhen(Retry.backoff(properties.maxRetries(), properties.retryBackoff())
                .jitter(0.5)
                .filter(e -> e instanceof LiteLlmException le && le.retryable())
                .doBeforeRetry(signal -> log.debug("retrying {} after {}", op, signal.failure().getMessage()))
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    /** A write: sent once. A retry could create a second deployment or apply a change twice. */
    private Mono<JsonNode> write(Call call, String op) {
        return exchange(call, op);
    }

    private record Answer(int status, byte[] body) {
    }

    /** Turns a 2xx body into a value; a {@link JacksonException} from it means malformed or truncated JSON. */
    @FunctionalInterface
    private interface BodyParser<T> {
        T parse(byte[] body);
    }

    private Mono<JsonNode> exchange(Call call, String op) {
        return exchange(call, op, WireJson::readTree);
    }

    private <T> Mono<T> exchange(Call call, String op, BodyParser<T> parser) {
        WebClient.RequestBodySpec spec = http.method(call.method()).uri(builder -> {
            builder.path(call.path());
            Map<String, Object> vars = new LinkedHashMap<>(call.vars());
            call.query().forEach((name, value) -> {
                builder.queryParam(name, "{" + name + "}");
                vars.put(name, value);
            });
            return builder.build(vars);
        });
        WebClient.RequestHeadersSpec<?> ready = call.body() == null ? spec
                : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(WireJson.write(call.body()));
        return timed(call, Mono.defer(() -> {
            long started = System.nanoTime();
            return ready.exchangeToMono(response -> response.bodyToMono(byte[].class)
                            .defaultIfEmpty(new byte[0])
                            .map(bytes -> new Answer(response.statusCode().value(), bytes)))
                    // the netty response timeout only bounds the gap between reads; this bounds the whole answer
                    .timeout(properties.responseTimeout())
                    .onErrorMap(e -> !(e instanceof LiteLlmException), e -> errors.fromTransport(op, e, properties))
                    .doOnNext(a -> log.debug("LiteLLM {} -> {} ({} bytes, {} ms)", op, a.status(), a.body().length,
                            Duration.ofNanos(System.nanoTime() - started).toMillis()))
                    // parsing a page of thousands of deployments takes tens of milliseconds of CPU: not on the event
                    // loop, which the hub's own HTTP server shares (every request on that loop would wait behind it)
                    .flatMap(answer -> answer.body().length < LARGE_BODY ? parsed(answer, op, parser)
                            : Mono.just(answer).publishOn(Schedulers.parallel()).flatMap(a -> parsed(a, op, parser)))
                    .doOnError(e -> log.debug("{}", e.getMessage())); // sanitized: no key, no upstream stack trace
        }));
    }

    /**
     * {@code hub.litellm.requests{endpoint, outcome}}: one sample per HTTP attempt (a retried read is several), so
     * LiteLLM's own latency and failures show even when a retry hides them from the caller. The endpoint is the
     * method and the path template ({@code PATCH /model/{id}/update}), never an id or a query value; the outcome is
     * SUCCESS, the failure's category, or CANCELLED when the caller stopped waiting (a GraphQL request timeout, a
     * client that went away).
     */
    private <T> Mono<T> timed(Call call, Mono<T> attempt) {
        String endpoint = call.method().name() + " " + call.path();
        return Mono.defer(() -> {
            Timer.Sample sample = Timer.start(meters);
            // a Mono's consumer may cancel right after the value arrived: the first signal is the outcome
            AtomicBoolean ended = new AtomicBoolean();
            Consumer<String> end = outcome -> {
                if (ended.compareAndSet(false, true)) {
                    sample.stop(requestTimer(endpoint, outcome));
                }
            };
            return attempt
                    .doOnSuccess(body -> end.accept("SUCCESS"))
                    .doOnError(e -> end.accept(e instanceof LiteLlmException le ? le.category().name() : "INTERNAL"))
                    .doOnCancel(() -> end.accept("CANCELLED"));
        });
    }

    private Timer requestTimer(String endpoint, String outcome) {
        return Timer.builder("hub.litellm.requests")
                .description("HTTP requests to LiteLLM's management API, per attempt")
                .tag("endpoint", endpoint)
                .tag("outcome", outcome)
                .register(meters);
    }

    /** Answers above this size are parsed off the event loop (a thread hop costs more than parsing a small one). */
    private static final int LARGE_BODY = 64 * 1024;

    private <T> Mono<T> parsed(Answer answer, String op, BodyParser<T> parser) {
        if (answer.status() < 200 || answer.status() >= 300) {
            LiteLlmException error = errors.fromResponse(op, answer.status(), answer.body());
            if (error.missingRoute()) {
                // not "the budget is gone": this LiteLLM build has no such route
                error = new LiteLlmException(Category.REJECTED, answer.status(), op,
                        "route not available on this LiteLLM build", true, null);
            }
            return Mono.error(error);
        }
        if (answer.body().length == 0) {
            return Mono.error(errors.protocol(op, answer.status(), "empty response body"));
        }
        try {
            return Mono.just(parser.parse(answer.body()));
        } catch (JacksonException e) {
            return Mono.error(errors.protocol(op, answer.status(), "malformed or truncated JSON"));
        }
    }

    /** Decoding a well-formed body of the wrong shape is a protocol error, not a bug of ours to leak. */
    private <T> T decode(String op, java.util.function.Supplier<T> decoding) {
        try {
            return decoding.get();
        } catch (JacksonException | ClassCastException | IllegalArgumentException e) {
            throw errors.protocol(op, 200, "unexpected JSON shape");
        }
    }

    private <T> T decodeRow(String op, JsonNode body, java.util.function.Function<JsonNode, T> decoder, String what) {
        if (body.isNull()) {
            throw notFound(op, what); // e.g. /budget/update and /budget/delete answer "200 null" for unknown ids
        }
        if (!body.isObject()) {
            throw errors.protocol(op, 200, "expected a JSON object");
        }
        T row = decode(op, () -> decoder.apply(body));
        if (row == null) {
            throw notFound(op, what);
        }
        return row;
    }

    private static LiteLlmException notFound(String op, String what) {
        return new LiteLlmException(Category.NOT_FOUND, 0, op, what + " not found in LiteLLM");
    }

    private static Mono<Void> validDuration(String op, String duration) {
        if (duration == null || DURATION.matcher(duration).matches()) {
            return Mono.empty();
        }
        return Mono.error(new LiteLlmException(Category.REJECTED, 0, op,
                "budget duration must look like 30s, 15m, 1h, 7d, 1w or 1mo"));
    }
}
