package io.oneuihub.graphql.cache;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.IntegrationTest;
import io.oneuihub.dev.LocalIssuer;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalog response cache and GET /graphql over real HTTP, real JWTs and embedded PostgreSQL. */
@IntegrationTest
class CatalogCacheTest extends GraphQlTestSupport {

    private static final String PAGE = """
            query Page($first: Int) { models(first: $first) { totalCount nodes { name description enabled company { slug name } } } }""";

    @Autowired
    ConnectionFactory connections;

    @Autowired
    CatalogResponseCache store;

    @BeforeEach
    void seed() {
        clearDatabase();
        db.sql("""
                INSERT INTO company (slug, name) VALUES ('acme', 'Acme');
                INSERT INTO model (name, company_id, description, enabled)
                  SELECT 'model-' || i, (SELECT id FROM company WHERE slug = 'acme'), 'first', i <> 3 FROM generate_series(1, 3) i;
                """).then().block();
        store.clear();
    }

    private EntityExchangeResult<String> post(String token, String query, Map<String, Object> variables, String... headers) {
        return http().post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .headers(h -> {
                    if (token != null) {
                        h.setBearerAuth(token);
                    }
                    for (int i = 0; i < headers.length; i += 2) {
                        h.add(headers[i], headers[i + 1]);
                    }
                })
                .bodyValue(Map.of("query", query, "variables", variables))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult();
    }

    private EntityExchangeResult<String> anonymousPage() {
        return post(null, PAGE, Map.of("first", 10));
    }

    private static String cache(EntityExchangeResult<String> result) {
        return result.getResponseHeaders().getFirst(CatalogCacheFilter.CACHE_HEADER);
    }

    private long version() {
        return db.sql("SELECT version FROM catalog_version").map(row -> row.get(0, Long.class)).one().block();
    }

    @Test
    void aRepeatedQueryIsServedFromTheCacheWithTheSameBody() {
        EntityExchangeResult<String> first = anonymousPage();
        // whitespace, comments and commas do not split entries
        EntityExchangeResult<String> second = post(null, "# the same page\n" + PAGE.replace(" ", "  ,\n"), Map.of("first", 10));
        assertThat(cache(first)).isEqualTo("MISS");
        assertThat(cache(second)).isEqualTo("HIT");
        assertThat(second.getResponseBody()).isEqualTo(first.getResponseBody()).contains("model-1").doesNotContain("model-3");
        assertThat(second.getResponseHeaders().getContentType()).isEqualTo(first.getResponseHeaders().getContentType());
        // other variables, another entry
        assertThat(cache(post(null, PAGE, Map.of("first", 1)))).isEqualTo("MISS");
    }

    @Test
    void aRawSqlWriteMakesTheNextReadFresh() {
        anonymousPage();
        db.sql("UPDATE model SET description = 'second' WHERE name = 'model-1'").then().block();
        EntityExchangeResult<String> after = anonymousPage();
        assertThat(cache(after)).isEqualTo("MISS");
        assertThat(after.getResponseBody()).contains("second");
        assertThat(cache(anonymousPage())).isEqualTo("HIT");
    }

    @Test
    void aRolledBackWriteBumpsNothingAndTheEntryStays() {
        anonymousPage();
        long before = version();
        Mono.usingWhen(connections.create(),
                (Connection c) -> Mono.from(c.beginTransaction())
                        .then(Flux.from(c.createStatement("UPDATE model SET description = 'never' WHERE name = 'model-1'").execute())
                                .flatMap(r -> r.getRowsUpdated()).then())
                        .then(Mono.from(c.rollbackTransaction())),
                Connection::close).block();
        assertThat(version()).isEqualTo(before);
        EntityExchangeResult<String> after = anonymousPage();
        assertThat(cache(after)).isEqualTo("HIT");
        assertThat(after.getResponseBody()).doesNotContain("never");
    }

