package io.oneuihub.graphql.cache;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.oneuihub.graphql.cache.CatalogDocuments.Analysis;
import io.oneuihub.graphql.cache.CatalogDocuments.Kind;
import io.oneuihub.graphql.cache.CatalogResponseCache.Key;
import io.oneuihub.security.Viewer;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.graphql.MediaTypes;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The catalog response cache and HTTP GET, in front of Spring's GraphQL HTTP handler and after Spring Security
 * (so the caller's role is known and a bad token was already answered with 401). A hit is written from the stored
 * bytes without graphql-java, Jackson or the database beyond one shared version read; a miss executes as before
 * and keeps its bytes when the answer has data and no errors.
 * <p>
 * GET /graphql?query=..&amp;variables=..&amp;operationName=.. is turned into the equivalent POST for the handler.
 * A GET that selects a mutation or subscription is refused with 405 and {@code Allow: POST}, before anything
 * executes, as GraphQL over HTTP requires (a GET must be safe: links, prefetchers and caches replay GETs).
 */
final class CatalogCacheFilter implements WebFilter {

    static final String CACHE_HEADER = "X-Catalog-Cache";

    private static final Logger log = LoggerFactory.getLogger(CatalogCacheFilter.class);
    private static final List<MediaType> SUPPORTED = List.of(MediaTypes.APPLICATION_GRAPHQL_RESPONSE,
            MediaType.APPLICATION_JSON, new MediaType("application", "graphql+json"));

    private final String path;
    private final CatalogCacheProperties properties;
    private final CatalogDocuments documents;
    private final CatalogResponseCache store;
    private final CatalogVersion versions;
    private final JsonMapper json;
    private final JsonMapper canonical;
    private final String anonymousCacheControl;
    private final boolean publicCatalog;

    CatalogCacheFilter(String path, CatalogCacheProperties properties, CatalogDocuments documents,
            CatalogResponseCache store, CatalogVersion versions, JsonMapper json, boolean publicCatalog) {
        this.path = path;
        this.publicCatalog = publicCatalog;
        this.properties = properties;
        this.documents = documents;
        this.store = store;
        this.versions = versions;
        this.json = json;
        // variables in a key: the same values in any key order are the same request
        this.canonical = json.rebuild().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(EnumFeature.WRITE_ENUMS_USING_TO_STRING).build();
        this.anonymousCacheControl = properties.maxAge().isZero() ? "public, no-cache"
                : "public, max-age=" + properties.maxAge().toSeconds();
    }

    /** One GraphQL request as a client sent it. */
    private record Call(String query, String operationName, Map<String, Object> variables, boolean extensions) {
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!path.equals(request.getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        if (request.getMethod() == HttpMethod.GET) {
            return get(exchange, chain);
        }
        if (request.getMethod() == HttpMethod.POST && noStore(request)) {
            // before the body is read: the uncached path costs nothing extra
            return bypass(exchange, chain, false);
        }
        if (request.getMethod() == HttpMethod.POST && properties.enabled() && isJson(request)) {
            return post(exchange, chain);
        }
        return chain.filter(exchange);
    }

    private static boolean isJson(ServerHttpRequest request) {
        MediaType type = request.getHeaders().getContentType();
        return type != null && MediaType.APPLICATION_JSON.isCompatibleWith(type);
    }

    private Mono<Void> post(ServerWebExchange exchange, WebFilterChain chain) {
        // RequestBodyFilter (before Spring Security) already limited the body's size and replays it from memory
        return DataBufferUtils.join(exchange.getRequest().getBody())
                .map(CatalogCacheFilter::bytes)
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    ServerWebExchange replayed = withBody(exchange, exchange.getRequest(), body);
                    Call call = readPost(body);
                    if (call == null) {
                        // not what we understand: the handler answers it as before
                        return chain.filter(replayed);
                    }
                    return handle(replayed, chain, call, false);
                });
    }

    private Call readPost(byte[] body) {
        try {
            JsonNode tree = json.readTree(body);
            if (tree == null || !tree.isObject() || !tree.path("query").isString()) {
                return null;
            }
            JsonNode name = tree.path("operationName");
            JsonNode variables = tree.path("variables");
            if (!(name.isMissingNode() || name.isNull() || name.isString())
                    || !(variables.isMissingNode() || variables.isNull() || variables.isObject())) {
                return null;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> vars = variables.isObject() ? json.treeToValue(variables, Map.class) : Map.of();
            JsonNode extensions = tree.path("extensions");
            return new Call(tree.path("query").asString(), name.isString() ? name.asString() : null, vars,
                    !(extensions.isMissingNode() || extensions.isNull() || extensions.isEmpty()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Mono<Void> get(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String query = request.getQueryParams().getFirst("query");
        if (query == null) {
            return chain.filter(exchange);
        }
        String operationName = request.getQueryParams().getFirst("operationName");
        String variablesText = request.getQueryParams().getFirst("variables");
        String extensionsText = request.getQueryParams().getFirst("extensions");
        Map<String, Object> variables;
        Object extensions;
        try {
            variables = variablesText == null || variablesText.isBlank() ? Map.of() : readObject(variablesText);
            extensions = extensionsText == null || extensionsText.isBlank() ? null : readObject(extensionsText);
        } catch (RuntimeException e) {
            return refuse(exchange, HttpStatus.BAD_REQUEST, "variables and extensions must be JSON objects.");
        }
        if (query.indexOf('\u0000') >= 0 || (operationName != null && operationName.indexOf('\u0000') >= 0)
                || (variablesText != null && variablesText.toLowerCase(java.util.Locale.ROOT).contains("\\u0000"))) {
            return refuse(exchange, HttpStatus.BAD_REQUEST, "NUL characters are not accepted.");
        }
        Analysis analysis = documents.analyse(query);
        Kind kind = (analysis != null ? analysis : CatalogDocuments.parse(query)).select(operationName);
        if (kind == Kind.NOT_A_QUERY) {
            exchange.getResponse().getHeaders().setAllow(java.util.Set.of(HttpMethod.POST));
            return refuse(exchange, HttpStatus.METHOD_NOT_ALLOWED,
                    "Only queries can be sent with GET; send mutations and subscriptions with POST.");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        if (operationName != null && !operationName.isEmpty()) {
            body.put("operationName", operationName);
        }
        body.put("variables", variables);
        if (extensions != null) {
            body.put("extensions", extensions);
        }
        byte[] bytes = json.writeValueAsBytes(body);
        ServerHttpRequest asPost = request.mutate().method(HttpMethod.POST).headers(headers -> {
            headers.setContentType(MediaType.APPLICATION_JSON);
            headers.setContentLength(bytes.length);
        }).build();
        ServerWebExchange posted = withBody(exchange, asPost, bytes);
        if (!properties.enabled()) {
            return bypass(posted, chain, true);
        }
        return handle(posted, chain, new Call(query, operationName, variables, extensions != null), true);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readObject(String text) {
        JsonNode node = json.readTree(text);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return json.treeToValue(node, Map.class);
    }

    private Mono<Void> handle(ServerWebExchange exchange, WebFilterChain chain, Call call, boolean get) {
        return Viewer.current().flatMap(viewer -> {
            Analysis analysis = documents.analyse(call.query());
            // with the catalog closed to anonymous callers they get errors, never an entry or a tag to revalidate
            if (viewer.admin() || (!viewer.authenticated() && !publicCatalog) || call.extensions() || analysis == null
                    || analysis.select(call.operationName()) != Kind.CATALOG_QUERY || noStore(exchange.getRequest())) {
                return bypass(exchange, chain, get);
            }
            Key key = new Key(analysis.normalised(), call.operationName() == null ? "" : call.operationName(),
                    canonical.writeValueAsString(call.variables()), viewer.authenticated() ? "user" : "anonymous");
            String cacheControl = viewer.authenticated() ? "private, no-cache" : anonymousCacheControl;
            boolean reExecute = noCache(exchange.getRequest());
            return versions.current().map(Optional::of)
                    .onErrorResume(e -> {
                        // never serve what we cannot show to be current: execute instead
                        log.debug("Catalog version read failed; executing uncached: {}", e.toString());
                        return Mono.just(Optional.empty());
                    })
                    .flatMap(version -> {
                        if (version.isEmpty()) {
                            return bypass(exchange, chain, get);
                        }
                        long current = version.get();
                        String digest = get ? key.digest() : null;
                        if (get && !reExecute && matches(exchange.getRequest(), etag(current, digest))) {
                            return notModified(exchange, etag(current, digest), cacheControl);
                        }
                        CatalogResponseCache.Entry entry = reExecute ? null : store.get(key, current);
                        if (entry != null) {
                            return hit(exchange, entry, get ? etag(entry.version(), digest) : null, cacheControl);
                        }
                        return miss(exchange, chain, key, current, get ? etag(current, digest) : null, cacheControl);
                    });
        });
    }

    /**
     * Cache-Control: no-store from the client: nothing of this exchange is to be kept, so the cache steps aside
     * entirely (no version read, no capture): what the benchmark measures as the uncached path.
     */
    private static boolean noStore(ServerHttpRequest request) {
        for (String value : request.getHeaders().getOrEmpty(HttpHeaders.CACHE_CONTROL)) {
            if (value.toLowerCase(java.util.Locale.ROOT).contains("no-store")) {
                return true;
            }
        }
        return false;
    }

    /** Cache-Control: no-cache (or Pragma: no-cache) from the client: execute again, and store what comes back. */
    private static boolean noCache(ServerHttpRequest request) {
        for (String value : request.getHeaders().getOrEmpty(HttpHeaders.CACHE_CONTROL)) {
            if (value.toLowerCase(java.util.Locale.ROOT).contains("no-cache")) {
                return true;
            }
        }
        return request.getHeaders().getOrEmpty(HttpHeaders.PRAGMA).stream().anyMatch(v -> v.contains("no-cache"));
    }

    /**
     * Weak: the body of one key at one version is the same JSON, but not promised byte for byte (and it goes out as
     * application/json or application/graphql-response+json, whichever the client accepts). The tag names the
     * version and the key, so a revalidation is answered without the body, even after the entry was evicted.
     */
    private static String etag(long version, String digest) {
        return "W/\"" + version + "-" + digest + "\"";
    }

    private static boolean matches(ServerHttpRequest request, String etag) {
        String opaque = etag.substring(2);
        for (String header : request.getHeaders().getOrEmpty(HttpHeaders.IF_NONE_MATCH)) {
            for (String tag : header.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || t.equals(etag) || t.equals(opaque) || (t.startsWith("W/") && t.substring(2).equals(opaque))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Mono<Void> notModified(ServerWebExchange exchange, String etag, String cacheControl) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.NOT_MODIFIED);
        HttpHeaders headers = response.getHeaders();
        headers.setETag(etag);
        headers.setCacheControl(cacheControl);
        headers.add(HttpHeaders.VARY, "Authorization, Accept");
        headers.set(CACHE_HEADER, "REVALIDATED");
        return response.setComplete();
    }

    private Mono<Void> hit(ServerWebExchange exchange, CatalogResponseCache.Entry entry, String etag, String cacheControl) {
        ServerHttpResponse response = exchange.getResponse();
        MediaType type;
        try {
            type = responseType(exchange.getRequest());
        } catch (InvalidMediaTypeException e) {
            // the handler answers a malformed Accept with 406
            return Mono.error(new org.springframework.web.server.NotAcceptableStatusException(e.getMessage()));
        }
        response.setStatusCode(HttpStatus.OK);
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(type);
        headers.setContentLength(entry.body().length);
        headers.set(CACHE_HEADER, "HIT");
        if (etag != null) {
            cacheHeaders(headers, etag, cacheControl);
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(entry.body())));
    }

    /** The same choice as Spring's GraphQlHttpHandler: the first accepted type it supports, else application/json. */
    private static MediaType responseType(ServerHttpRequest request) {
        for (MediaType accepted : request.getHeaders().getAccept()) {
            if (SUPPORTED.contains(accepted)) {
                return accepted;
            }
        }
        return MediaType.APPLICATION_JSON;
    }

    private static void cacheHeaders(HttpHeaders headers, String etag, String cacheControl) {
        headers.setETag(etag);
        headers.setCacheControl(cacheControl);
        headers.add(HttpHeaders.VARY, "Authorization, Accept");
        // Spring Security adds Pragma/Expires only when no Cache-Control is set; make sure none linger
        headers.remove(HttpHeaders.PRAGMA);
        headers.remove(HttpHeaders.EXPIRES);
    }

    private Mono<Void> miss(ServerWebExchange exchange, WebFilterChain chain, Key key, long version, String etag,
            String cacheControl) {
        ServerHttpResponse original = exchange.getResponse();
        ServerHttpResponse capturing = new ServerHttpResponseDecorator(original) {
            @Override
            public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
                return DataBufferUtils.join(Flux.from(body)).map(CatalogCacheFilter::bytes).defaultIfEmpty(new byte[0])
                        .flatMap(bytes -> {
                            HttpHeaders headers = getDelegate().getHeaders();
                            HttpStatus status = getStatusCode() == null ? HttpStatus.OK : HttpStatus.resolve(getStatusCode().value());
                            boolean complete = status == HttpStatus.OK && complete(bytes);
                            if (complete) {
                                store.put(key, version, bytes);
                            }
                            headers.set(CACHE_HEADER, complete ? "MISS" : "UNCACHEABLE");
                            if (etag != null) {
                                if (complete) {
                                    cacheHeaders(headers, etag, cacheControl);
                                } else {
                                    headers.setCacheControl("no-store");
                                }
                            }
                            return getDelegate().writeWith(Mono.just(bufferFactory().wrap(bytes)));
                        });
            }
        };
        return chain.filter(exchange.mutate().response(capturing).build());
    }

    /** Data and no errors: a partial answer (a field that failed) or a refusal is not worth repeating. */
    private boolean complete(byte[] body) {
        // streamed, top-level names only: a miss should not pay for building the whole answer as a tree again
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            boolean data = false;
            for (JsonToken token = parser.nextToken(); token == JsonToken.PROPERTY_NAME; token = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("errors".equals(name)) {
                    return false;
                }
                if ("data".equals(name)) {
                    data = value == JsonToken.START_OBJECT;
                }
                parser.skipChildren();
            }
            return data;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Mono<Void> bypass(ServerWebExchange exchange, WebFilterChain chain, boolean get) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set(CACHE_HEADER, "BYPASS");
        if (get) {
            // admins' and non-catalog answers are nobody's to keep
            headers.setCacheControl("no-store");
        }
        return chain.filter(exchange);
    }

    private static ServerWebExchange withBody(ServerWebExchange exchange, ServerHttpRequest request, byte[] body) {
        ServerHttpRequest replay = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
            }
        };
        return exchange.mutate().request(replay).build();
    }

    private static byte[] bytes(DataBuffer buffer) {
        byte[] bytes = new byte[buffer.readableByteCount()];
        buffer.read(bytes);
        DataBufferUtils.release(buffer);
        return bytes;
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, HttpStatus status, String message) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] body = ("{\"errors\":[{\"message\":\"" + message
                + "\",\"extensions\":{\"classification\":\"BAD_REQUEST\"}}]}").getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
