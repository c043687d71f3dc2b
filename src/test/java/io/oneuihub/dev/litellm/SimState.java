package io.oneuihub.dev.litellm;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The proxy's database and router as far as the management API shows them, answering like LiteLLM does
 * (API.md). All access is synchronized: tests mutate it while the server reads it.
 */
final class SimState {

    private static final DateTimeFormatter PRISMA = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");
    private static final Set<String> REMOVED_SECRETS = Set.of("api_key", "client_secret", "vertex_credentials",
            "aws_access_key_id", "aws_secret_access_key");
    private static final Set<String> SECRET_SEGMENTS = Set.of("key", "secret", "token", "auth", "password", "credential",
            "credentials", "access", "private", "certificate");
    private static final Pattern MODEL_UPDATE_PATCH = Pattern.compile("^/model/([^/]+)/update$");
    private static final String ADMIN = "default_user_id";

    private final SecureRandom random = new SecureRandom();
    private final Map<String, SimDeployment> deployments = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> budgets = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> customers = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> users = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> teams = new LinkedHashMap<>();
    private SyntheticCatalog synthetic = SyntheticCatalog.NONE;
    private BigDecimal globalSpend;
    private BigDecimal globalMaxBudget;
    private boolean storeModelInDb = true;
    private ShapeMode mode = ShapeMode.CURRENT;
    private Clock clock = Clock.systemUTC();
    /** Refusals by route prefix, consulted before anything is changed; and the last body each route received. */
    private final List<Map.Entry<String, Rejection>> rejections = new ArrayList<>();
    private final Map<String, String> lastBodies = new LinkedHashMap<>();

    // ------------------------------------------------------------------ knobs

    synchronized void mode(ShapeMode mode) {
        this.mode = mode;
    }

    synchronized ShapeMode mode() {
        return mode;
    }

    synchronized void clock(Clock clock) {
        this.clock = clock;
    }

    synchronized void storeModelInDb(boolean on) {
        this.storeModelInDb = on;
    }

    synchronized void globalSpend(BigDecimal spend, BigDecimal maxBudget) {
        this.globalSpend = spend;
        this.globalMaxBudget = maxBudget;
    }

    synchronized void synthetic(SyntheticCatalog catalog) {
        this.synthetic = catalog;
    }

    OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    // ------------------------------------------------------------------ direct mutation (tests, seeders)

    synchronized SimDeployment putDeployment(String id, String modelName, Map<String, Object> params, Map<String, Object> info,
            boolean dbModel) {
        String key = id != null ? id : dbModel ? UUID.randomUUID().toString() : configId(modelName, params);
        SimDeployment existing = deployments.get(key);
        OffsetDateTime now = now();
        SimDeployment d = new SimDeployment(key, modelName, params, info, dbModel, existing == null ? now : existing.createdAt(), now);
        deployments.put(key, d);
        return d;
    }

    synchronized SimDeployment deployment(String id) {
        return deployments.get(id);
    }

    synchronized boolean removeDeployment(String id) {
        return deployments.remove(id) != null;
    }

    synchronized List<String> deploymentIds() {
        List<String> ids = new ArrayList<>(deployments.keySet());
        for (int i = 0; i < synthetic.count(); i++) {
            ids.add(synthetic.id(i));
        }
        return ids;
    }

    synchronized int deploymentCount() {
        return deployments.size() + synthetic.count();
    }

    synchronized Map<String, Object> budgetRow(String id) {
        Map<String, Object> row = budgets.get(id);
        return row == null ? null : new LinkedHashMap<>(row);
    }

    synchronized void putBudget(Map<String, Object> row) {
        budgets.put((String) row.get("budget_id"), new LinkedHashMap<>(row));
    }

    synchronized boolean removeBudget(String id) {
        unlinkBudget(id);
        return budgets.remove(id) != null;
    }

    synchronized void putCustomer(Map<String, Object> row) {
        customers.put((String) row.get("user_id"), new LinkedHashMap<>(row));
    }

    synchronized void putUser(Map<String, Object> row) {
        users.put((String) row.get("user_id"), new LinkedHashMap<>(row));
    }

    synchronized void putTeam(Map<String, Object> row) {
        teams.put((String) row.get("team_id"), new LinkedHashMap<>(row));
    }

    synchronized Map<String, Object> customerRow(String id) {
        Map<String, Object> row = customers.get(id);
        return row == null ? null : new LinkedHashMap<>(row);
    }

    synchronized Map<String, Object> userRow(String id) {
        Map<String, Object> row = users.get(id);
        return row == null ? null : new LinkedHashMap<>(row);
    }

    synchronized Map<String, Object> teamRow(String id) {
        Map<String, Object> row = teams.get(id);
        return row == null ? null : new LinkedHashMap<>(row);
    }

    synchronized void clear() {
        deployments.clear();
        budgets.clear();
        customers.clear();
        users.clear();
        teams.clear();
        synthetic = SyntheticCatalog.NONE;
        globalSpend = null;
        globalMaxBudget = null;
        rejections.clear();
        lastBodies.clear();
    }

    synchronized void reject(String pathPrefix, Rejection rejection) {
        rejections.add(Map.entry(pathPrefix, rejection));
    }

    synchronized void clearRejections() {
        rejections.clear();
    }

    synchronized String lastBody(String methodAndPath) {
        return lastBodies.get(methodAndPath);
    }

