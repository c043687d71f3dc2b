package io.oneuihub.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.IntegrationTest;
import io.oneuihub.dev.LocalIssuer;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ClassPathResource;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

/**
 * createCompany, updateCompany and deleteCompany over real HTTP with real admin tokens, against the real
 * schema in PostgreSQL. Every refusal is checked to leave the catalog tables byte-for-byte as they were.
 */
@IntegrationTest
class CompanyMutationTest extends GraphQlTestSupport {

    record Err(List<String> field, String message, String code) {
    }

    record Named(String name) {
    }

    record CompanyJson(String id, String slug, String name, String description, String logoUrl, String website,
            List<String> providers, String createdAt, String updatedAt, List<Named> models) {
    }

    private static final ParameterizedTypeReference<List<Err>> ERRORS = new ParameterizedTypeReference<>() {
    };

    /**
     * Microsoft owns azure and azure_ai; openai maps to no company. gpt-4o runs on openai and azure (so it is
     * Microsoft's until an OpenAI company claims openai); two models were assigned by hand; gpt-3 is STALE.
     */
    private static final String SEED = """
            INSERT INTO company (slug, name, description, logo_url, website) VALUES
              ('microsoft', 'Microsoft', 'Phi models and Azure OpenAI.', 'https://example.com/microsoft.png', 'https://azure.microsoft.com'),
              ('anthropic', 'Anthropic', 'Makers of Claude.', NULL, 'https://www.anthropic.com');
            INSERT INTO company_provider (provider, company_id)
              SELECT k, (SELECT id FROM company WHERE slug = 'microsoft') FROM unnest(ARRAY['azure', 'azure_ai']) AS k;
            INSERT INTO company_provider (provider, company_id) SELECT 'anthropic', id FROM company WHERE slug = 'anthropic';
            INSERT INTO model (name, company_id, company_manual, status) VALUES
              ('gpt-4o', (SELECT id FROM company WHERE slug = 'microsoft'), false, 'ACTIVE'),
              ('phi-4', (SELECT id FROM company WHERE slug = 'microsoft'), false, 'ACTIVE'),
              ('azure-by-hand', (SELECT id FROM company WHERE slug = 'microsoft'), true, 'ACTIVE'),
              ('gpt-4o-by-hand', (SELECT id FROM company WHERE slug = 'anthropic'), true, 'ACTIVE'),
              ('claude-sonnet-4', (SELECT id FROM company WHERE slug = 'anthropic'), false, 'ACTIVE'),
              ('gpt-3', NULL, false, 'STALE');
            INSERT INTO deployment (model_id, external_id, litellm_model, provider, status)
              SELECT m.id, d.external_id, d.litellm_model, d.provider, d.status
              FROM (VALUES ('gpt-4o', 'dep-gpt-4o-openai', 'openai/gpt-4o', 'openai', 'ACTIVE'),
                           ('gpt-4o', 'dep-gpt-4o-azure', 'azure/gpt-4o-eu', 'azure', 'ACTIVE'),
                           ('phi-4', 'dep-phi-4', 'azure_ai/phi-4', 'azure_ai', 'ACTIVE'),
                           ('azure-by-hand', 'dep-azure-by-hand', 'azure/gpt-4o-us', 'azure', 'ACTIVE'),
                           ('gpt-4o-by-hand', 'dep-gpt-4o-by-hand', 'openai/gpt-4o-2024-11-20', 'openai', 'ACTIVE'),
                           ('claude-sonnet-4', 'dep-claude', 'anthropic/claude-sonnet-4-20250514', 'anthropic', 'ACTIVE'),
                           ('gpt-3', 'dep-gpt-3', 'openai/gpt-3', 'openai', 'STALE'))
                   AS d(model, external_id, litellm_model, provider, status)
              JOIN model m ON m.name = d.model;
            """;

    @Autowired ConnectionFactory connections;

