package io.oneuihub.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.budget.BudgetRepository;
import io.oneuihub.catalog.CompanyRepository;
import io.oneuihub.catalog.DeploymentRepository;
import io.oneuihub.catalog.ModelRepository;
import io.oneuihub.dev.DevCatalog;
import io.oneuihub.dev.LocalIssuer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.GraphQlSource;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

import static io.oneuihub.security.AccessMatrixTest.Expect.BAD_REQUEST;
import static io.oneuihub.security.AccessMatrixTest.Expect.FORBIDDEN;
import static io.oneuihub.security.AccessMatrixTest.Expect.NOT_FOUND;
import static io.oneuihub.security.AccessMatrixTest.Expect.OK;
import static io.oneuihub.security.AccessMatrixTest.Expect.SUBSCRIBED;
import static io.oneuihub.security.AccessMatrixTest.Expect.UNAUTHORIZED;
import static io.oneuihub.security.AccessMatrixTest.Expect.UPSTREAM_UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of the schema x every kind of caller, over real HTTP (queries, mutations) and
 * graphql-ws (subscriptions), with real tokens from the local issuer. Fails when the schema has an
 * operation with no row here, so nothing new ships unprotected.
 *
 * <p>A row is one line: {@code publicOp(name, document)} (anyone may call it), {@code adminOp(name,
 * document)} (anonymous UNAUTHORIZED, user FORBIDDEN, admin OK) or {@code row(name, document,
 * anonymous, user, admin)}. {@code name} is {@code Type.field}; text after '[' names a variant
 * (a filter, a nested field). Bad tokens (expired, wrong signature, wrong audience) always get
 * HTTP 401, or close code 4401 on the WebSocket. Subscriptions: anonymous sockets are closed with
 * 4401 at connection_init; a user gets an error classified FORBIDDEN.
 */
@SecuredApplicationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixTest extends GraphQlTestSupport {

    /**
     * OK: data and no error. SUBSCRIBED: a subscription is accepted and stays error-free (events may not come).
     * Other values: the caller passed or failed authorization and got an error of exactly this classification.
     */
    enum Expect { OK, SUBSCRIBED, UNAUTHORIZED, FORBIDDEN, BAD_REQUEST, NOT_FOUND, UPSTREAM_UNAVAILABLE }

    enum Caller { ANONYMOUS, USER, ADMIN, EXPIRED, WRONG_SIGNATURE, WRONG_AUDIENCE }

    record Row(String name, String document, Expect anonymous, Expect user, Expect admin) {

        String operation() {
            int variant = name.indexOf('[');
            return variant < 0 ? name : name.substring(0, variant);
        }

        boolean subscription() {
            return name.startsWith("Subscription.");
        }

        Expect expected(Caller caller) {
            return switch (caller) {
                case ANONYMOUS -> anonymous;
                case USER -> user;
                case ADMIN -> admin;
                default -> UNAUTHORIZED;
            };
        }
    }

    static Row publicOp(String name, String document) {
        return new Row(name, document, OK, OK, OK);
    }

    static Row adminOp(String name, String document) {
        return new Row(name, document, UNAUTHORIZED, FORBIDDEN, OK);
    }

    static Row row(String name, String document, Expect anonymous, Expect user, Expect admin) {
        return new Row(name, document, anonymous, user, admin);
    }

    private static final String NO_ID = "00000000-0000-0000-0000-000000000000";

    // ---- the matrix: one line per operation (or variant) ----
    static final List<Row> ROWS = List.of(
            publicOp("Query.companies", "{ companies(first: 2) { totalCount nodes { slug } } }"),
            publicOp("Query.company", "{ company(slug: \"openai\") { name } }"),
            publicOp("Query.models", "{ models(first: 2) { totalCount nodes { name } } }"),
            publicOp("Query.model", "{ model(name: \"gpt-4o\") { name } }"),
            adminOp("Query.models[filter.enabled]", "{ models(filter: {enabled: false}) { totalCount } }"),
            adminOp("Query.models[filter.statuses]", "{ models(filter: {statuses: [STALE]}) { totalCount } }"),
            adminOp("Query.models[Model.deployments]", "{ models(first: 1) { nodes { deployments { externalId } } } }"),
            adminOp("Query.budgets", "{ budgets(first: 2) { totalCount } }"),
            adminOp("Query.budget", "{ budget(id: \"" + NO_ID + "\") { id } }"),
            adminOp("Query.syncRuns", "{ syncRuns(first: 1) { totalCount } }"),
            adminOp("Query.syncRun", "{ syncRun(id: \"" + NO_ID + "\") { id } }"),
            adminOp("Mutation.syncModels", "mutation { syncModels(input: {dryRun: true}) { run { id } userErrors { code } } }"),
            // Refused inputs (a bad slug, no such company): an admin gets past authorization and nothing changes.
            adminOp("Mutation.createCompany", "mutation { createCompany(input: {slug: \"Not A Slug\", name: \"x\"}) { company { id } userErrors { code } } }"),
            adminOp("Mutation.updateCompany", "mutation { updateCompany(input: {id: \"" + NO_ID + "\", name: \"x\"}) { company { id } userErrors { code } } }"),
            adminOp("Mutation.deleteCompany", "mutation { deleteCompany(input: {id: \"" + NO_ID + "\"}) { deletedId userErrors { code } } }"),
            // Refused before LiteLLM is called (a blank name, no such model or deployment): nothing is written anywhere.
            adminOp("Mutation.createModel", "mutation { createModel(input: {name: \" \", litellmModel: \"openai/gpt-4o\"}) { model { id } userErrors { code } } }"),
            adminOp("Mutation.updateModel", "mutation { updateModel(input: {id: \"" + NO_ID + "\", free: true}) { model { id } userErrors { code } } }"),
            adminOp("Mutation.deleteModel", "mutation { deleteModel(input: {id: \"" + NO_ID + "\"}) { deletedId userErrors { code } } }"),
            adminOp("Mutation.addDeployment", "mutation { addDeployment(input: {modelId: \"" + NO_ID + "\", litellmModel: \"openai/gpt-4o\"}) { model { id } userErrors { code } } }"),
            adminOp("Mutation.updateDeployment", "mutation { updateDeployment(input: {id: \"" + NO_ID + "\", limits: {rpm: 1}}) { deployment { id } userErrors { code } } }"),
            adminOp("Mutation.removeDeployment", "mutation { removeDeployment(input: {id: \"" + NO_ID + "\"}) { deletedId userErrors { code } } }"),
            adminOp("Query.budgets[orderBy+filter+utilization]", "{ budgets(first: 2, filter: {exhausted: false, overSoftBudget: true},"
                    + " orderBy: {field: UTILIZATION, direction: DESC}) { nodes { utilization } } }"),
            adminOp("Query.budgets[Budget.sharedBudgetId]", "{ budgets(first: 2) { nodes { sharedBudgetId } } }"),
            // Refused before LiteLLM (an invalid duration, no such budget): an admin gets past authorization.
            adminOp("Mutation.createBudget", "mutation { createBudget(input: {scope: SHARED, externalId: \"x\", duration: \"2mo\"}) { budget { id } userErrors { code } } }"),
            adminOp("Mutation.updateBudget", "mutation { updateBudget(input: {id: \"" + NO_ID + "\", maxBudget: 1}) { budget { id } userErrors { code } } }"),
            adminOp("Mutation.deleteBudget", "mutation { deleteBudget(input: {id: \"" + NO_ID + "\"}) { deletedId userErrors { code } } }"),
            adminOp("Mutation.syncBudgets", "mutation { syncBudgets(input: {dryRun: true}) { run { id } userErrors { code } } }"),
            // No run has this id: an admin gets past authorization to a clean BAD_REQUEST.
            row("Subscription.syncProgress", "subscription { syncProgress(runId: \"" + NO_ID + "\") { phase } }",
                    UNAUTHORIZED, FORBIDDEN, BAD_REQUEST),
            row("Subscription.syncEvents", "subscription { syncEvents { phase } }", UNAUTHORIZED, FORBIDDEN, SUBSCRIBED),
            row("Subscription.budgetAlerts", "subscription { budgetAlerts(kinds: [EXHAUSTED]) { kind budget { id } } }",
                    UNAUTHORIZED, FORBIDDEN, SUBSCRIBED),
            // No LiteLLM listens in this context: an admin gets past authorization to the upstream error.
            row("Query.litellmModels", "{ litellmModels { id } }", UNAUTHORIZED, FORBIDDEN, UPSTREAM_UNAVAILABLE),
            row("Query.litellmBudgets", "{ litellmBudgets { id } }", UNAUTHORIZED, FORBIDDEN, UPSTREAM_UNAVAILABLE),
            // The stored parts of the overview need no LiteLLM; its live fields do.
            adminOp("Query.spendOverview", "{ spendOverview { budgets { total overSoftBudget exhausted } topSpenders(first: 1) { id } asOf budgetsSyncedAt } }"),
            row("Query.spendOverview[SpendOverview.globalSpend]", "{ spendOverview { globalSpend maxBudget } }",
                    UNAUTHORIZED, FORBIDDEN, UPSTREAM_UNAVAILABLE),
            // No budget has this id: an admin gets past authorization to a clean NOT_FOUND, and LiteLLM is not asked.
            row("Query.budgetSettings", "{ budgetSettings(budgetId: \"" + NO_ID + "\") { name } }", UNAUTHORIZED, FORBIDDEN, NOT_FOUND),
            adminOp("Subscription.securityProbe", "subscription { securityProbe(ticks: 2, intervalMs: 10) }"));

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired GraphQlSource graphQlSource;
    @Autowired CompanyRepository companies;
    @Autowired ModelRepository models;
    @Autowired DeploymentRepository deployments;
    @Autowired BudgetRepository budgets;

    @BeforeAll
    void seed() {
        clearDatabase();
        DevCatalog.seed(companies, models, deployments, budgets).block();
    }

    private Map<Caller, String> tokens;

    private Map<Caller, String> tokens() {
        if (tokens == null) {
            Map<String, Object> admin = Map.of("roles", List.of("admin"));
            String valid = LocalIssuer.token("admin@example.com", admin, Duration.ofHours(1));
            String other = LocalIssuer.token("someone@example.com", Map.of("roles", List.of("user")), Duration.ofHours(1));
            String[] parts = valid.split("\\.");
            String forged = parts[0] + "." + parts[1] + "." + other.split("\\.")[2];
            tokens = new java.util.EnumMap<>(Caller.class);
            tokens.put(Caller.USER, LocalIssuer.userToken());
            tokens.put(Caller.ADMIN, LocalIssuer.adminToken());
            tokens.put(Caller.EXPIRED, LocalIssuer.token("admin@example.com", admin, Duration.ofHours(-2)));
            tokens.put(Caller.WRONG_SIGNATURE, forged);
            tokens.put(Caller.WRONG_AUDIENCE, LocalIssuer.token(LocalIssuer.ISSUER_ID, "admin@example.com",
                    List.of("another-service"), admin, Duration.ofHours(1)));
            assertThat(new String(Base64.getUrlDecoder().decode(parts[1]))).contains("\"aud\"");
        }
        return tokens;
    }

    Stream<Arguments> cases() {
        return ROWS.stream().flatMap(row -> Stream.of(Caller.values()).map(caller -> Arguments.of(row.name(), caller, row)));
    }

    @Test
    void everyOperationOfTheSchemaHasARow() {
        GraphQLSchema schema = graphQlSource.schema();
        Set<String> operations = new TreeSet<>();
        for (GraphQLObjectType root : Stream.of(schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType())
                .filter(java.util.Objects::nonNull).toList()) {
            for (GraphQLFieldDefinition field : root.getFieldDefinitions()) {
                operations.add(root.getName() + "." + field.getName());
            }
        }
        Set<String> covered = ROWS.stream().map(Row::operation).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(operations);
        missing.removeAll(covered);
        Set<String> unknown = new TreeSet<>(covered);
        unknown.removeAll(operations);
        assertThat(missing).as("operations without a row in AccessMatrixTest.ROWS").isEmpty();
        assertThat(unknown).as("rows for operations the schema does not have").isEmpty();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cases")
    void callerGetsExactlyTheExpectedOutcome(String name, Caller caller, Row row) {
        Expect expected = row.expected(caller);
        String token = caller == Caller.ANONYMOUS ? null : tokens().get(caller);
        boolean badToken = caller.ordinal() >= Caller.EXPIRED.ordinal();
        if (row.subscription()) {
            Duration wait = expected == Expect.SUBSCRIBED ? Duration.ofMillis(1500) : Duration.ofSeconds(10);
            GraphQlWsClient.Result result = GraphQlWsClient.run(port, token, row.document(), 1, wait);
            if (badToken || caller == Caller.ANONYMOUS) {
                assertThat(result.acked()).as("connection_ack: %s", result).isFalse();
                assertThat(result.closeCode()).as("close code").isEqualTo(4401);
                assertThat(expected).isEqualTo(UNAUTHORIZED);
                return;
            }
            assertThat(result.acked()).as("connection_ack: %s", result).isTrue();
            if (expected == OK) {
                assertThat(result.errorClassification()).as(result.messages().toString()).isNull();
                assertThat(result.dataEvents()).as(result.messages().toString()).isGreaterThanOrEqualTo(1);
            } else if (expected == Expect.SUBSCRIBED) {
                assertThat(result.errorClassification()).as(result.messages().toString()).isNull();
                assertThat(result.ofType("complete")).as(result.messages().toString()).isEmpty();
            } else {
                assertThat(result.errorClassification()).as(result.messages().toString()).isEqualTo(expected.name());
            }
            return;
        }
        var request = http().post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .headers(headers -> {
                    if (token != null) {
                        headers.setBearerAuth(token);
                    }
                })
                .bodyValue(Map.of("query", row.document()));
        if (badToken) {
            request.exchange().expectStatus().isUnauthorized()
                    .expectHeader().valueMatches("WWW-Authenticate", "Bearer.*invalid_token.*");
            return;
        }
        String body = request.exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        Map<?, ?> response = JSON.readValue(body, Map.class);
        List<?> errors = (List<?>) response.get("errors");
        if (expected == OK) {
            assertThat(errors).as(body).isNull();
            return;
        }
        assertThat(errors).as(body).isNotEmpty();
        List<Object> classifications = new ArrayList<>();
        for (Object error : errors) {
            classifications.add(((Map<?, ?>) ((Map<?, ?>) error).get("extensions")).get("classification"));
        }
        assertThat(classifications).as(body).containsOnly(expected.name());
    }
}
