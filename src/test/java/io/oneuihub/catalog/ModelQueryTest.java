package io.oneuihub.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.IntegrationTest;
import io.oneuihub.catalog.CatalogJson.ModelNode;
import io.oneuihub.catalog.CatalogJson.Page;
import io.oneuihub.dev.DevCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelQueryTest extends GraphQlTestSupport {

    private static final ParameterizedTypeReference<Page<ModelNode>> MODEL_PAGE = new ParameterizedTypeReference<>() {
    };


    private int visibleCount;

    @BeforeAll
    void seed() {
        seedDevCatalog();
        // One disabled and one STALE model: the public must not see either.
        db.sql("UPDATE model SET enabled = false WHERE name = 'o1'").then().block();
        db.sql("UPDATE model SET status = 'STALE' WHERE name = 'grok-3'").then().block();
        visibleCount = DevCatalog.MODELS_COUNT - 2;
    }

    /** The page reads the models' timestamps only when they are selected, wherever in the page they are. */
    @Test
    void timestampsAreThereWhenSelectedUnderNodesOrEdges() {
        var stored = db.sql("SELECT created_at, updated_at FROM model WHERE name = 'gpt-4o'").fetch().one().block();
        String[] documents = {
                "{ models(filter: {search: \"gpt-4o\"}, first: 1) { nodes { name createdAt updatedAt lastSyncedAt } } }",
                "{ models(filter: {search: \"gpt-4o\"}, first: 1) { edges { node { name createdAt updatedAt } } } }"};
        for (String document : documents) {
            String path = document.contains("edges") ? "models.edges[0].node" : "models.nodes[0]";
            var response = anonymous().document(document).execute().errors().verify();
            response.path(path + ".name").entity(String.class).isEqualTo("gpt-4o");
            response.path(path + ".createdAt").entity(java.time.OffsetDateTime.class)
                    .satisfies(at -> assertThat(at).isAtSameInstantAs((java.time.OffsetDateTime) stored.get("created_at")));
            response.path(path + ".updatedAt").entity(java.time.OffsetDateTime.class)
                    .satisfies(at -> assertThat(at).isAtSameInstantAs((java.time.OffsetDateTime) stored.get("updated_at")));
        }
        anonymous().document("{ models(filter: {search: \"gpt-4o\"}, first: 1) { nodes { name pricing { inputCostPerToken } } } }")
                .execute().errors().verify().path("models.nodes[0].name").entity(String.class).isEqualTo("gpt-4o");
    }

    /** The page reads capabilities only when they are selected: under nodes or edges they are the stored ones. */
    @Test
    void capabilitiesAreThereWhenSelectedUnderNodesOrEdges() {
        String[] stored = db.sql("SELECT capabilities FROM model WHERE name = 'gpt-4o-audio-preview'")
                .map(row -> row.get(0, String[].class)).one().block();
        assertThat(stored).contains("AUDIO_OUTPUT");
        String filter = "filter: {search: \"gpt-4o-audio-preview\"}, first: 1";
        anonymous().document("{ models(" + filter + ") { nodes { name capabilities company { slug } } } }")
                .execute().errors().verify()
                .path("models.nodes[0].capabilities").entityList(String.class).containsExactly(stored);
        anonymous().document("{ models(" + filter + ") { edges { cursor node { name capabilities } } } }")
                .execute().errors().verify()
                .path("models.edges[0].node.capabilities").entityList(String.class).containsExactly(stored);
        // without them, the rest of the model is unchanged (positions after the optional column still line up)
        var without = anonymous().document("{ models(" + filter + ") { nodes { name externalId limits { tpm } company { slug name } } } }")
                .execute().errors().verify();
        var with = anonymous().document("{ models(" + filter + ") { nodes { name externalId limits { tpm } company { slug name } capabilities } } }")
                .execute().errors().verify();
        without.path("models.nodes[0].name").entity(String.class).isEqualTo("gpt-4o-audio-preview");
        for (String field : new String[] {"name", "externalId", "limits", "company"}) {
            Object expected = with.path("models.nodes[0]." + field).entity(Object.class).get();
            without.path("models.nodes[0]." + field).entity(Object.class).isEqualTo(expected);
        }
        without.path("models.nodes[0].company.slug").hasValue();
    }

    @Test
    void forwardPagingVisitsEveryVisibleModelOnceInNameOrder() {
        List<ModelNode> all = pageThrough(anonymous(), Map.of(), 7, false);

        assertThat(all).hasSize(visibleCount);
        assertThat(all).extracting(ModelNode::name).doesNotHaveDuplicates().doesNotContain("o1", "grok-3");
        List<String> expected = db.sql("SELECT name FROM model WHERE enabled AND status = 'ACTIVE' ORDER BY name, id")
                .map(row -> row.get("name", String.class)).all().collectList().block();
        assertThat(all).extracting(ModelNode::name).containsExactlyElementsOf(expected);
    }

    @Test
    void backwardPagingReturnsTheSameModelsInTheSameOrder() {
        List<ModelNode> forward = pageThrough(anonymous(), Map.of(), 100, false);
        List<ModelNode> backward = pageThrough(anonymous(), Map.of(), 6, true);

        assertThat(backward).extracting(ModelNode::id).containsExactlyElementsOf(forward.stream().map(ModelNode::id).toList());
    }

    @Test
    void pageInfoAndTotalCountDescribeThePage() {
        Page<ModelNode> first = page(anonymous(), vars("first", 5));
        assertThat(first.totalCount()).isEqualTo(visibleCount);
        assertThat(first.pageInfo().hasNextPage()).isTrue();
        assertThat(first.pageInfo().hasPreviousPage()).isFalse();
        assertThat(first.pageInfo().startCursor()).isEqualTo(first.edges().get(0).cursor());
        assertThat(first.pageInfo().endCursor()).isEqualTo(first.edges().get(4).cursor());

        Page<ModelNode> rest = page(anonymous(), vars("first", 100, "after", first.pageInfo().endCursor()));
        assertThat(rest.nodes()).hasSize(visibleCount - 5);
        assertThat(rest.pageInfo().hasNextPage()).isFalse();
        assertThat(rest.pageInfo().hasPreviousPage()).isTrue();
        assertThat(rest.totalCount()).isEqualTo(visibleCount);
    }

    @Test
    void pagingIsStableWhenModelsAreInsertedBetweenPages() {
        Page<ModelNode> first = page(admin(), vars("first", 10));
        // Both new rows sort inside the first page; keyset paging must neither repeat nor skip rows.
        db.sql("INSERT INTO model (name) VALUES ('aaa-inserted-during-paging'), ('b-inserted-during-paging')").then().block();
        try {
            Page<ModelNode> second = page(admin(), vars("first", 10, "after", first.pageInfo().endCursor()));
            List<String> expected = db.sql("SELECT name FROM model WHERE status = 'ACTIVE' AND name > :last ORDER BY name, id LIMIT 10")
                    .bind("last", first.nodes().get(9).name())
                    .map(row -> row.get("name", String.class)).all().collectList().block();
            assertThat(second.nodes()).extracting(ModelNode::name).containsExactlyElementsOf(expected)
                    .doesNotContainAnyElementsOf(first.nodes().stream().map(ModelNode::name).toList());
        } finally {
            db.sql("DELETE FROM model WHERE name LIKE '%inserted-during-paging'").then().block();
        }
    }

    @ParameterizedTest
    @CsvSource({"INPUT_PRICE,ASC", "INPUT_PRICE,DESC", "OUTPUT_PRICE,ASC", "OUTPUT_PRICE,DESC",
            "CONTEXT_WINDOW,ASC", "CONTEXT_WINDOW,DESC", "CREATED_AT,ASC", "CREATED_AT,DESC", "NAME,ASC", "NAME,DESC"})
    void everyOrderIsTotalAndSurvivesPaging(String field, String direction) {
        Map<String, Object> order = Map.of("orderBy", Map.of("field", field, "direction", direction));
        List<ModelNode> paged = pageThrough(anonymous(), order, 9, false);
        List<ModelNode> oneShot = page(anonymous(), with(order, "first", 100)).nodes();

        assertThat(paged).extracting(ModelNode::id).containsExactlyElementsOf(oneShot.stream().map(ModelNode::id).toList());
        assertThat(paged).hasSize(visibleCount);
        if (!field.equals("NAME") && !field.equals("CREATED_AT")) {
            assertThat(paged).isSortedAccordingTo(expectedOrder(field, direction.equals("DESC")));
        }
        List<ModelNode> backward = pageThrough(anonymous(), order, 8, true);
        assertThat(backward).extracting(ModelNode::id).containsExactlyElementsOf(oneShot.stream().map(ModelNode::id).toList());
    }

    /** Missing values go last whichever the direction; the id breaks ties. */
    private static Comparator<ModelNode> expectedOrder(String field, boolean descending) {
        Function<ModelNode, BigDecimal> key = switch (field) {
            case "INPUT_PRICE" -> node -> node.pricing().inputCostPerToken();
            case "OUTPUT_PRICE" -> node -> node.pricing().outputCostPerToken();
            default -> node -> {
                Integer window = node.limits().maxInputTokens() != null ? node.limits().maxInputTokens() : node.limits().maxTokens();
                return window == null ? null : BigDecimal.valueOf(window);
            };
        };
        Comparator<BigDecimal> values = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
        Comparator<String> ids = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
        return Comparator.comparing(key, Comparator.nullsLast(values)).thenComparing(ModelNode::id, ids);
    }

    @Test
    void pricesAreExactDecimalsPerTokenAndPerMillion() {
        ModelNode gpt4o = page(anonymous(), vars("filter", Map.of("search", "gpt-4o-mini"))).nodes().get(0);
        assertThat(gpt4o.pricing().inputCostPerToken()).isEqualByComparingTo("0.00000015");
        assertThat(gpt4o.pricing().outputCostPerToken()).isEqualByComparingTo("0.0000006");
        assertThat(gpt4o.pricing().inputCostPerMillionTokens()).isEqualByComparingTo("0.15");
        assertThat(gpt4o.pricing().outputCostPerMillionTokens()).isEqualByComparingTo("0.6");
        assertThat(gpt4o.limits().maxInputTokens()).isEqualTo(128000);
        assertThat(gpt4o.company().slug()).isEqualTo("openai");

        // on the wire too: a plain decimal, not scientific notation
        String body = http().post().uri("/graphql").contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "{ model(name: \"gpt-4o-mini\") { pricing { inputCostPerToken } } }"))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).contains("\"inputCostPerToken\":0.00000015").doesNotContain("E-");
    }

    @Test
    void filtersNarrowTheCatalog() {
        assertThat(names(vars("filter", Map.of("companySlug", "anthropic"))))
                .containsExactlyInAnyOrder("claude-opus-4-1", "claude-opus-4", "claude-sonnet-4", "claude-3-7-sonnet", "claude-3-5-haiku");
        String googleId = db.sql("SELECT id::text AS id FROM company WHERE slug = 'google'")
                .map(row -> row.get("id", String.class)).one().block();
        assertThat(names(vars("filter", Map.of("companyId", googleId))))
                .containsExactlyInAnyOrder("gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash", "text-embedding-005");
        assertThat(names(vars("filter", Map.of("search", "SONNET")))).containsExactlyInAnyOrder("claude-sonnet-4", "claude-3-7-sonnet");
        assertThat(names(vars("filter", Map.of("modes", List.of("embedding")))))
                .containsExactlyInAnyOrder("text-embedding-3-small", "text-embedding-3-large", "text-embedding-005", "titan-embed-text-v2", "embed-english-v3");
        assertThat(names(vars("filter", Map.of("capabilities", List.of("AUDIO_OUTPUT"))))).containsExactly("gpt-4o-audio-preview");
        assertThat(names(vars("filter", Map.of("capabilities", List.of("REASONING", "WEB_SEARCH")))))
                .containsExactlyInAnyOrder("gemini-2.5-pro", "gemini-2.5-flash", "grok-4", "grok-3-mini", "claude-sonnet-4");
        assertThat(names(vars("filter", Map.of("free", true)))).containsExactly("llama3.2-local");
        assertThat(names(vars("filter", Map.of("companySlug", "xai", "search", "mini")))).containsExactly("grok-3-mini");
    }

    @Test
    void searchTreatsWildcardsAndQuotesAsText() {
        assertThat(names(vars("filter", Map.of("search", "%")))).isEmpty();
        assertThat(names(vars("filter", Map.of("search", "_")))).isEmpty();
        assertThat(names(vars("filter", Map.of("search", "'; DROP TABLE model; --")))).isEmpty();
        assertThat(names(vars("filter", Map.of("search", "gpt-4.1")))).containsExactlyInAnyOrder("gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano");
    }

    @Test
    void adminsSeeDisabledAndStaleModelsAndMayFilterOnThem() {
        assertThat(page(admin(), vars("first", 100)).nodes()).extracting(ModelNode::name).contains("o1").doesNotContain("grok-3");
        assertThat(names(admin(), vars("filter", Map.of("enabled", false)))).containsExactly("o1");
        assertThat(names(admin(), vars("filter", Map.of("statuses", List.of("STALE"))))).containsExactly("grok-3");
        assertThat(page(admin(), vars("first", 100, "filter", Map.of("statuses", List.of("ACTIVE", "STALE")))).totalCount())
                .isEqualTo(DevCatalog.MODELS_COUNT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"enabled", "statuses"})
    void adminOnlyFiltersAreRefusedToOthers(String filter) {
        Object value = filter.equals("enabled") ? false : List.of("STALE");
        expectError(anonymous(), vars("filter", Map.of(filter, value)), ErrorType.UNAUTHORIZED);
        expectError(user(), vars("filter", Map.of(filter, value)), ErrorType.FORBIDDEN);
    }

    @Test
    void modelByNameHidesDisabledAndStaleModelsFromThePublic() {
        for (String hidden : List.of("o1", "grok-3")) {
            anonymous().documentName("modelByName").variable("name", hidden).execute().path("model").valueIsNull();
            user().documentName("modelByName").variable("name", hidden).execute().path("model").valueIsNull();
            admin().documentName("modelByName").variable("name", hidden).execute().path("model.name").entity(String.class).isEqualTo(hidden);
        }
        anonymous().documentName("modelByName").variable("name", "claude-sonnet-4").execute()
                .path("model.company.slug").entity(String.class).isEqualTo("anthropic")
                .path("model.pricing.inputCostPerMillionTokens").entity(BigDecimal.class).satisfies(p -> assertThat(p).isEqualByComparingTo("3"))
                .path("model.externalId").entity(String.class).satisfies(id -> assertThat(id).hasSize(64));
        anonymous().documentName("modelByName").variable("name", "no-such-model").execute().path("model").valueIsNull();
    }

    @Test
    void modelLookupNeedsExactlyOneValidKey() {
        anonymous().document("{ model { id } }").execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.BAD_REQUEST && e.getMessage().contains("exactly one")).verify();
        anonymous().document("{ model(id: \"not-a-uuid\") { id } }").execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.BAD_REQUEST && e.getMessage().contains("not a valid id")).verify();
        anonymous().document("{ model(id: \"00000000-0000-0000-0000-000000000000\") { id } }").execute()
                .path("model").valueIsNull();
    }

    @Test
    void deploymentsAreForAdminsOnly() {
        admin().documentName("modelDeployments").variable("name", "gpt-4o").execute()
                .path("model.deployments[*].provider").entityList(String.class).contains("openai", "azure").hasSize(2)
                .path("model.deployments[?(@.provider == 'azure')].editable").entityList(Boolean.class).containsExactly(true)
                .path("model.deployments[?(@.provider == 'azure')].params.api_base").entityList(String.class)
                .containsExactly("https://hub-eu.openai.azure.com");
        user().documentName("modelDeployments").variable("name", "gpt-4o").execute()
                .errors().expect(e -> e.getErrorType() == ErrorType.FORBIDDEN).verify()
                .path("model.name").entity(String.class).isEqualTo("gpt-4o")
                .path("model.deployments").valueIsNull();
        anonymous().documentName("modelDeployments").variable("name", "gpt-4o").execute()
                .errors().expect(e -> e.getErrorType() == ErrorType.UNAUTHORIZED).verify()
                .path("model.deployments").valueIsNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"first\": -1}|first must be between 0 and 100",
            "{\"first\": 101}|first must be between 0 and 100",
            "{\"last\": 1000}|last must be between 0 and 100",
            "{\"after\": \"not-a-cursor!\"}|Invalid cursor",
            "{\"after\": \"Zm9v\"}|Invalid cursor",
            "{\"first\": 2, \"last\": 2}|not both",
            "{\"first\": 2, \"before\": \"Zm9v\"}|not both",
            "{\"filter\": {\"companyId\": \"nope\"}}|not a valid id"})
    void badPagingArgumentsAreClearBadRequests(String variables, String message) throws Exception {
        Map<String, Object> vars = new tools.jackson.databind.json.JsonMapper().readValue(variables, Map.class);
        anonymous().documentName("modelsPage").variables(vars).execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.BAD_REQUEST && e.getMessage().contains(message)
                        && !e.getMessage().contains("Exception"))
                .verify();
    }

    @Test
    void aCursorFromAnotherOrderingIsRefused() {
        Page<ModelNode> byPrice = page(anonymous(), vars("first", 2, "orderBy", Map.of("field", "INPUT_PRICE", "direction", "ASC")));
        expectError(anonymous(), vars("after", byPrice.pageInfo().endCursor()), ErrorType.BAD_REQUEST);
    }

    @Test
    void aForgedCursorWithTheRightShapeButBadValuesIsRefused() {
        String forged = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("models:INPUT_PRICE:ASC\u001fDROP TABLE\u001fnot-a-uuid".getBytes());
        expectError(anonymous(), vars("after", forged, "orderBy", Map.of("field", "INPUT_PRICE", "direction", "ASC")),
                ErrorType.BAD_REQUEST);
    }

    @Test
    void aPageWithoutRowsStillCountsEveryMatchingModel() {
        // the count rides on the page's rows; past the last one it is asked for on its own
        Page<ModelNode> all = page(anonymous(), vars("first", 100));
        Page<ModelNode> past = page(anonymous(), vars("first", 5, "after", all.edges().get(all.edges().size() - 1).cursor()));
        assertThat(past.edges()).isEmpty();
        assertThat(past.totalCount()).isEqualTo(visibleCount);
        assertThat(page(anonymous(), vars("first", 5, "filter", Map.of("search", "no-such-model"))).totalCount()).isZero();
    }

    @Test
    void firstZeroReturnsOnlyTheCount() {
        Page<ModelNode> empty = page(anonymous(), vars("first", 0));
        assertThat(empty.edges()).isEmpty();
        assertThat(empty.totalCount()).isEqualTo(visibleCount);
    }

    // --- helpers -------------------------------------------------------------------------------

    private List<ModelNode> pageThrough(HttpGraphQlTester tester, Map<String, Object> base, int size, boolean backward) {
        List<ModelNode> all = new ArrayList<>();
        String cursor = null;
        for (int guard = 0; guard < 100; guard++) {
            Map<String, Object> vars = new HashMap<>(base);
            vars.put(backward ? "last" : "first", size);
            if (cursor != null) {
                vars.put(backward ? "before" : "after", cursor);
            }
            Page<ModelNode> page = page(tester, vars);
            assertThat(page.nodes().size()).isLessThanOrEqualTo(size);
            if (backward) {
                all.addAll(0, page.nodes());
            } else {
                all.addAll(page.nodes());
            }
            boolean more = backward ? page.pageInfo().hasPreviousPage() : page.pageInfo().hasNextPage();
            if (!more) {
                return all;
            }
            cursor = backward ? page.pageInfo().startCursor() : page.pageInfo().endCursor();
        }
        throw new AssertionError("paging did not end");
    }

    private Page<ModelNode> page(HttpGraphQlTester tester, Map<String, Object> vars) {
        return tester.documentName("modelsPage").variables(vars).execute()
                .path("models").entity(MODEL_PAGE).get();
    }

    private List<String> names(Map<String, Object> vars) {
        return names(anonymous(), vars);
    }

    private List<String> names(HttpGraphQlTester tester, Map<String, Object> vars) {
        return page(tester, with(vars, "first", 100)).nodes().stream().map(ModelNode::name).toList();
    }

    private void expectError(HttpGraphQlTester tester, Map<String, Object> vars, ErrorType type) {
        GraphQlTester.Response response = tester.documentName("modelsPage").variables(vars).execute();
        response.errors().expect(e -> e.getErrorType() == type).verify();
    }

    private static Map<String, Object> vars(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> map = new HashMap<>(base);
        map.putIfAbsent(key, value);
        return map;
    }
}