    Map<String, Object> newBudgetRow(String id, BigDecimal maxBudget, BigDecimal softBudget, String duration) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("budget_id", id);
        row.put("max_budget", maxBudget);
        row.put("soft_budget", softBudget);
        row.put("max_parallel_requests", null);
        row.put("tpm_limit", null);
        row.put("rpm_limit", null);
        row.put("model_max_budget", null);
        row.put("budget_duration", duration);
        row.put("budget_reset_at", duration == null ? null : Durations.firstReset(duration, now(), mode).format(PRISMA));
        row.put("allowed_models", List.of());
        stamp(row, true);
        return row;
    }

    // ------------------------------------------------------------------ routing

    synchronized SimResponse handle(String method, String path, Map<String, List<String>> query, byte[] body) {
        String route = path.startsWith("/end_user/") ? "/customer/" + path.substring("/end_user/".length())
                : path.startsWith("/v1/model/info") ? "/model/info" : path;
        if (body != null && body.length > 0) {
            lastBodies.put(method + " " + path, new String(body, StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, Rejection> r : rejections) {
            if (path.startsWith(r.getKey())) {
                return r.getValue().response();
            }
        }
        Matcher patch = MODEL_UPDATE_PATCH.matcher(route);
        if (patch.matches() && !"/model/update".equals(route)) {
            return "PATCH".equals(method) ? patchModel(patch.group(1), SimJson.readObject(body)) : methodNotAllowed();
        }
        return switch (method + " " + route) {
            case "GET /models", "GET /v1/models" -> models();
            case "GET /model/info" -> modelInfo(first(query, "litellm_model_id"));
            case "GET /v2/model/info" -> modelInfoV2(query);
            case "GET /model_group/info" -> modelGroupInfo();
            case "POST /model/new" -> newModel(SimJson.readObject(body));
            case "POST /model/update" -> updateModel(SimJson.readObject(body));
            case "POST /model/delete" -> deleteModel(SimJson.readObject(body));
            case "POST /budget/new" -> newBudget(SimJson.readObject(body));
            case "POST /budget/update" -> updateBudget(SimJson.readObject(body));
            case "POST /budget/info" -> budgetInfo(SimJson.readObject(body));
            case "GET /budget/list" -> SimResponse.ok(new ArrayList<>(budgets.values().stream().map(this::budgetView).toList()));
            case "GET /budget/settings" -> budgetSettings(first(query, "budget_id"));
            case "POST /budget/delete" -> deleteBudget(SimJson.readObject(body));
            case "POST /customer/new" -> newCustomer(SimJson.readObject(body));
            case "GET /customer/info" -> customerInfo(first(query, "end_user_id"));
            case "POST /customer/update" -> updateCustomer(SimJson.readObject(body));
            case "GET /customer/list" -> SimResponse.ok(customers.values().stream().map(this::customerListView).toList());
            case "POST /customer/delete" -> deleteCustomers(SimJson.readObject(body));
            case "GET /user/list" -> userList(query);
            case "GET /user/info" -> userInfo(first(query, "user_id"));
            case "GET /v2/user/info" -> users.containsKey(first(query, "user_id")) ? SimResponse.ok(users.get(first(query, "user_id")))
                    : SimResponse.detail(404, "User not found");
            case "POST /user/update" -> updateUser(SimJson.readObject(body));
            case "GET /v2/team/list" -> teamListV2(query);
            case "GET /team/list" -> SimResponse.ok(teams.values().stream().map(this::teamV1View).toList());
            case "GET /team/info" -> teamInfo(first(query, "team_id"));
            case "POST /team/update" -> updateTeam(SimJson.readObject(body));
            case "GET /global/spend" -> globalSpendView();
            default -> knownPath(route) ? methodNotAllowed() : SimResponse.notFoundRoute();
        };
    }

    private static boolean knownPath(String path) {
        return Set.of("/models", "/model/info", "/v2/model/info", "/model_group/info", "/model/new", "/model/update", "/model/delete",
                "/budget/new", "/budget/update", "/budget/info", "/budget/list", "/budget/settings", "/budget/delete",
                "/customer/new", "/customer/info", "/customer/update", "/customer/list", "/customer/delete", "/user/list",
                "/user/info", "/user/update", "/v2/team/list", "/team/list", "/team/info", "/team/update", "/global/spend")
                .contains(path);
    }

    private static SimResponse methodNotAllowed() {
        return SimResponse.json(405, Map.of("detail", "Method Not Allowed"));
    }

    // ------------------------------------------------------------------ models

    private SimResponse models() {
        List<Map<String, Object>> data = new ArrayList<>();
        Set<String> names = new java.util.LinkedHashSet<>();
        deployments.values().forEach(d -> names.add(d.modelName()));
        for (int i = 0; i < synthetic.count(); i++) {
            names.add(synthetic.modelName(i));
        }
        names.forEach(n -> data.add(Map.of("id", n, "object", "model", "created", 1677610602, "owned_by", "openai")));
        return SimResponse.ok(Map.of("data", data, "object", "list"));
    }

    private SimResponse modelInfo(String id) {
        if (id != null) {
            Map<String, Object> view = deploymentView(id);
            return view == null ? SimResponse.detail(400, "Model id = " + id + " not found on litellm proxy")
                    : SimResponse.ok(Map.of("data", List.of(view)));
        }
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < deploymentCount(); i++) {
            data.add(viewAt(i));
        }
        return SimResponse.ok(Map.of("data", data));
    }

    private SimResponse modelInfoV2(Map<String, List<String>> query) {
        int total = deploymentCount();
        if (mode == ShapeMode.MID) {
            List<Map<String, Object>> data = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                data.add(viewAt(i));
            }
            return SimResponse.ok(Map.of("data", data));
        }
        int page = intParam(query, "page", 1);
        int size = intParam(query, "size", 50);
        if (page < 1 || size < 1) {
            return SimResponse.json(422, Map.of("detail", List.of(Map.of("type", "greater_than_equal",
                    "loc", List.of("query", page < 1 ? "page" : "size"), "msg", "Input should be greater than or equal to 1"))));
        }
        List<Map<String, Object>> data = new ArrayList<>();
        int from = (int) Math.min((long) (page - 1) * size, total);
        int to = (int) Math.min((long) from + size, total);
        for (int i = from; i < to; i++) {
            data.add(viewAt(i));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", data);
        out.put("total_count", total);
        out.put("current_page", page);
        out.put("total_pages", (total + size - 1) / size);
        out.put("size", size);
        return SimResponse.ok(out);
    }

    private Map<String, Object> viewAt(int index) {
        if (index < deployments.size()) {
            return render(deployments.values().stream().skip(index).findFirst().orElseThrow());
        }
        return synthetic.view(index - deployments.size());
    }

    private Map<String, Object> deploymentView(String id) {
        SimDeployment d = deployments.get(id);
        if (d != null) {
            return render(d);
        }
        int index = synthetic.indexOf(id);
        return index < 0 ? null : synthetic.view(index);
    }

    /** What /model/info shows: masked params, configured info plus the cost map. */
    Map<String, Object> render(SimDeployment d) {
        Map<String, Object> params = new LinkedHashMap<>();
        d.litellmParams().forEach((key, value) -> {
            if (REMOVED_SECRETS.contains(key)) {
                return;
            }
            params.put(key, isSecretName(key) && value instanceof String s ? mask(s) : value);
        });
        params.putIfAbsent("use_in_pass_through", false);
        params.putIfAbsent("use_litellm_proxy", false);
        params.putIfAbsent("merge_reasoning_content_in_choices", false);
        Map<String, Object> info = new LinkedHashMap<>(d.modelInfo());
        info.put("id", d.id());
        info.put("db_model", d.dbModel());
        if (d.dbModel()) {
            info.putIfAbsent("created_at", d.createdAt().format(PRISMA));
            info.putIfAbsent("created_by", ADMIN);
            info.put("updated_at", d.updatedAt().format(PRISMA));
            info.putIfAbsent("updated_by", ADMIN);
        }
        for (String cost : List.of("input_cost_per_token", "output_cost_per_token")) {
            if (d.litellmParams().containsKey(cost)) {
                info.put(cost, d.litellmParams().get(cost)); // custom pricing wins over the cost map
            }
        }
        Object base = d.modelInfo().get("base_model");
        RealisticCatalog.Entry entry = RealisticCatalog.lookup(base != null ? providerOf(d.litellmModel()) + "/" + stripProvider(base.toString())
                : d.litellmModel());
        if (entry == null && base != null) {
            entry = RealisticCatalog.lookup(base.toString());
        }
        if (entry != null) {
            entry.costInfo().forEach(info::putIfAbsent);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("model_name", d.modelName());
        view.put("litellm_params", params);
        view.put("model_info", info);
        return view;
    }

    private static String providerOf(String litellmModel) {
        int slash = litellmModel == null ? -1 : litellmModel.indexOf('/');
        return slash < 0 ? "" : litellmModel.substring(0, slash);
    }

    private static String stripProvider(String model) {
        int slash = model.indexOf('/');
        return slash < 0 ? model : model.substring(slash + 1);
    }

    static boolean isSecretName(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.contains("cost")) {
            return false;
        }
        for (String segment : lower.split("[_\\-]")) {
            if (SECRET_SEGMENTS.contains(segment)) {
                return true;
            }
        }
        return false;
    }

    static String mask(String value) {
        if (value.length() <= 8) {
            return "*".repeat(value.length());
        }
        return value.substring(0, 4) + "*".repeat(value.length() - 8) + value.substring(value.length() - 4);
    }

    private SimResponse modelGroupInfo() {
        Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
        for (int i = 0; i < deploymentCount(); i++) {
            Map<String, Object> view = viewAt(i);
            @SuppressWarnings("unchecked")
            Map<String, Object> info = (Map<String, Object>) view.get("model_info");
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) view.get("litellm_params");
            Map<String, Object> g = groups.computeIfAbsent((String) view.get("model_name"), name -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("model_group", name);
                row.put("providers", new ArrayList<String>());
                row.put("max_input_tokens", info.get("max_input_tokens") == null ? null : ((Number) info.get("max_input_tokens")).doubleValue());
                row.put("max_output_tokens", info.get("max_output_tokens") == null ? null : ((Number) info.get("max_output_tokens")).doubleValue());
                row.put("input_cost_per_token", info.get("input_cost_per_token"));
                row.put("output_cost_per_token", info.get("output_cost_per_token"));
                row.put("mode", info.getOrDefault("mode", "chat"));
                row.put("tpm", params.get("tpm"));
                row.put("rpm", params.get("rpm"));
                for (String flag : List.of("supports_parallel_function_calling", "supports_vision", "supports_web_search",
                        "supports_reasoning", "supports_function_calling")) {
                    row.put(flag, Boolean.TRUE.equals(info.get(flag)));
                }
                row.put("supported_openai_params", info.getOrDefault("supported_openai_params", List.of()));
                row.put("is_public_model_group", false);
                return row;
            });
            Object provider = info.get("litellm_provider");
            @SuppressWarnings("unchecked")
            List<String> providers = (List<String>) g.get("providers");
            String p = provider != null ? provider.toString() : providerOf((String) params.get("model"));
            if (!providers.contains(p)) {
                providers.add(p);
            }
        }
        return SimResponse.ok(Map.of("data", new ArrayList<>(groups.values())));
    }

    private SimResponse newModel(Map<String, Object> body) {
        if (body == null || !(body.get("model_name") instanceof String name)) {
            return validation("body", "model_name");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> params = body.get("litellm_params") instanceof Map<?, ?> p ? (Map<String, Object>) p : null;
        if (params == null || !(params.get("model") instanceof String)) {
            return validation("body", "litellm_params", "model");
        }
        if (!storeModelInDb) {
            return SimResponse.proxyError(500, "{'error': \"Set `'STORE_MODEL_IN_DB='True'` in your env to enable this feature.\"}",
                    "auth_error", "None");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> info = body.get("model_info") instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m)
                : new LinkedHashMap<>();
        String id = info.get("id") instanceof String s && !s.isBlank() ? s : UUID.randomUUID().toString();
        if (deployments.containsKey(id)) {
            return mode == ShapeMode.CURRENT
                    ? SimResponse.proxyError(500, "{'error': 'Failed to add model to db. Check your server logs for more details.'}",
                            "auth_error", "None")
                    : SimResponse.proxyError(400, "Authentication Error, Unique constraint failed on the fields: (`model_id`)",
                            "auth_error", "None");
        }
        info.remove("id");
        info.remove("db_model");
        SimDeployment d = putDeployment(id, name, params, info, true);
        return SimResponse.ok(storedRow(d));
    }

    /** The DB row write routes answer: every string param encrypted, db_model false (API.md §2.5). */
    private Map<String, Object> storedRow(SimDeployment d) {
        Map<String, Object> encrypted = new LinkedHashMap<>();
        d.litellmParams().forEach((k, v) -> encrypted.put(k, v instanceof String s ? encrypt(s) : v));
        Map<String, Object> info = new LinkedHashMap<>(d.modelInfo());
        info.put("id", d.id());
        info.put("db_model", false);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("model_id", d.id());
        row.put("model_name", d.modelName());
        row.put("litellm_params", encrypted);
        row.put("model_info", info);
        if (mode == ShapeMode.CURRENT) {
            row.put("blocked", false);
        }
        row.put("created_at", d.createdAt().format(PRISMA));
        row.put("created_by", ADMIN);
        row.put("updated_at", d.updatedAt().format(PRISMA));
        row.put("updated_by", ADMIN);
        return row;
    }

    private String encrypt(String plain) {
        byte[] cipher = new byte[plain.getBytes(StandardCharsets.UTF_8).length + 28]; // nonce + tag, like AES-GCM
        random.nextBytes(cipher);
        String encoded = Base64.getUrlEncoder().encodeToString(cipher);
        return mode == ShapeMode.CURRENT ? "v3:gcm:" + encoded : encoded;
    }

    private SimResponse updateModel(Map<String, Object> body) {
        if (!storeModelInDb) {
            return SimResponse.ok(null); // LiteLLM falls through and answers 200 null
        }
        if (body == null || !(body.get("model_info") instanceof Map<?, ?> info)) {
            return SimResponse.proxyError(400, "Authentication Error, model_info not provided", "auth_error", "None");
        }
        if (!(body.get("litellm_params") instanceof Map<?, ?>)) {
            return SimResponse.proxyError(400, "Authentication Error, litellm_params not provided", "auth_error", "None");
        }
        String id = info.get("id") instanceof String s ? s : null;
        SimDeployment d = id == null ? null : deployments.get(id);
        if (d == null) {
            return synthetic.indexOf(id) >= 0 || id == null ? configRefusal()
                    : SimResponse.proxyError(400, "Authentication Error, model not found", "auth_error", "None");
        }
        if (!d.dbModel()) {
            return configRefusal();
        }
        return SimResponse.ok(storedRow(merge(d, body, false)));
    }

    private static SimResponse configRefusal() {
        return SimResponse.proxyError(400, "{'error': \"Can't edit model. Model in config. Store model in db via `/model/new`. to edit.\"}",
                "auth_error", "None");
    }

    private SimResponse patchModel(String id, Map<String, Object> body) {
        if (!storeModelInDb) {
            return SimResponse.proxyError(400, "Model updates only supported for DB-stored models", "validation_error", null);
        }
        SimDeployment d = deployments.get(id);
        if (d == null && synthetic.indexOf(id) < 0) {
            return SimResponse.proxyError(404, "Model " + id + " not found on proxy.", "not_found_error", null);
        }
        if (d == null || !d.dbModel()) {
            return SimResponse.proxyError(400, "Cannot edit config-based model. Store model in DB via /model/new first.",
                    mode == ShapeMode.CURRENT ? "validation_error" : "bad_request_error", null);
        }
        return SimResponse.ok(storedRow(merge(d, body == null ? Map.of() : body, true)));
    }

    /**
     * Both routes merge litellm_params (a null leaves a value as it is) and rename. PATCH also merges model_info,
     * and an explicit null there clears prices, litellm_credential_name and cache_control_injection_points (applied
     * last); POST /model/update ignores model_info and never clears (API.md 13).
     */
    @SuppressWarnings("unchecked")
    private SimDeployment merge(SimDeployment d, Map<String, Object> body, boolean patch) {
        Map<String, Object> params = new LinkedHashMap<>(d.litellmParams());
        java.util.Set<String> clears = new java.util.HashSet<>();
        if (body.get("litellm_params") instanceof Map<?, ?> incoming) {
            ((Map<String, Object>) incoming).forEach((k, v) -> {
                if (v != null) {
                    params.put(k, v);
                } else if (patch && clearable(k)) {
                    clears.add(k);
                }
            });
        }
        Map<String, Object> info = new LinkedHashMap<>(d.modelInfo());
        if (patch && body.get("model_info") instanceof Map<?, ?> incoming) {
            ((Map<String, Object>) incoming).forEach((k, v) -> {
                if ("id".equals(k) || "db_model".equals(k)) {
                    return;
                }
                if (v != null) {
                    info.put(k, v);
                } else if (clearable(k)) {
                    clears.add(k);
                }
            });
        }
        clears.forEach(k -> {
            params.remove(k);
            info.remove(k);
        });
        String name = body.get("model_name") instanceof String s ? s : d.modelName();
        return putDeployment(d.id(), name, params, info, true);
    }

    private static boolean clearable(String key) {
        return key.contains("cost_per_") || "litellm_credential_name".equals(key) || "cache_control_injection_points".equals(key);
    }

    private SimResponse deleteModel(Map<String, Object> body) {
        String id = body == null ? null : (String) body.get("id");
        if (id == null) {
            return validation("body", "id");
        }
        if (!storeModelInDb) {
            return SimResponse.proxyError(500, "{'error': \"Set `'STORE_MODEL_IN_DB='True'` in your env to enable this feature.\"}",
                    "auth_error", "None");
        }
        SimDeployment d = deployments.get(id);
        if (d == null || !d.dbModel()) {
            return SimResponse.proxyError(400, "{'error': 'Model with id=" + id + " not found in db'}", "auth_error", "None");
        }
        deployments.remove(id);
        return SimResponse.ok(Map.of("message", "Model: " + id + " deleted successfully"));
    }

    static String configId(String modelName, Map<String, Object> params) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((modelName + SimJson.writeString(new java.util.TreeMap<>(params))).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ budgets

    private SimResponse newBudget(Map<String, Object> body) {
        Map<String, Object> req = body == null ? new LinkedHashMap<>() : body;
        SimResponse invalid = checkBudgetValues(req);
        if (invalid != null) {
            return invalid;
        }
        String id = req.get("budget_id") instanceof String s ? s : UUID.randomUUID().toString();
        if (budgets.containsKey(id)) {
            return mode == ShapeMode.CURRENT ? SimResponse.detail(400, "Budget with id '" + id + "' already exists.")
                    : SimResponse.plain(500, "Internal Server Error");
        }
        String duration = (String) req.get("budget_duration");
        if (duration != null && (!Durations.valid(duration) || Durations.monthsOtherThanOne(duration))) {
            return SimResponse.plain(500, "Internal Server Error"); // released builds crash on e.g. "2mo"
        }
        Map<String, Object> row = newBudgetRow(id, decimal(req.get("max_budget")), decimal(req.get("soft_budget")), duration);
        for (String f : List.of("max_parallel_requests", "tpm_limit", "rpm_limit", "model_max_budget")) {
            if (req.containsKey(f)) {
                row.put(f, req.get(f));
            }
        }
        if (req.get("budget_reset_at") != null) {
            row.put("budget_reset_at", req.get("budget_reset_at"));
        }
        budgets.put(id, row);
        return SimResponse.ok(budgetView(row));
    }

    private SimResponse updateBudget(Map<String, Object> body) {
        if (body == null || body.get("budget_id") == null) {
            return SimResponse.detail(400, "budget_id is required");
        }
        SimResponse invalid = checkBudgetValues(body);
        if (invalid != null) {
            return invalid;
        }
        Map<String, Object> row = budgets.get((String) body.get("budget_id"));
        if (row == null) {
            return SimResponse.ok(null); // LiteLLM's quirk: unknown id → 200 null
        }
        for (String f : List.of("max_budget", "soft_budget", "max_parallel_requests", "tpm_limit", "rpm_limit", "model_max_budget",
                "budget_duration", "budget_reset_at")) {
            if (body.containsKey(f)) {
                row.put(f, body.get(f)); // budget_reset_at is not recomputed: LiteLLM does not either
            }
        }
        stamp(row, false);
        return SimResponse.ok(budgetView(row));
    }

    private SimResponse checkBudgetValues(Map<String, Object> body) {
        for (String f : List.of("max_budget", "soft_budget")) {
            BigDecimal value = decimal(body.get(f));
            if (value != null && value.signum() < 0) {
                String shown = value.setScale(Math.max(1, value.scale())).toPlainString();
                return SimResponse.detail(400, mode == ShapeMode.CURRENT
                        ? f + " must be a non-negative finite number. Received: " + shown
                        : f + " cannot be negative. Received: " + shown);
            }
        }
        return null;
    }

    private SimResponse budgetInfo(Map<String, Object> body) {
        Object ids = body == null ? null : body.get("budgets");
        if (!(ids instanceof List<?> list) || list.isEmpty()) {
            return SimResponse.detail(400, "Specify list of budget id's to query. Passed in=[]");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        list.forEach(id -> {
            Map<String, Object> row = budgets.get(String.valueOf(id));
            if (row != null) {
                rows.add(budgetView(row));
            }
        });
        return SimResponse.ok(rows);
    }

    private SimResponse budgetSettings(String id) {
        if (id == null) {
            return validation("query", "budget_id");
        }
        Map<String, Object> row = budgets.getOrDefault(id, Map.of());
        List<Map<String, Object>> out = new ArrayList<>();
        String[][] fields = {{"max_budget", "Float"}, {"soft_budget", "Float"}, {"max_parallel_requests", "Integer"},
            {"tpm_limit", "Integer"}, {"rpm_limit", "Integer"}, {"budget_duration", "String"}, {"model_max_budget", "Object"}};
        for (String[] f : fields) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("field_name", f[0]);
            s.put("field_type", f[1]);
            s.put("field_description", "simulated");
            s.put("field_value", row.get(f[0]));
            s.put("stored_in_db", true);
            s.put("field_default_value", null);
            s.put("premium_field", false);
            s.put("nested_fields", null);
            out.add(s);
        }
        return SimResponse.ok(out);
    }

    private SimResponse deleteBudget(Map<String, Object> body) {
        String id = body == null ? null : (String) body.get("id");
        if (id == null) {
            return validation("body", "id");
        }
        Map<String, Object> row = budgets.remove(id);
        if (row == null) {
            return SimResponse.ok(null);
        }
        unlinkBudget(id);
        return SimResponse.ok(budgetView(row));
    }

    private void unlinkBudget(String id) {
        customers.values().forEach(c -> {
            if (id.equals(c.get("budget_id"))) {
                c.put("budget_id", null); // ON DELETE SET NULL: the customer becomes unlimited
            }
        });
    }

    private Map<String, Object> budgetView(Map<String, Object> row) {
        Map<String, Object> view = new LinkedHashMap<>(row);
        for (String relation : List.of("organization", "keys", "end_users", "tags", "team_membership", "organization_membership", "projects")) {
            view.put(relation, null);
        }
        return view;
    }

    // ------------------------------------------------------------------ customers

    private SimResponse newCustomer(Map<String, Object> body) {
        if (body == null || !(body.get("user_id") instanceof String id)) {
            return validation("body", "user_id");
        }
        if (body.get("max_budget") != null && body.get("budget_id") != null) {
            return SimResponse.json(422, Map.of("detail", List.of(Map.of("type", "value_error", "loc", List.of("body"),
                    "msg", "Value error, Set either 'max_budget' or 'budget_id', not both."))));
        }
        if (customers.containsKey(id)) {
            return SimResponse.proxyError(400, "Customer already exists, passed user_id=" + id + ". Please pass a new user_id.",
                    "bad_request", "user_id");
        }
        String budgetId = (String) body.get("budget_id");
        List<String> inline = List.of("max_budget", "soft_budget", "max_parallel_requests", "tpm_limit", "rpm_limit",
                "budget_duration", "model_max_budget", "budget_reset_at");
        if (inline.stream().anyMatch(f -> body.get(f) != null)) {
            // any budget field but budget_id: a private budget row for this customer (a budget_id given too is ignored)
            String duration = (String) body.get("budget_duration");
            if (duration != null && !Durations.valid(duration)) {
                return SimResponse.plain(500, "Internal Server Error");
            }
            Map<String, Object> row = newBudgetRow(UUID.randomUUID().toString(), decimal(body.get("max_budget")),
                    decimal(body.get("soft_budget")), null);
            for (String f : List.of("max_parallel_requests", "tpm_limit", "rpm_limit", "model_max_budget")) {
                row.put(f, body.get(f));
            }
            row.put("budget_duration", duration);
            // inline budgets get now + duration, not the calendar rule of /budget/new (API.md §13)
            row.put("budget_reset_at", body.get("budget_reset_at") != null ? body.get("budget_reset_at")
                    : duration == null ? null : Durations.firstReset(duration, now(), ShapeMode.MID).format(PRISMA));
            budgets.put((String) row.get("budget_id"), row);
            budgetId = (String) row.get("budget_id");
        } else if (budgetId != null && !budgets.containsKey(budgetId)) {
            return SimResponse.proxyError(500, "Foreign key constraint failed on the field: `LiteLLM_EndUserTable_budget_id_fkey`",
                    "internal_server_error", "None");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("user_id", id);
        row.put("alias", body.get("alias"));
        row.put("spend", body.get("spend") == null ? 0.0 : body.get("spend"));
        row.put("allowed_model_region", body.get("allowed_model_region"));
        row.put("default_model", body.get("default_model"));
        row.put("budget_id", budgetId);
        row.put("blocked", Boolean.TRUE.equals(body.get("blocked")));
        customers.put(id, row);
        return SimResponse.ok(customerDictView(row));
    }

    private SimResponse customerInfo(String id) {
        Map<String, Object> row = id == null ? null : customers.get(id);
        if (row == null) {
            return SimResponse.proxyError(404, "End User Id=" + id + " does not exist in db", "not_found", "end_user_id");
        }
        Map<String, Object> view = customerDictView(row);
        view.values().removeIf(java.util.Objects::isNull); // this route omits null fields
        return SimResponse.ok(view);
    }

    private SimResponse updateCustomer(Map<String, Object> body) {
        String id = body == null ? null : (String) body.get("user_id");
        Map<String, Object> row = id == null ? null : customers.get(id);
        if (row == null) {
            return SimResponse.proxyError(404, "End User Id=" + id + " does not exist in db", "not_found", "user_id");
        }
        body.forEach((k, v) -> {
            // LiteLLM drops false, 0, [] and {} before writing
            boolean falsy = v == null || Boolean.FALSE.equals(v) || (v instanceof Number n && n.doubleValue() == 0)
                    || (v instanceof List<?> l && l.isEmpty()) || (v instanceof Map<?, ?> m && m.isEmpty());
            if (falsy || "user_id".equals(k)) {
                return;
            }
            if ("max_budget".equals(k)) {
                Map<String, Object> budget = row.get("budget_id") == null ? null : budgets.get((String) row.get("budget_id"));
                if (budget == null) {
                    budget = newBudgetRow(UUID.randomUUID().toString(), decimal(v), null, null);
                    budgets.put((String) budget.get("budget_id"), budget);
                    row.put("budget_id", budget.get("budget_id"));
                } else {
                    budget.put("max_budget", v); // in place, even on a shared tier
                }
            } else if (Set.of("alias", "blocked", "budget_id", "allowed_model_region", "default_model").contains(k)) {
                row.put(k, v);
            }
        });
        return SimResponse.ok(customerDictView(row));
    }

    private SimResponse deleteCustomers(Map<String, Object> body) {
        Object ids = body == null ? null : body.get("user_ids");
        if (!(ids instanceof List<?> list)) {
            return validation("body", "user_ids");
        }
        List<String> missing = list.stream().map(String::valueOf).filter(id -> !customers.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            return SimResponse.proxyError(404, "End User Id(s)=" + String.join(", ", missing) + " do not exist in db", "not_found",
                    "user_ids");
        }
        list.forEach(id -> customers.remove(String.valueOf(id)));
        return SimResponse.ok(Map.of("deleted_customers", list.size(), "message", "Successfully deleted customers with ids: "
                + list.stream().map(id -> "'" + id + "'").toList()));
    }

    /** /customer/new, /info and /update: dict handlers, timestamps with +00:00 and the full budget row. */
    private Map<String, Object> customerDictView(Map<String, Object> row) {
        Map<String, Object> view = new LinkedHashMap<>(row);
        Map<String, Object> budget = row.get("budget_id") == null ? null : budgets.get((String) row.get("budget_id"));
        if (budget != null) {
            Map<String, Object> embedded = new LinkedHashMap<>(budget);
            for (String ts : List.of("budget_reset_at", "created_at", "updated_at")) {
                if (embedded.get(ts) instanceof String s && s.endsWith("Z")) {
                    embedded.put(ts, s.substring(0, s.length() - 1) + "+00:00");
                }
            }
            view.put("litellm_budget_table", embedded);
        } else {
            view.put("litellm_budget_table", null);
        }
        view.put("object_permission_id", null);
        return view;
    }

    private Map<String, Object> customerListView(Map<String, Object> row) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("user_id", row.get("user_id"));
        view.put("blocked", row.get("blocked"));
        view.put("alias", row.get("alias"));
        view.put("spend", row.get("spend"));
        view.put("allowed_model_region", row.get("allowed_model_region"));
        view.put("default_model", row.get("default_model"));
        if (mode == ShapeMode.CURRENT) {
            view.put("budget_id", row.get("budget_id"));
        }
        Map<String, Object> budget = row.get("budget_id") == null ? null : budgets.get((String) row.get("budget_id"));
        if (budget == null) {
            view.put("litellm_budget_table", null);
        } else {
            Map<String, Object> embedded = new LinkedHashMap<>();
            for (String f : List.of("budget_id", "soft_budget", "max_budget", "max_parallel_requests", "tpm_limit", "rpm_limit",
                    "model_max_budget", "budget_duration")) {
                embedded.put(f, budget.get(f));
            }
            if (mode == ShapeMode.CURRENT) {
                embedded.put("allowed_models", budget.get("allowed_models"));
                embedded.put("budget_reset_at", budget.get("budget_reset_at"));
                embedded.put("created_at", budget.get("created_at"));
            }
            view.put("litellm_budget_table", embedded);
        }
        if (mode == ShapeMode.CURRENT) {
            view.put("object_permission_id", null);
            view.put("object_permission", null);
        }
        return view;
    }

    // ------------------------------------------------------------------ internal users

    private SimResponse userList(Map<String, List<String>> query) {
        int page = intParam(query, "page", 1);
        int size = intParam(query, "page_size", 25);
        if (size > 100) {
            return SimResponse.json(422, Map.of("detail", List.of(Map.of("type", "less_than_equal", "loc", List.of("query", "page_size"),
                    "msg", "Input should be less than or equal to 100"))));
        }
        String sortBy = first(query, "sort_by");
        if (sortBy != null && !Set.of("user_id", "user_email", "created_at", "spend", "user_alias", "user_role").contains(sortBy)) {
            return SimResponse.detail(400, "Invalid sort column. Must be one of: user_id, user_email, created_at, spend, user_alias, user_role");
        }
        List<Map<String, Object>> all = new ArrayList<>(users.values());
        all.sort(java.util.Comparator.comparing(u -> String.valueOf(u.get("user_id"))));
        int from = Math.min((page - 1) * size, all.size());
        int to = Math.min(from + size, all.size());
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map<String, Object> u : all.subList(from, to)) {
            Map<String, Object> item = new LinkedHashMap<>(u);
            item.put("key_count", 0);
            items.add(item);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("users", items);
        out.put("total", all.size());
        out.put("page", page);
        out.put("page_size", size);
        out.put("total_pages", (all.size() + size - 1) / size);
        return SimResponse.ok(out);
    }

    private SimResponse userInfo(String id) {
        Map<String, Object> row = id == null ? null : users.get(id);
        if (row == null) {
            return SimResponse.proxyError(404, "User " + id + " not found", "internal_server_error", "None");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user_id", id);
        out.put("user_info", row);
        out.put("keys", List.of());
        out.put("teams", List.of());
        return SimResponse.ok(out);
    }

    private SimResponse updateUser(Map<String, Object> body) {
        if (body == null || (body.get("user_id") == null && body.get("user_email") == null)) {
            return SimResponse.json(422, Map.of("detail", List.of(Map.of("type", "value_error", "loc", List.of("body"),
                    "msg", "Value error, Either user id or user email must be provided"))));
        }
        String id = body.get("user_id") != null ? (String) body.get("user_id") : UUID.randomUUID().toString();
        if ("".equals(body.get("budget_duration")) || (body.get("budget_duration") instanceof String d && !Durations.valid(d))) {
            return SimResponse.proxyError(400, "Authentication Error, Invalid duration format", "auth_error", "None");
        }
        Map<String, Object> row = users.computeIfAbsent(id, k -> newUserRow(k, null, BigDecimal.ZERO)); // upsert, like LiteLLM
        body.forEach((k, v) -> {
            boolean dropped = v == null && !"max_budget".equals(k);
            if (!dropped && !"user_id".equals(k)) {
                row.put(k, v);
            }
        });
        if (body.get("budget_duration") instanceof String d) {
            row.put("budget_reset_at", Durations.firstReset(d, now(), mode).format(PRISMA));
        }
        stamp(row, false);
        return SimResponse.ok(Map.of("user_id", id, "data", row));
    }

    Map<String, Object> newUserRow(String id, BigDecimal maxBudget, BigDecimal spend) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("user_id", id);
        row.put("user_alias", null);
        row.put("user_email", id.contains("@") ? id : null);
        row.put("user_role", "internal_user");
        row.put("teams", new ArrayList<>());
        row.put("max_budget", maxBudget);
        row.put("spend", spend);
        row.put("models", List.of());
        row.put("metadata", Map.of());
        row.put("max_parallel_requests", null);
        row.put("tpm_limit", null);
        row.put("rpm_limit", null);
        row.put("budget_duration", null);
        row.put("budget_reset_at", null);
        row.put("model_spend", Map.of());
        row.put("model_max_budget", Map.of());
        stamp(row, true);
        return row;
    }

    // ------------------------------------------------------------------ teams

    private SimResponse teamListV2(Map<String, List<String>> query) {
        int page = intParam(query, "page", 1);
        int size = intParam(query, "page_size", 10);
        if (size > 100) {
            return SimResponse.json(422, Map.of("detail", List.of(Map.of("type", "less_than_equal", "loc", List.of("query", "page_size"),
                    "msg", "Input should be less than or equal to 100"))));
        }
        List<Map<String, Object>> all = new ArrayList<>(teams.values());
        if ("team_id".equals(first(query, "sort_by"))) {
            all.sort(java.util.Comparator.comparing(t -> String.valueOf(t.get("team_id"))));
        }
        int from = Math.min((page - 1) * size, all.size());
        int to = Math.min(from + size, all.size());
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map<String, Object> t : all.subList(from, to)) {
            Map<String, Object> item = teamView(t);
            if (mode == ShapeMode.CURRENT) {
                item.put("members_count", 1);
            }
            items.add(item);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("teams", items);
        out.put("total", all.size());
        out.put("page", page);
        out.put("page_size", size);
        out.put("total_pages", (all.size() + size - 1) / size);
        return SimResponse.ok(out);
    }

    private Map<String, Object> teamView(Map<String, Object> row) {
        Map<String, Object> view = new LinkedHashMap<>(row);
        if (mode == ShapeMode.MID) {
            view.remove("soft_budget"); // not a team field before 2026
        }
        return view;
    }

    private Map<String, Object> teamV1View(Map<String, Object> row) {
        Map<String, Object> view = teamView(row);
        view.put("team_memberships", List.of());
        view.put("keys", List.of());
        return view;
    }

    private SimResponse teamInfo(String id) {
        Map<String, Object> row = id == null ? null : teams.get(id);
        if (row == null) {
            return SimResponse.proxyError(404, "{'message': 'Team not found, passed team id: " + id + ".'}", "auth_error", "None");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("team_id", id);
        out.put("team_info", teamView(row));
        out.put("keys", List.of());
        out.put("team_memberships", List.of());
        return SimResponse.ok(out);
    }

    private SimResponse updateTeam(Map<String, Object> body) {
        if (body == null || body.get("team_id") == null) {
            return validation("body", "team_id");
        }
        String id = (String) body.get("team_id");
        Map<String, Object> row = teams.get(id);
        if (row == null) {
            return SimResponse.detail(404, "Team not found, passed team_id=" + id);
        }
        if (body.get("budget_duration") instanceof String d && !Durations.valid(d)) {
            return SimResponse.plain(500, "Internal Server Error");
        }
        body.forEach((k, v) -> {
            if ("team_id".equals(k) || "spend".equals(k) || ("soft_budget".equals(k) && mode == ShapeMode.MID)) {
                return; // spend is not writable here; soft_budget is ignored before 2026
            }
            row.put(k, v);
        });
        if (body.containsKey("budget_duration")) {
            row.put("budget_reset_at", body.get("budget_duration") instanceof String d
                    ? Durations.firstReset(d, now(), mode).format(PRISMA) : null);
        }
        stamp(row, false);
        return SimResponse.ok(Map.of("team_id", id, "data", teamView(row)));
    }

    Map<String, Object> newTeamRow(String id, String alias, BigDecimal maxBudget, BigDecimal spend, String duration) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("team_alias", alias);
        row.put("team_id", id);
        row.put("organization_id", null);
        row.put("admins", List.of());
        row.put("members", List.of());
        row.put("members_with_roles", List.of(Map.of("role", "admin", "user_id", ADMIN)));
        row.put("metadata", Map.of());
        row.put("tpm_limit", null);
        row.put("rpm_limit", null);
        row.put("max_budget", maxBudget);
        row.put("soft_budget", null);
        row.put("budget_duration", duration);
        row.put("models", List.of());
        row.put("blocked", false);
        row.put("spend", spend);
        row.put("max_parallel_requests", null);
        row.put("budget_reset_at", duration == null ? null : Durations.firstReset(duration, now(), mode).format(PRISMA));
        row.put("model_spend", Map.of());
        row.put("model_max_budget", Map.of());
        stamp(row, true);
        return row;
    }

    // ------------------------------------------------------------------ spend

    private SimResponse globalSpendView() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("spend", globalSpend);
        out.put("max_budget", globalMaxBudget);
        return SimResponse.ok(out);
    }

    // ------------------------------------------------------------------ helpers

    private SimResponse validation(String... loc) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "missing");
        item.put("loc", List.of(loc));
        item.put("msg", "Field required");
        if (mode == ShapeMode.MID) {
            item.put("input", Map.of());
        }
        return SimResponse.json(422, Map.of("detail", List.of(item)));
    }

    private void stamp(Map<String, Object> row, boolean created) {
        String now = now().format(PRISMA);
        if (created) {
            row.put("created_at", now);
            row.put("created_by", ADMIN);
        }
        row.put("updated_at", now);
        row.put("updated_by", ADMIN);
    }

    static BigDecimal decimal(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof BigDecimal b ? b : new BigDecimal(value.toString());
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static int intParam(Map<String, List<String>> query, String name, int fallback) {
        String value = first(query, name);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
