package io.oneuihub.graphql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.IntegrationTest;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus of hostile requests: each gets a clean 4xx or GraphQL errors (never a 5xx, never a stack
 * trace or framework class name in the body), and the service keeps answering afterwards.
 */
@IntegrationTest
class HostileRequestsTest extends GraphQlTestSupport {

    /** Shaped like a LiteLLM key, built at run time so that no key-shaped literal is tracked. */
    private static final String FAKE_KEY = "sk-" + "abcdefghijklmnop" + 123;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** REJECTED: must be a 4xx or carry GraphQL errors. HARMLESS: may succeed (e.g. an injection string as a search). */
    enum Expect { REJECTED, HARMLESS }

    record Hostile(String name, HttpMethod method, String contentType, String body, Map<String, String> headers, Expect expect) {
    }

    private static Hostile query(String name, String query) {
        return json(name, JSON.writeValueAsString(Map.of("query", query)), Expect.REJECTED);
    }

    private static Hostile harmless(String name, String query) {
        return json(name, JSON.writeValueAsString(Map.of("query", query)), Expect.HARMLESS);
    }

    private static Hostile withVariables(String name, String query, Object variables) {
        return json(name, JSON.writeValueAsString(Map.of("query", query, "variables", variables)), Expect.REJECTED);
    }

    private static Hostile json(String name, String body, Expect expect) {
        return new Hostile(name, HttpMethod.POST, MediaType.APPLICATION_JSON_VALUE, body, Map.of(), expect);
    }

    private static Hostile raw(String name, HttpMethod method, String contentType, String body) {
        return new Hostile(name, method, contentType, body, Map.of(), Expect.REJECTED);
    }

    private static Hostile header(String name, String header, String value) {
        return new Hostile(name, HttpMethod.POST, MediaType.APPLICATION_JSON_VALUE,
                "{\"query\":\"{ budgets { totalCount } }\"}", Map.of(header, value), Expect.REJECTED);
    }

    private static String nest(String open, String leaf, int depth) {
        return open.repeat(depth) + leaf + "}".repeat(depth);
    }

    private static String companyModels(int levels) {
        return "{ companies { nodes { " + "models { company { ".repeat(levels) + "name" + " } }".repeat(levels) + " } } }";
    }

    private static String search(String text) {
        return "{ models(filter: {search: " + JSON.writeValueAsString(text) + "}) { totalCount nodes { name } } }";
    }