    @Test
    void aStatementThatChangesNothingBumpsNothing() {
        long before = version();
        db.sql("UPDATE model SET description = 'x' WHERE name = 'no-such-model'").then().block();
        db.sql("DELETE FROM deployment WHERE false").then().block();
        assertThat(version()).isEqualTo(before);
        db.sql("UPDATE company SET name = 'Acme Inc' WHERE slug = 'acme'").then().block();
        assertThat(version()).isEqualTo(before + 1);
    }

    @Test
    void aTransactionWithManyWritesBumpsOnce() {
        long before = version();
        db.sql("""
                DO $$ BEGIN
                  UPDATE model SET description = 'a';
                  UPDATE company SET name = 'b';
                  INSERT INTO company_provider (provider, company_id) SELECT 'p', id FROM company WHERE slug = 'acme';
                END $$""").then().block();
        assertThat(version()).isEqualTo(before + 1);
        assertThat(db.sql("SELECT count(*) FROM catalog_write_pending").map(row -> row.get(0, Long.class)).one().block()).isZero();
    }

    @Test
    void modelAndCompanyMutationsMakeTheNextReadFresh() {
        anonymousPage();
        String modelId = db.sql("SELECT id::text FROM model WHERE name = 'model-2'").map(row -> row.get(0, String.class)).one().block();
        post(LocalIssuer.adminToken(), "mutation($input: UpdateModelInput!) { updateModel(input: $input) { userErrors { code } } }",
                Map.of("input", Map.of("id", modelId, "description", "by mutation")));
        EntityExchangeResult<String> afterModel = anonymousPage();
        assertThat(cache(afterModel)).isEqualTo("MISS");
        assertThat(afterModel.getResponseBody()).contains("by mutation");

        String companyId = db.sql("SELECT id::text FROM company WHERE slug = 'acme'").map(row -> row.get(0, String.class)).one().block();
        post(LocalIssuer.adminToken(), "mutation($input: UpdateCompanyInput!) { updateCompany(input: $input) { userErrors { code } } }",
                Map.of("input", Map.of("id", companyId, "name", "Acme Renamed")));
        EntityExchangeResult<String> afterCompany = anonymousPage();
        assertThat(cache(afterCompany)).isEqualTo("MISS");
        assertThat(afterCompany.getResponseBody()).contains("Acme Renamed");
    }

    @Test
    void rolesGetTheirOwnAnswersAndAdminsBypass() {
        String query = "{ models(first: 10) { nodes { name } } }";
        EntityExchangeResult<String> anonymous = post(null, query, Map.of());
        EntityExchangeResult<String> user = post(LocalIssuer.userToken(), query, Map.of());
        EntityExchangeResult<String> admin = post(LocalIssuer.adminToken(), query, Map.of());
        EntityExchangeResult<String> admin2 = post(LocalIssuer.adminToken(), query, Map.of());
        assertThat(cache(anonymous)).isEqualTo("MISS");
        assertThat(cache(user)).isEqualTo("MISS");
        assertThat(cache(admin)).isEqualTo("BYPASS");
        assertThat(cache(admin2)).isEqualTo("BYPASS");
        // the admin sees the disabled model-3, and a later anonymous hit still does not
        assertThat(admin2.getResponseBody()).contains("model-3");
        EntityExchangeResult<String> anonymousAgain = post(null, query, Map.of());
        assertThat(cache(anonymousAgain)).isEqualTo("HIT");
        assertThat(anonymousAgain.getResponseBody()).doesNotContain("model-3");
        assertThat(cache(post(LocalIssuer.userToken(), query, Map.of()))).isEqualTo("HIT");
    }

    @Test
    void answersWithErrorsAreNotCached() {
        // deployments are for admins: a plain user's answer carries an error
        String query = "{ models(first: 10) { nodes { name deployments { externalId } } } }";
        EntityExchangeResult<String> first = post(LocalIssuer.userToken(), query, Map.of());
        assertThat(first.getResponseBody()).contains("\"errors\"");
        assertThat(cache(first)).isEqualTo("UNCACHEABLE");
        assertThat(cache(post(LocalIssuer.userToken(), query, Map.of()))).isEqualTo("UNCACHEABLE");
    }