    @BeforeEach
    void seed() {
        clearDatabase();
        db.sql(SEED).then().block();
    }

    // ---- createCompany ----

    @Test
    void createCompanyStoresItAndTakesOverTheModelsThatFollowItsKeys() {
        Map<String, String> deploymentsBefore = rows("deployment", "external_id");
        Map<String, String> modelsBefore = rows("model", "name");

        Map<String, Object> input = new HashMap<>();
        input.put("slug", "openai");
        input.put("name", "  OpenAI ");
        input.put("description", "Makers of GPT.");
        input.put("logoUrl", "https://openai.com/logo.png");
        input.put("website", "https://openai.com");
        input.put("providers", List.of("OpenAI ", "openai", "text-completion-openai"));
        CompanyJson created = payload("createCompany", input);

        assertThat(created.slug()).isEqualTo("openai");
        assertThat(created.name()).isEqualTo("OpenAI");
        assertThat(created.providers()).containsExactly("openai", "text-completion-openai");
        // Tie 1:1 between openai and azure: the maker's own provider beats the hosting cloud, as in the sync.
        assertThat(created.models()).extracting(Named::name).containsExactly("gpt-4o");
        assertThat(created.createdAt()).isEqualTo(created.updatedAt());
        // Microseconds, as stored: a client can send this back as expectedUpdatedAt.
        assertThat(created.updatedAt()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");

        assertThat(company("openai")).containsExactly(entry("slug", "openai"), entry("name", "OpenAI"),
                entry("description", "Makers of GPT."), entry("logo_url", "https://openai.com/logo.png"),
                entry("website", "https://openai.com"), entry("id", created.id()),
                entry("updated_at", OffsetDateTime.parse(created.updatedAt()).toInstant().toString()));
        assertThat(providers()).containsExactly(entry("anthropic", "anthropic"), entry("azure", "microsoft"),
                entry("azure_ai", "microsoft"), entry("openai", "openai"), entry("text-completion-openai", "openai"));
        assertThat(assignments()).containsExactly(
                entry("azure-by-hand", "microsoft (by hand)"),
                entry("claude-sonnet-4", "anthropic"),
                entry("gpt-3", "none"), // STALE, no ACTIVE deployment: the sync would not touch it either
                entry("gpt-4o", "openai"),
                entry("gpt-4o-by-hand", "anthropic (by hand)"), // runs on openai, but an admin chose Anthropic
                entry("phi-4", "microsoft"));
        assertThat(rows("deployment", "external_id")).isEqualTo(deploymentsBefore);
        Map<String, String> modelsAfter = rows("model", "name");
        assertThat(modelsAfter.get("gpt-4o")).isNotEqualTo(modelsBefore.get("gpt-4o"));
        modelsAfter.remove("gpt-4o");
        modelsBefore.remove("gpt-4o");
        assertThat(modelsAfter).isEqualTo(modelsBefore);
    }

    @Test
    void createCompanyRefusesInvalidInputWithFieldPathsAndChangesNothing() {
        Map<String, String> before = tableChecksums();
        Map<String, Object> input = new HashMap<>();
        input.put("slug", "Open AI");
        input.put("name", "   ");
        input.put("logoUrl", "ftp://openai.com/logo.png");
        input.put("website", "openai.com");
        input.put("providers", List.of("openai", "  "));

        assertThat(refused("createCompany", input)).extracting(Err::field, Err::code).containsExactly(
                tuple(List.of("input", "slug"), "INVALID_INPUT"),
                tuple(List.of("input", "name"), "INVALID_INPUT"),
                tuple(List.of("input", "logoUrl"), "INVALID_INPUT"),
                tuple(List.of("input", "website"), "INVALID_INPUT"),
                tuple(List.of("input", "providers", "1"), "INVALID_INPUT"));
        assertThat(tableChecksums()).isEqualTo(before);

        for (String slug : List.of("-openai", "open_ai", "")) {
            input = Map.of("slug", slug, "name", "OpenAI");
            assertThat(refused("createCompany", input)).extracting(Err::field).containsExactly(List.of("input", "slug"));
        }
        assertThat(tableChecksums()).isEqualTo(before);
    }

    @Test
    void createCompanyRefusesATakenSlugAndKeysOfAnotherCompany() {
        Map<String, String> before = tableChecksums();
        List<Err> errors = refused("createCompany", Map.of("slug", "anthropic", "name", "Anthropic again",
                "providers", List.of("openai", " Azure")));

        assertThat(errors).extracting(Err::field, Err::code).containsExactly(
                tuple(List.of("input", "slug"), "CONFLICT"),
                tuple(List.of("input", "providers", "1"), "CONFLICT"));
        assertThat(errors.get(1).message()).contains("'azure'").contains("'microsoft'");
        assertThat(tableChecksums()).isEqualTo(before);
    }

    // ---- updateCompany ----

    @Test
    void updateLeavesAbsentFieldsAndClearsExplicitNulls() {
        String id = id("microsoft");
        Map<String, Object> rename = new HashMap<>();
        rename.put("id", id);
        rename.put("name", "Microsoft Azure");
        CompanyJson renamed = payload("updateCompany", rename);
        assertThat(renamed.name()).isEqualTo("Microsoft Azure");
        assertThat(renamed.description()).isEqualTo("Phi models and Azure OpenAI.");
        assertThat(renamed.logoUrl()).isEqualTo("https://example.com/microsoft.png");
        assertThat(renamed.providers()).containsExactly("azure", "azure_ai");

        Map<String, Object> clear = new HashMap<>();
        clear.put("id", id);
        clear.put("description", null);
        clear.put("logoUrl", null);
        CompanyJson cleared = payload("updateCompany", clear);
        assertThat(cleared.description()).isNull();
        assertThat(cleared.logoUrl()).isNull();
        assertThat(cleared.website()).isEqualTo("https://azure.microsoft.com");

        Map<String, Object> stored = company("microsoft");
        assertThat(stored).containsEntry("name", "Microsoft Azure").containsEntry("description", null)
                .containsEntry("logo_url", null).containsEntry("website", "https://azure.microsoft.com");
        assertThat(providers()).containsEntry("azure", "microsoft").containsEntry("azure_ai", "microsoft");

        Map<String, String> before = tableChecksums();
        for (String required : List.of("slug", "name")) {
            Map<String, Object> nulled = new HashMap<>();
            nulled.put("id", id);
            nulled.put(required, null);
            assertThat(refused("updateCompany", nulled)).extracting(Err::field, Err::code)
                    .containsExactly(tuple(List.of("input", required), "INVALID_INPUT"));
        }
        assertThat(tableChecksums()).isEqualTo(before);
    }

    @Test
    void changingProviderKeysReassignsTheModelsThatFollowThemButNotHandPickedOnes() {
        Map<String, String> deploymentsBefore = rows("deployment", "external_id");
        String microsoft = id("microsoft");
        String anthropic = id("anthropic");

        assertThat(payload("updateCompany", Map.of("id", microsoft, "providers", List.of("azure"))).providers())
                .containsExactly("azure");
        // azure_ai maps to no company now: phi-4 follows it to none; gpt-4o still has azure.
        assertThat(assignments()).containsEntry("phi-4", "none").containsEntry("gpt-4o", "microsoft")
                .containsEntry("azure-by-hand", "microsoft (by hand)");

        assertThat(payload("updateCompany", Map.of("id", anthropic, "providers", List.of("anthropic", "AZURE_AI "))).providers())
                .containsExactly("anthropic", "azure_ai");
        assertThat(assignments()).containsEntry("phi-4", "anthropic");

        Map<String, Object> noKeys = new HashMap<>();
        noKeys.put("id", microsoft);
        noKeys.put("providers", null);
        assertThat(payload("updateCompany", noKeys).providers()).isEmpty();
        assertThat(providers()).containsExactly(entry("anthropic", "anthropic"), entry("azure_ai", "anthropic"));
        assertThat(assignments()).containsExactly(
                entry("azure-by-hand", "microsoft (by hand)"),
                entry("claude-sonnet-4", "anthropic"),
                entry("gpt-3", "none"),
                entry("gpt-4o", "none"),
                entry("gpt-4o-by-hand", "anthropic (by hand)"),
                entry("phi-4", "anthropic"));
        assertThat(rows("deployment", "external_id")).isEqualTo(deploymentsBefore);
    }

    @Test
    void updateRefusesUnknownIdsTakenSlugsKeysOfOthersAndBadUrlsWithoutChangingAnything() {
        Map<String, String> before = tableChecksums();
        String microsoft = id("microsoft");

        assertThat(refused("updateCompany", Map.of("id", UUID.randomUUID().toString(), "name", "Nobody")))
                .extracting(Err::field, Err::code)
                .containsExactly(tuple(List.of("input", "id"), "NOT_FOUND"));
        assertThat(refused("updateCompany", Map.of("id", "not-an-id", "name", "Nobody")))
                .extracting(Err::field, Err::code)
                .containsExactly(tuple(List.of("input", "id"), "INVALID_INPUT"));
        assertThat(refused("updateCompany", Map.of("id", microsoft, "slug", "anthropic")))
                .extracting(Err::field, Err::code)
                .containsExactly(tuple(List.of("input", "slug"), "CONFLICT"));
        // The company row is written before the keys are checked: the refusal must roll that back too.
        List<Err> keys = refused("updateCompany", Map.of("id", microsoft, "name", "Renamed", "providers", List.of("azure", "anthropic")));
        assertThat(keys).extracting(Err::field, Err::code)
                .containsExactly(tuple(List.of("input", "providers", "1"), "CONFLICT"));
        assertThat(keys.get(0).message()).contains("'anthropic'");
        assertThat(refused("updateCompany", Map.of("id", microsoft, "website", "javascript:alert(1)", "logoUrl", "https://")))
                .extracting(Err::field).containsExactly(List.of("input", "logoUrl"), List.of("input", "website"));

        assertThat(tableChecksums()).isEqualTo(before);
    }

    @Test
    void expectedUpdatedAtRefusesAStaleVersionAndAcceptsTheCurrentOne() {
        String id = id("microsoft");
        // As a client does it: the version comes from the API, not from the database.
        String read = admin().documentName("companyState").variable("id", id).execute()
                .path("company.updatedAt").entity(String.class).get();

        CompanyJson first = payload("updateCompany", Map.of("id", id, "name", "Microsoft 1", "expectedUpdatedAt", read));
        assertThat(first.updatedAt()).isNotEqualTo(read);

        Map<String, String> before = tableChecksums();
        assertThat(refused("updateCompany", Map.of("id", id, "name", "Microsoft 2", "expectedUpdatedAt", read)))
                .extracting(Err::field, Err::code)
                .containsExactly(tuple(List.of("input", "expectedUpdatedAt"), "CONFLICT"));
        assertThat(tableChecksums()).isEqualTo(before);

        CompanyJson second = payload("updateCompany", Map.of("id", id, "name", "Microsoft 2", "expectedUpdatedAt", first.updatedAt()));
        assertThat(second.name()).isEqualTo("Microsoft 2");
        assertThat(company("microsoft")).containsEntry("name", "Microsoft 2")
                .containsEntry("updated_at", OffsetDateTime.parse(second.updatedAt()).toInstant().toString());
    }

    @Test
    void twoConcurrentUpdatesFromTheSameVersionLetExactlyOneLand() throws Exception {
        String id = id("microsoft");
        String read = admin().documentName("companyState").variable("id", id).execute()
                .path("company.updatedAt").entity(String.class).get();

        // Hold the row so both updates are inside the database, waiting on it, before either can proceed.
        Connection holder = Mono.from(connections.create()).block();
        CompletableFuture<Map<String, Object>> a;
        CompletableFuture<Map<String, Object>> b;
        try {
            Mono.from(holder.beginTransaction()).block();
            Flux.from(holder.createStatement("SELECT id FROM company WHERE slug = 'microsoft' FOR UPDATE").execute())
                    .flatMap(result -> result.map((row, meta) -> 1)).blockLast();
            a = post(Map.of("id", id, "name", "Winner A", "expectedUpdatedAt", read));
            b = post(Map.of("id", id, "name", "Winner B", "expectedUpdatedAt", read));
            awaitUpdatesWaitingOnTheRow(2);
            Mono.from(holder.commitTransaction()).block();
        } finally {
            Mono.from(holder.close()).block();
        }

        List<Map<String, Object>> results = List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
        List<Map<String, Object>> landed = results.stream().filter(r -> ((List<?>) r.get("userErrors")).isEmpty()).toList();
        List<Map<String, Object>> refused = results.stream().filter(r -> !((List<?>) r.get("userErrors")).isEmpty()).toList();
        assertThat(landed).as("%s", results).hasSize(1);
        assertThat(refused).as("%s", results).hasSize(1);
        assertThat(refused.get(0).get("company")).isNull();
        assertThat((List<?>) refused.get(0).get("userErrors")).singleElement()
                .satisfies(e -> {
                    Map<?, ?> error = (Map<?, ?>) e;
                    assertThat(error.get("code")).isEqualTo("CONFLICT");
                    assertThat(error.get("field")).isEqualTo(List.of("input", "expectedUpdatedAt"));
                });
        String winner = (String) ((Map<?, ?>) landed.get(0).get("company")).get("name");
        assertThat(company("microsoft")).containsEntry("name", winner);
    }

    // ---- deleteCompany ----

    @Test
    void deleteRefusesWhileModelsRemainAndBadTargetsWithoutChangingAnything() {
        Map<String, String> before = tableChecksums();
        String microsoft = id("microsoft");

        List<Err> busy = refusedDelete(Map.of("id", microsoft));
        assertThat(busy).extracting(Err::field, Err::code)
                .containsExactly(tuple(List.of("input", "moveModelsTo"), "CONFLICT"));
        assertThat(busy.get(0).message()).contains("'microsoft'").contains("3 models");
        assertThat(refusedDelete(Map.of("id", microsoft, "moveModelsTo", microsoft))).extracting(Err::field, Err::code)
                .containsExactly(tuple(List.of("input", "moveModelsTo"), "INVALID_INPUT"));
        assertThat(refusedDelete(Map.of("id", microsoft, "moveModelsTo", UUID.randomUUID().toString()))).extracting(Err::field, Err::code)
                .containsExactly(tuple(List.of("input", "moveModelsTo"), "NOT_FOUND"));
        assertThat(refusedDelete(Map.of("id", UUID.randomUUID().toString()))).extracting(Err::field, Err::code)
                .containsExactly(tuple(List.of("input", "id"), "NOT_FOUND"));
        assertThat(refusedDelete(Map.of("id", "microsoft"))).extracting(Err::field, Err::code)
                .containsExactly(tuple(List.of("input", "id"), "INVALID_INPUT"));

        assertThat(tableChecksums()).isEqualTo(before);
    }

    @Test
    void deleteMovesModelsAndProviderKeysToTheTargetKeepingHandPickedMarks() {
        String microsoft = id("microsoft");
        String anthropic = id("anthropic");
        Object anthropicVersion = company("anthropic").get("updated_at");
        Map<String, String> deploymentsBefore = rows("deployment", "external_id");

        admin().documentName("deleteCompany").variable("input", Map.of("id", microsoft, "moveModelsTo", anthropic)).execute()
                .path("deleteCompany.userErrors").entityList(Err.class).hasSize(0)
                .path("deleteCompany.deletedId").entity(String.class).isEqualTo(microsoft);

        assertThat(db.sql("SELECT count(*) AS n FROM company WHERE slug = 'microsoft'").map(r -> r.get("n", Long.class)).one().block())
                .isZero();
        assertThat(assignments()).containsExactly(
                entry("azure-by-hand", "anthropic (by hand)"),
                entry("claude-sonnet-4", "anthropic"),
                entry("gpt-3", "none"),
                entry("gpt-4o", "anthropic"),
                entry("gpt-4o-by-hand", "anthropic (by hand)"),
                entry("phi-4", "anthropic"));
        // The keys move too, so the next sync keeps the moved models where they are.
        assertThat(providers()).containsExactly(entry("anthropic", "anthropic"), entry("azure", "anthropic"),
                entry("azure_ai", "anthropic"));
        assertThat(company("anthropic").get("updated_at")).isNotEqualTo(anthropicVersion);
        assertThat(rows("deployment", "external_id")).isEqualTo(deploymentsBefore);
    }

    @Test
    void deleteOfACompanyWithoutModelsNeedsNoTarget() {
        String id = payload("createCompany", Map.of("slug", "mistral", "name", "Mistral AI", "providers", List.of("mistral"))).id();
        Map<String, String> modelsBefore = rows("model", "name");

        admin().documentName("deleteCompany").variable("input", Map.of("id", id)).execute()
                .path("deleteCompany.userErrors").entityList(Err.class).hasSize(0)
                .path("deleteCompany.deletedId").entity(String.class).isEqualTo(id);

        assertThat(providers()).doesNotContainKey("mistral");
        assertThat(db.sql("SELECT count(*) AS n FROM company WHERE slug = 'mistral'").map(r -> r.get("n", Long.class)).one().block())
                .isZero();
        assertThat(rows("model", "name")).isEqualTo(modelsBefore);
    }

    // ---- who may ----

    @Test
    void anonymousCallersAndPlainUsersChangeNothing() {
        Map<String, String> before = tableChecksums();
        String microsoft = id("microsoft");
        Map<HttpGraphQlTester, ErrorType> callers = Map.of(anonymous(), ErrorType.UNAUTHORIZED, user(), ErrorType.FORBIDDEN);
        callers.forEach((caller, expected) -> {
            caller.documentName("createCompany").variable("input", Map.of("slug", "openai", "name", "OpenAI")).execute()
                    .errors().expect(e -> e.getErrorType() == expected).verify()
                    .path("createCompany").pathDoesNotExist();
            caller.documentName("updateCompany").variable("input", Map.of("id", microsoft, "name", "Hijacked")).execute()
                    .errors().expect(e -> e.getErrorType() == expected).verify()
                    .path("updateCompany").pathDoesNotExist();
            caller.documentName("deleteCompany").variable("input", Map.of("id", microsoft, "moveModelsTo", id("anthropic"))).execute()
                    .errors().expect(e -> e.getErrorType() == expected).verify()
                    .path("deleteCompany").pathDoesNotExist();
        });
        assertThat(tableChecksums()).isEqualTo(before);
    }

    // ---- helpers ----

    private CompanyJson payload(String mutation, Map<String, Object> input) {
        GraphQlTester.Response response = admin().documentName(mutation).variable("input", input).execute();
        response.path(mutation + ".userErrors").entityList(Err.class).hasSize(0);
        return response.path(mutation + ".company").entity(CompanyJson.class).get();
    }

    private List<Err> refused(String mutation, Map<String, Object> input) {
        GraphQlTester.Response response = admin().documentName(mutation).variable("input", input).execute();
        response.path(mutation + ".company").valueIsNull();
        List<Err> errors = response.path(mutation + ".userErrors").entity(ERRORS).get();
        assertThat(errors).isNotEmpty().allSatisfy(e -> assertThat(e.message()).isNotBlank());
        return errors;
    }

    private List<Err> refusedDelete(Map<String, Object> input) {
        GraphQlTester.Response response = admin().documentName("deleteCompany").variable("input", input).execute();
        response.path("deleteCompany.deletedId").valueIsNull();
        return response.path("deleteCompany.userErrors").entity(ERRORS).get();
    }

    private String id(String slug) {
        return db.sql("SELECT id FROM company WHERE slug = :slug").bind("slug", slug)
                .map(row -> row.get("id", UUID.class).toString()).one().block();
    }

    /** The stored company row; updated_at as an instant with all its microseconds. */
    private Map<String, Object> company(String slug) {
        return db.sql("SELECT slug, name, description, logo_url, website, id, updated_at FROM company WHERE slug = :slug")
                .bind("slug", slug)
                .map(row -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (String column : List.of("slug", "name", "description", "logo_url", "website")) {
                        m.put(column, row.get(column, String.class));
                    }
                    m.put("id", row.get("id", UUID.class).toString());
                    m.put("updated_at", row.get("updated_at", OffsetDateTime.class).toInstant().toString());
                    return m;
                })
                .one().block();
    }