    static List<Hostile> corpus() {
        List<Hostile> c = new ArrayList<>();
        // depth
        c.add(query("depth: company/models x6", companyModels(6)));
        c.add(query("depth: company/models x40", companyModels(40)));
        c.add(query("depth: 600 nested selections", nest("{ a ", "", 600)));
        c.add(query("depth: 5000 nested selections", nest("{ a ", "", 5000)));
        c.add(query("introspection: types.fields cycle", "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"));
        c.add(query("introspection: repeated __schema", "{ a: __schema { queryType { name } } b: __schema { queryType { name } } }"));
        // aliases, breadth, fragments
        StringBuilder aliases = new StringBuilder("{");
        for (int i = 0; i < 200; i++) {
            aliases.append(" m").append(i).append(": models(first: 100) { totalCount nodes { name } }");
        }
        c.add(query("alias bomb: 200 x models(first: 100)", aliases.append(" }").toString()));
        StringBuilder typenames = new StringBuilder("{");
        for (int i = 0; i < 31; i++) {
            typenames.append(" t").append(i).append(": __typename");
        }
        c.add(query("alias bomb: 31 x __typename", typenames.append(" }").toString()));
        StringBuilder inFragment = new StringBuilder("query { ...F } fragment F on Query {");
        for (int i = 0; i < 40; i++) {
            inFragment.append(" c").append(i).append(": companies { totalCount }");
        }
        c.add(query("alias bomb inside a fragment", inFragment.append(" }").toString()));
        c.add(query("field repetition: name x 3000", "{ models(first: 100) { nodes { " + "name ".repeat(3000) + "} } }"));
        c.add(harmless("fragment spread repetition (fields merge)", "query { models(first: 100) { nodes { " + "...N ".repeat(2000)
                + "} } } fragment N on Model { name company { name models { name } } }"));
        c.add(query("fragment cycle", "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"));
        c.add(query("directive repetition", "{ __typename " + "@skip(if: false) ".repeat(5000) + "}"));
        c.add(query("token flood: 20000 tokens", "{ " + "__typename ".repeat(20000) + "}"));
        // paging arguments
        c.add(query("huge first", "{ models(first: 100000) { totalCount } }"));
        c.add(query("first beyond Int", "{ models(first: 2147483648) { totalCount } }"));
        c.add(query("negative first", "{ models(first: -1) { totalCount } }"));
        c.add(query("huge last", "{ companies(last: 1000000) { totalCount } }"));
        c.add(query("first and last together", "{ models(first: 1, last: 1) { totalCount } }"));
        c.add(query("garbage cursor", "{ models(after: \"!!!not-a-cursor\") { totalCount } }"));
        c.add(query("cursor with SQL", "{ models(after: \"JyBPUiAxPTE7IC0t\") { totalCount } }"));
        c.add(query("budgets huge first (anonymous)", "{ budgets(first: 99999) { totalCount } }"));
        // invalid scalars and arguments
        c.add(query("string for Int", "{ models(first: \"ten\") { totalCount } }"));
        c.add(query("float for Int", "{ models(first: 1.5) { totalCount } }"));
        c.add(query("unknown enum", "{ models(orderBy: {field: PRICE}) { totalCount } }"));
        c.add(query("unknown capability", "{ models(filter: {capabilities: [TELEPATHY]}) { totalCount } }"));
        c.add(query("malformed ID", "{ company(id: \"not-a-uuid\") { name } }"));
        c.add(query("ID with SQL", "{ model(id: \"1 OR 1=1\") { name } }"));
        c.add(query("both id and slug", "{ company(id: \"00000000-0000-0000-0000-000000000000\", slug: \"x\") { name } }"));
        c.add(query("neither id nor name", "{ model { name } }"));
        c.add(query("companyId with SQL", "{ models(filter: {companyId: \"'; DROP TABLE model; --\"}) { totalCount } }"));
        c.add(withVariables("variable of the wrong type", "query($f: Int) { models(first: $f) { totalCount } }", Map.of("f", "abc")));
        c.add(withVariables("variable number too large", "query($f: Int) { models(first: $f) { totalCount } }", Map.of("f", 1e300)));
        c.add(json("variables not an object", "{\"query\":\"{ __typename }\",\"variables\":\"x\"}", Expect.REJECTED));
        c.add(json("variables nested 2000 deep", "{\"query\":\"{ __typename }\",\"variables\":{\"v\":"
                + "[".repeat(2000) + "]".repeat(2000) + "}}", Expect.REJECTED));
        c.add(query("api key in an invalid literal is not echoed", "{ models(first: \"" + FAKE_KEY + "\") { totalCount } }"));
        // injection strings as data: harmless, parameterised
        c.add(harmless("search: SQL injection", search("'; DROP TABLE model; --")));
        c.add(harmless("search: LIKE wildcards", search("%_\\")));
        c.add(harmless("search: quote and backslash", search("\\' OR '1'='1")));
        c.add(harmless("search: unicode and RTL", search("\u202Egpt\u00e9\uD83D\uDE00")));
        c.add(harmless("search: NUL byte", search("gpt\u0000")));
        c.add(harmless("search: 20k characters", search("x".repeat(20_000))));
        c.add(harmless("companySlug: SQL", "{ models(filter: {companySlug: \"x' OR 1=1 --\"}) { totalCount } }"));
        c.add(harmless("modes: SQL", "{ models(filter: {modes: [\"chat'); DROP TABLE model;--\"]}) { totalCount } }"));
        c.add(harmless("company search: wildcards", "{ companies(filter: {search: \"%%%___\\\\\"}) { totalCount } }"));
        // documents and operations
        c.add(query("syntax error", "{ models( }"));
        c.add(query("unknown field", "{ nope }"));
        c.add(query("comment only", "# nothing here"));
        c.add(query("empty query", ""));
        c.add(query("mutation without a Mutation type", "mutation { x }"));
        c.add(query("subscription without a Subscription type", "subscription { x }"));
        c.add(json("operationName not in document", "{\"query\":\"query A { __typename }\",\"operationName\":\"B\"}", Expect.REJECTED));
        c.add(query("two operations, no operationName", "query A { __typename } query B { __typename }"));
        c.add(query("admin filter as anonymous", "{ models(filter: {statuses: [STALE]}) { totalCount } }"));
        // transport
        c.add(json("batch: JSON array", "[{\"query\":\"{ __typename }\"},{\"query\":\"{ __typename }\"}]", Expect.REJECTED));
        c.add(json("malformed JSON", "{\"query\": \"{ __typename }\"", Expect.REJECTED));
        c.add(json("JSON null", "null", Expect.REJECTED));
        c.add(json("JSON empty object", "{}", Expect.REJECTED));
        c.add(json("query is a number", "{\"query\": 42}", Expect.REJECTED));
        c.add(json("query is null", "{\"query\": null}", Expect.REJECTED));
        c.add(json("empty body", "", Expect.REJECTED));
        c.add(json("oversized body: 200 KB", "{\"query\":\"{ __typename }\",\"variables\":{\"pad\":\"" + "x".repeat(200_000) + "\"}}", Expect.REJECTED));
        c.add(raw("text/plain", HttpMethod.POST, MediaType.TEXT_PLAIN_VALUE, "{ __typename }"));
        c.add(raw("application/xml", HttpMethod.POST, MediaType.APPLICATION_XML_VALUE, "<query>{ __typename }</query>"));
        c.add(raw("form encoded", HttpMethod.POST, MediaType.APPLICATION_FORM_URLENCODED_VALUE, "query=%7B__typename%7D"));
        c.add(raw("multipart without a boundary", HttpMethod.POST, "multipart/form-data", "--x--"));
        c.add(raw("PUT", HttpMethod.PUT, MediaType.APPLICATION_JSON_VALUE, "{\"query\":\"{ __typename }\"}"));
        c.add(raw("DELETE", HttpMethod.DELETE, MediaType.APPLICATION_JSON_VALUE, "{\"query\":\"{ __typename }\"}"));
        c.add(raw("PATCH", HttpMethod.PATCH, MediaType.APPLICATION_JSON_VALUE, "{\"query\":\"{ __typename }\"}"));
        c.add(header("garbage bearer token", "Authorization", "Bearer !!!"));
        c.add(header("bearer token of 8 KB", "Authorization", "Bearer " + "a".repeat(8000)));
        c.add(header("JWT with alg none", "Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsInJvbGVzIjpbImFkbWluIl19."));
        c.add(header("basic auth is not a credential here", "Authorization", "Basic YWRtaW46YWRtaW4="));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> everyHostileRequestGetsACleanRefusal() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Hostile hostile : corpus()) {
            tests.add(DynamicTest.dynamicTest(hostile.name(), () -> check(hostile)));
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(50);
        tests.add(DynamicTest.dynamicTest("the service still answers and the tables are intact", () -> {
            anonymous().document("{ models(first: 1) { totalCount } companies { totalCount } }").execute()
                    .errors().verify().path("models.totalCount").hasValue();
            assertThat(db.sql("SELECT count(*) AS n FROM model").map(row -> row.get("n", Long.class)).one().block()).isNotNull();
        }));
        return tests.stream();
    }