    @Test
    void nonCatalogQueriesAreNotCached() {
        assertThat(cache(post(null, "{ __schema { queryType { name } } }", Map.of()))).isEqualTo("BYPASS");
        assertThat(cache(post(null, "{ models(first: 1) { totalCount } __type(name: \"Model\") { name } }", Map.of())))
                .isEqualTo("BYPASS");
    }

    @Test
    void cacheControlNoCacheExecutesAgain() {
        anonymousPage();
        db.sql("UPDATE model SET description = 'direct' WHERE name = 'model-1'").then().block();
        EntityExchangeResult<String> forced = post(null, PAGE, Map.of("first", 10), HttpHeaders.CACHE_CONTROL, "no-cache");
        assertThat(cache(forced)).isEqualTo("MISS");
        assertThat(cache(post(null, PAGE, Map.of("first", 10), HttpHeaders.CACHE_CONTROL, "no-cache"))).isEqualTo("MISS");
        assertThat(cache(anonymousPage())).isEqualTo("HIT");
    }

    @Test
    void cacheControlNoStoreStepsAsideAndKeepsNothing() {
        EntityExchangeResult<String> bypassed = post(null, PAGE, Map.of("first", 7), HttpHeaders.CACHE_CONTROL, "no-store");
        assertThat(cache(bypassed)).isEqualTo("BYPASS");
        assertThat(bypassed.getResponseBody()).contains("\"data\"");
        // nothing was kept: the first plain request executes, the second is served
        assertThat(cache(post(null, PAGE, Map.of("first", 7)))).isEqualTo("MISS");
        assertThat(cache(post(null, PAGE, Map.of("first", 7)))).isEqualTo("HIT");
        assertThat(cache(post(null, PAGE, Map.of("first", 7), HttpHeaders.CACHE_CONTROL, "no-store"))).isEqualTo("BYPASS");
    }

    // ================================================================== GET

    private URI getUri(String query, String variables, String operationName) {
        UriComponentsBuilder builder = UriComponentsBuilder.fromUriString("http://127.0.0.1:" + port + "/graphql")
                .queryParam("query", "{query}");
        if (variables != null) {
            builder.queryParam("variables", "{variables}");
        }
        if (operationName != null) {
            builder.queryParam("operationName", "{operationName}");
        }
        return builder.encode().buildAndExpand(Map.of("query", query, "variables", variables == null ? "" : variables,
                "operationName", operationName == null ? "" : operationName)).toUri();
    }