    /** provider key -> owner slug, in key order. */
    private Map<String, String> providers() {
        return db.sql("SELECT p.provider, c.slug FROM company_provider p JOIN company c ON c.id = p.company_id ORDER BY p.provider")
                .map(row -> Map.entry(row.get("provider", String.class), row.get("slug", String.class)))
                .all().collectList().block().stream()
                .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll);
    }

    /** model name -> its company's slug ("none"), marked when an admin chose it; in name order. */
    private Map<String, String> assignments() {
        return db.sql("SELECT m.name, coalesce(c.slug, 'none') AS slug, m.company_manual FROM model m "
                        + "LEFT JOIN company c ON c.id = m.company_id ORDER BY m.name")
                .map(row -> Map.entry(row.get("name", String.class),
                        row.get("slug", String.class) + (Boolean.TRUE.equals(row.get("company_manual", Boolean.class)) ? " (by hand)" : "")))
                .all().collectList().block().stream()
                .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll);
    }

    /** Every row of a table as text, keyed by one column: to tell which rows a mutation rewrote. */
    private Map<String, String> rows(String table, String key) {
        return db.sql("SELECT " + key + " AS k, t::text AS v FROM " + table + " t")
                .map(row -> Map.entry(row.get("k", String.class), row.get("v", String.class)))
                .all().collectList().block().stream()
                .collect(HashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll);
    }

    private CompletableFuture<Map<String, Object>> post(Map<String, Object> input) {
        return WebClient.create("http://127.0.0.1:" + port).post().uri("/graphql")
                .headers(h -> h.setBearerAuth(LocalIssuer.adminToken()))
                .bodyValue(Map.of("query", document("updateCompany"), "variables", Map.of("input", input)))
                .retrieve()
                .bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {
                })
                .map(body -> {
                    assertThat(body).as("%s", body).doesNotContainKey("errors");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> payload = (Map<String, Object>) ((Map<?, ?>) body.get("data")).get("updateCompany");
                    return payload;
                })
                .toFuture();
    }

    private void awaitUpdatesWaitingOnTheRow(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            long waiting = db.sql("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                            + "AND query LIKE 'UPDATE company SET updated_at%'")
                    .map(row -> row.get("n", Long.class)).one().block();
            if (waiting == count) {
                return;
            }
            assertThat(System.nanoTime()).as("%d updates waiting on the row, %d expected", waiting, count).isLessThan(deadline);
            Mono.delay(Duration.ofMillis(20)).block();
        }
    }

    private static String document(String name) {
        try {
            return new ClassPathResource("graphql-test/" + name + ".graphql").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