    private void check(Hostile hostile) {
        var spec = http().method(hostile.method()).uri("/graphql")
                .header("Content-Type", hostile.contentType())
                .headers(headers -> hostile.headers().forEach(headers::set));
        var request = hostile.body().isEmpty() ? spec : spec.bodyValue(hostile.body().getBytes(StandardCharsets.UTF_8));
        EntityExchangeResult<byte[]> result = request.exchange().expectBody().returnResult();
        int status = result.getStatus().value();
        String body = result.getResponseBody() == null ? "" : new String(result.getResponseBody(), StandardCharsets.UTF_8);
        String shown = body.length() > 400 ? body.substring(0, 400) + "..." : body;
        System.out.println("hostile | " + status + " | " + hostile.name() + " | " + (shown.length() > 160 ? shown.substring(0, 160) : shown));
        assertThat(status).as("status for %s: %s", hostile.name(), shown).isLessThan(500);
        assertThat(body).as(hostile.name())
                .doesNotContain("Exception").doesNotContain("at io.").doesNotContain("org.springframework")
                .doesNotContain(FAKE_KEY);
        if (hostile.expect() == Expect.REJECTED && status == 200) {
            assertThat(body).as("empty 200 for %s", hostile.name()).isNotBlank();
            Map<?, ?> response = JSON.readValue(body, Map.class);
            assertThat((List<?>) response.get("errors")).as("errors for %s: %s", hostile.name(), shown).isNotEmpty();
        }
    }
}