    @Test
    void getAnswersWithAnETagAndRevalidatesWith304() {
        URI uri = getUri(PAGE, "{\"first\": 10}", "Page");
        EntityExchangeResult<String> first = http().get().uri(uri).accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult();
        String etag = first.getResponseHeaders().getETag();
        assertThat(etag).startsWith("W/\"");
        assertThat(first.getResponseHeaders().getCacheControl()).isEqualTo("public, no-cache");
        assertThat(first.getResponseBody()).contains("model-1");
        // the same body as POST
        assertThat(first.getResponseBody()).isEqualTo(anonymousPage().getResponseBody());

        EntityExchangeResult<byte[]> revalidated = http().get().uri(uri).accept(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isNotModified().expectBody().returnResult();
        assertThat(revalidated.getResponseBody()).isNullOrEmpty();
        assertThat(revalidated.getResponseHeaders().getETag()).isEqualTo(etag);

        db.sql("UPDATE model SET description = 'changed' WHERE name = 'model-1'").then().block();
        EntityExchangeResult<String> changed = http().get().uri(uri).accept(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult();
        assertThat(changed.getResponseBody()).contains("changed");
        assertThat(changed.getResponseHeaders().getETag()).isNotEqualTo(etag);

        // a user's tag is the user's: private, and not the anonymous one
        EntityExchangeResult<String> user = http().get().uri(uri).accept(MediaType.APPLICATION_JSON)
                .headers(h -> h.setBearerAuth(LocalIssuer.userToken())).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult();
        assertThat(user.getResponseHeaders().getCacheControl()).isEqualTo("private, no-cache");
        assertThat(user.getResponseHeaders().getETag()).isNotEqualTo(changed.getResponseHeaders().getETag());

        EntityExchangeResult<String> admin = http().get().uri(uri).accept(MediaType.APPLICATION_JSON)
                .headers(h -> h.setBearerAuth(LocalIssuer.adminToken())).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult();
        assertThat(admin.getResponseHeaders().getCacheControl()).isEqualTo("no-store");
        assertThat(admin.getResponseHeaders().getETag()).isNull();
        assertThat(admin.getResponseBody()).contains("model-3");
    }

    @Test
    void aMutationOverGetIsRefusedWith405AndNothingChanges() {
        String companyId = db.sql("SELECT id::text FROM company WHERE slug = 'acme'").map(row -> row.get(0, String.class)).one().block();
        String mutation = "mutation { updateCompany(input: {id: \"" + companyId + "\", name: \"Via GET\"}) { userErrors { code } } }";
        http().get().uri(getUri(mutation, null, null)).accept(MediaType.APPLICATION_JSON)
                .headers(h -> h.setBearerAuth(LocalIssuer.adminToken())).exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().valueEquals(HttpHeaders.ALLOW, "POST");
        // a query and a mutation in one document, the mutation selected by name
        http().get().uri(getUri("query Q { models { totalCount } } " + mutation.replace("mutation", "mutation M"), null, "M"))
                .accept(MediaType.APPLICATION_JSON).headers(h -> h.setBearerAuth(LocalIssuer.adminToken())).exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
        assertThat(db.sql("SELECT name FROM company").map(row -> row.get(0, String.class)).one().block()).isEqualTo("Acme");
    }

    @Test
    void concurrentCatalogWritesDoNotDeadlockAndEachBumps() {
        long before = version();
        // 8 transactions that each write company and model rows in opposite orders, at the same time
        List<Mono<Void>> writers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String first = i % 2 == 0 ? "UPDATE company SET description = 'w" + i + "'" : "UPDATE model SET description = 'w" + i + "' WHERE name = 'model-" + (i % 3 + 1) + "'";
            String second = i % 2 == 0 ? "UPDATE model SET free = NOT free WHERE name = 'model-" + (i % 3 + 1) + "'" : "INSERT INTO company (slug, name) VALUES ('c" + i + "', 'C" + i + "')";
            writers.add(Mono.usingWhen(connections.create(),
                    (Connection c) -> Mono.from(c.beginTransaction())
                            .then(Flux.from(c.createStatement(first).execute()).flatMap(r -> r.getRowsUpdated()).then())
                            .then(Flux.from(c.createStatement(second).execute()).flatMap(r -> r.getRowsUpdated()).then())
                            .then(Mono.from(c.commitTransaction())),
                    Connection::close).subscribeOn(Schedulers.boundedElastic()));
        }
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Flux.fromIterable(writers).flatMap(w -> w.doOnError(failures::add).onErrorComplete(), 8).blockLast(Duration.ofSeconds(60));
        assertThat(failures).isEmpty();
        assertThat(version()).isEqualTo(before + 8);
    }

    @Test
    void anInstanceThatHearsNoNotifyStillNeverServesAnEntryOlderThanACommittedWrite() {
        // a second "instance": its own store and version reader on the same database, not LISTENing at all
        CatalogResponseCache otherStore = new CatalogResponseCache(1 << 20);
        CatalogVersion otherVersions = new CatalogVersion(db, Duration.ofSeconds(5), otherStore::evictOlderThan);
        CatalogResponseCache.Key key = new CatalogResponseCache.Key("{models{totalCount}}", "", "{}", "anonymous");
        long labelled = otherVersions.current().block();
        otherStore.put(key, labelled, "{\"data\":{}}".getBytes(StandardCharsets.UTF_8));
        assertThat(otherStore.get(key, otherVersions.current().block())).isNotNull();
        // the write commits through "instance A" (this context's pool): B's next read sees it, whatever NOTIFY does
        db.sql("UPDATE model SET description = 'elsewhere' WHERE name = 'model-1'").then().block();
        long now = otherVersions.current().block();
        assertThat(now).isGreaterThan(labelled);
        assertThat(otherStore.get(key, now)).isNull();
    }
}
