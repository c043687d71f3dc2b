package io.oneuihub.budget;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.IntegrationTest;
import io.oneuihub.dev.LocalIssuer;
import io.oneuihub.dev.litellm.LiteLlmSimulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * budgets(orderBy:), the overSoftBudget and exhausted filters and Budget.utilization, over real HTTP with real
 * tokens, on budgets a real budgets sync brought from the LiteLLM simulator into PostgreSQL. Every expected order
 * is computed here from the budgets' figures (utilization by cross-multiplying, never by the server's quotient),
 * and responses are read with exact decimals (the GraphQL tester's maps would round them to doubles).
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BudgetOrderTest extends GraphQlTestSupport {

    /** Generated per JVM; never a literal in the sources. */
    static final String KEY = "sk-test-" + UUID.randomUUID().toString().replace("-", "");
    static final LiteLlmSimulator sim = LiteLlmSimulator.start(0, KEY);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter LITELLM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");
    private static final Duration SYNC_DEADLINE = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void litellm(DynamicPropertyRegistry registry) {
        registry.add("hub.litellm.base-url", sim::baseUrl);
        registry.add("hub.litellm.master-key", () -> KEY);
        registry.add("hub.litellm.connect-timeout", () -> "500ms");
        registry.add("hub.litellm.response-timeout", () -> "2s");
        registry.add("hub.litellm.max-retries", () -> "1");
        registry.add("hub.litellm.retry-backoff", () -> "20ms");
        registry.add("hub.litellm.page-size", () -> "500");
    }

    record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
    }

    record EdgeRef(String cursor) {
    }

    record BudgetNode(String id, String scope, String externalId, String name, BigDecimal spend, BigDecimal maxBudget,
            BigDecimal softBudget, BigDecimal remaining, BigDecimal utilization, String resetAt, String status) {

        Instant reset() {
            return resetAt == null ? null : OffsetDateTime.parse(resetAt).toInstant();
        }
    }

    record Page(Integer totalCount, PageInfo pageInfo, List<EdgeRef> edges, List<BudgetNode> nodes) {
    }

    record Data(Page budgets) {
    }

    record Response(Data data, List<Map<String, Object>> errors) {
    }

    /** The limits a budget row in LiteLLM gets, and the spend of the one customer on it (null: no customer). */
    record Seed(String externalId, String maxBudget, String softBudget, String spend, String duration, String resetAt) {
    }

    /** One customer per budget row (so each is a CUSTOMER budget with own limits), and two rows nobody uses (SHARED). */
    static final List<Seed> ROWS = List.of(
            new Seed("nolimit", null, null, null, null, null),
            new Seed("zerocap", "0", null, null, "7d", "2027-03-01T00:00:00Z"),
            new Seed("carol", "100", "50", "80", "30d", "2027-01-10T00:00:00Z"),
            new Seed("dave", "3", null, "1", null, null),
            new Seed("erin", "0", null, "0.5", "1d", "2027-01-02T00:00:00Z"),
            new Seed("frank", "200", "150", "250", "30d", "2027-01-10T00:00:00Z"),
            new Seed("grace", null, "10", "12", null, null),
            new Seed("heidi", "40", "30", "10", "7d", "2027-02-01T00:00:00Z"),
            new Seed("ivan", "160", "80", "80", "30d", "2027-01-20T12:30:00.123456Z"),
            new Seed("judy", "100", null, "100", "30d", "2027-01-05T00:00:00Z"),
            new Seed("mallory", "10", null, "9", null, null));

    /** Every ACTIVE budget, as the API lists it without an order; the base of every expected order. */
    private List<BudgetNode> all;

    @BeforeAll
    void seed() {
        clearDatabase();
        sim.reset();
        for (Seed seed : ROWS) {
            String row = seed.spend() == null ? seed.externalId() : "row-" + seed.externalId();
            sim.putBudget(row, dec(seed.maxBudget()), seed.duration());
            sim.changeBudget(row, "soft_budget", dec(seed.softBudget()));
            if (seed.resetAt() != null) {
                sim.changeBudget(row, "budget_reset_at", OffsetDateTime.parse(seed.resetAt()).format(LITELLM_TIME));
            }
            if (seed.spend() != null) {
                sim.putCustomer(seed.externalId(), row, dec(seed.spend()));
            }
        }
        sim.putUser("kim@corp.example", dec("50"), dec("12.5"));
        sim.putUser("leo@corp.example", dec("7"), BigDecimal.ZERO);
        // Same alias: a tie on NAME. The same duration: LiteLLM's same first reset, a tie on RESET_AT.
        sim.putTeam("t-ops-1", "ops", dec("1000"), dec("999.999999"), "1mo");
        sim.putTeam("t-ops-2", "ops", dec("300"), dec("1"), "1mo");
        syncBudgets();

        // Deleting a customer leaves its own budget row in LiteLLM, which the hub then shows as a SHARED budget:
        // delete that too. Both stay in the table as tombstones until a later sync purges them.
        for (String externalId : List.of("mallory", "row-mallory")) {
            String id = db.sql("SELECT id::text FROM budget WHERE external_id = :key AND deleted_at IS NULL").bind("key", externalId)
                    .map(r -> r.get(0, String.class)).one().block();
            assertThat(id).as("budget %s", externalId).isNotNull();
            admin().documentName("deleteBudget").variable("input", Map.of("id", id)).execute()
                    .path("deleteBudget.userErrors").entityList(Object.class).hasSize(0)
                    .path("deleteBudget.deletedId").entity(String.class).isEqualTo(id);
        }
        assertThat(db.sql("SELECT count(*) FILTER (WHERE deleted_at IS NOT NULL) AS gone, count(*) AS n FROM budget"
                        + " WHERE external_id IN ('mallory', 'row-mallory')")
                .map(r -> r.get("gone", Long.class) + "/" + r.get("n", Long.class)).one().block()).isEqualTo("2/2");

        all = budgets(vars("first", 100)).nodes();
    }

    @Test
    void theBudgetsAreWhatLiteLlmHolds() {
        assertThat(all).extracting(BudgetNode::name).containsExactlyInAnyOrder("nolimit", "zerocap", "carol", "dave", "erin", "frank",
                "grace", "heidi", "ivan", "judy", "kim@corp.example", "leo@corp.example", "ops", "ops");
        Map<String, BudgetNode> byKey = all.stream().collect(Collectors.toMap(BudgetNode::externalId, n -> n));
        for (Seed seed : ROWS) {
            if (seed.externalId().equals("mallory")) {
                continue;
            }
            BudgetNode node = byKey.get(seed.externalId());
            assertThat(node.scope()).isEqualTo(seed.spend() == null ? "SHARED" : "CUSTOMER");
            assertThat(node.maxBudget()).isEqualTo(dec(seed.maxBudget()));
            assertThat(node.softBudget()).isEqualTo(dec(seed.softBudget()));
            assertThat(node.spend()).isEqualTo(seed.spend() == null ? BigDecimal.ZERO : dec(seed.spend()));
            assertThat(node.reset()).isEqualTo(seed.resetAt() == null ? null : Instant.parse(seed.resetAt()));
        }
        assertThat(byKey.get("t-ops-1").reset()).isNotNull().isEqualTo(byKey.get("t-ops-2").reset());
        assertThat(byKey.get("t-ops-1").spend()).isEqualTo(dec("999.999999"));
        assertThat(byKey.get("kim@corp.example").reset()).isNull();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"NAME,ASC", "NAME,DESC", "SPEND,ASC", "SPEND,DESC", "REMAINING,ASC", "REMAINING,DESC",
            "UTILIZATION,ASC", "UTILIZATION,DESC", "RESET_AT,ASC", "RESET_AT,DESC"})
    void everyOrderPagesForwardAndBackwardInTheExpectedOrder(String field, String direction) {
        List<String> expected = all.stream().sorted(expectedOrder(field, direction.equals("DESC"))).map(BudgetNode::id).toList();
        // ties on the value, broken by the id, are part of every field's data
        Map<Object, Long> values = all.stream().filter(hasValue(field)).collect(Collectors.groupingBy(value(field), Collectors.counting()));
        assertThat(values.values()).as("a tie on %s", field).anyMatch(n -> n > 1);

        Map<String, Object> order = vars("orderBy", Map.of("field", field, "direction", direction));
        assertThat(pageThrough(order, 2, false)).extracting(BudgetNode::id).containsExactlyElementsOf(expected);
        assertThat(pageThrough(order, 2, true)).extracting(BudgetNode::id).containsExactlyElementsOf(expected);
        assertThat(budgets(with(order, "first", 100)).nodes()).extracting(BudgetNode::id).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"REMAINING", "UTILIZATION", "RESET_AT"})
    void budgetsWithoutTheValueSortLastInBothDirections(String field) {
        List<String> without = all.stream().filter(hasValue(field).negate()).map(BudgetNode::id).sorted().toList();
        assertThat(without).hasSizeGreaterThanOrEqualTo(2);
        for (String direction : List.of("ASC", "DESC")) {
            List<BudgetNode> sorted = budgets(vars("first", 100, "orderBy", Map.of("field", field, "direction", direction))).nodes();
            List<String> tail = sorted.subList(sorted.size() - without.size(), sorted.size()).stream().map(BudgetNode::id).toList();
            // among themselves, by id in the direction asked for
            assertThat(tail).as("%s %s", field, direction)
                    .containsExactlyElementsOf(direction.equals("ASC") ? without : reversed(without));
        }
        if (field.equals("UTILIZATION")) {
            // a maxBudget of 0 has no share to show, and sorts with the budgets without a maxBudget
            assertThat(all.stream().filter(hasValue(field).negate()).map(BudgetNode::name))
                    .containsExactlyInAnyOrder("nolimit", "grace", "zerocap", "erin");
        }
    }

    @Test
    void withoutOrderByBudgetsStayInScopeThenExternalIdOrder() {
        List<String> expected = all.stream()
                .sorted(Comparator.comparing(BudgetNode::scope).thenComparing(BudgetNode::externalId).thenComparing(BudgetNode::id))
                .map(BudgetNode::externalId).toList();
        assertThat(expected).startsWith("carol", "dave").endsWith("t-ops-1", "t-ops-2", "kim@corp.example", "leo@corp.example");
        assertThat(pageThrough(vars(), 2, false)).extracting(BudgetNode::externalId).containsExactlyElementsOf(expected);
        assertThat(pageThrough(vars(), 2, true)).extracting(BudgetNode::externalId).containsExactlyElementsOf(expected);
    }

    @Test
    void anOrderWithoutFieldOrDirectionIsByNameAscending() {
        List<String> expected = all.stream().sorted(expectedOrder("NAME", false)).map(BudgetNode::id).toList();
        assertThat(budgets(vars("first", 100, "orderBy", Map.of())).nodes()).extracting(BudgetNode::id).containsExactlyElementsOf(expected);
        assertThat(budgets(vars("first", 100, "orderBy", Map.of("direction", "DESC"))).nodes()).extracting(BudgetNode::id)
                .containsExactlyElementsOf(reversed(expected));
    }

    @Test
    void overSoftBudgetSplitsTheBudgetsInTwo() {
        // spend >= softBudget, the equal one (ivan: 80 of 80) included; grace has a soft budget and no hard one
        assertThat(names(Map.of("overSoftBudget", true))).containsExactlyInAnyOrder("carol", "frank", "grace", "ivan");
        // everything else: under the soft budget, or without one
        assertThat(names(Map.of("overSoftBudget", false))).containsExactlyInAnyOrder("nolimit", "zerocap", "dave", "erin", "heidi",
                "judy", "kim@corp.example", "leo@corp.example", "ops", "ops");
        assertThat(budgets(vars("first", 0, "filter", Map.of("overSoftBudget", true))).totalCount()).isEqualTo(4);
    }

    @Test
    void exhaustedSplitsTheBudgetsInTwo() {
        // spend >= maxBudget: judy spent exactly 100 of 100; a maxBudget of 0 allows nothing, spent or not
        assertThat(names(Map.of("exhausted", true))).containsExactlyInAnyOrder("zerocap", "erin", "frank", "judy");
        // everything else, budgets without a maxBudget (nolimit, grace) too
        assertThat(names(Map.of("exhausted", false))).containsExactlyInAnyOrder("nolimit", "carol", "dave", "grace", "heidi", "ivan",
                "kim@corp.example", "leo@corp.example", "ops", "ops");
        assertThat(budgets(vars("first", 0, "filter", Map.of("exhausted", false))).totalCount()).isEqualTo(10);
    }

    @Test
    void theFiltersComposeWithScopesSearchAndEachOther() {
        assertThat(names(Map.of("exhausted", true, "scopes", List.of("CUSTOMER")))).containsExactlyInAnyOrder("erin", "frank", "judy");
        assertThat(names(Map.of("exhausted", false, "scopes", List.of("SHARED")))).containsExactly("nolimit");
        assertThat(names(Map.of("overSoftBudget", true, "exhausted", true))).containsExactly("frank");
        assertThat(names(Map.of("overSoftBudget", false, "exhausted", false, "scopes", List.of("USER", "TEAM"))))
                .containsExactlyInAnyOrder("kim@corp.example", "leo@corp.example", "ops", "ops");
        assertThat(names(Map.of("overSoftBudget", true, "search", "AN"))).containsExactlyInAnyOrder("frank", "ivan");
        // STALE budgets only when asked for: there are none here
        assertThat(names(Map.of("exhausted", true, "statuses", List.of("STALE")))).isEmpty();

        // filtered and ordered, in pages of one: the most used first, the ones without a share last
        Map<String, Object> worst = vars("filter", Map.of("exhausted", true), "orderBy", Map.of("field", "UTILIZATION", "direction", "DESC"));
        List<String> expected = all.stream().filter(n -> n.maxBudget() != null && n.spend().compareTo(n.maxBudget()) >= 0)
                .sorted(expectedOrder("UTILIZATION", true)).map(BudgetNode::name).toList();
        assertThat(expected).startsWith("frank", "judy").hasSize(4);
        assertThat(pageThrough(worst, 1, false)).extracting(BudgetNode::name).containsExactlyElementsOf(expected);
        assertThat(pageThrough(worst, 1, true)).extracting(BudgetNode::name).containsExactlyElementsOf(expected);
    }

    @Test
    void utilizationIsTheExactQuotientOfSpendAndMaxBudget() {
        Map<String, BigDecimal> utilization = new HashMap<>();
        budgets(vars("first", 100)).nodes().forEach(n -> utilization.put(n.externalId(), n.utilization()));
        // BigDecimal.equals: the scale counts, so 0.8 is not 0.80 nor 0.8000000000000000000000000000000000
        assertThat(utilization.get("carol")).isEqualTo(new BigDecimal("0.8"));
        assertThat(utilization.get("frank")).isEqualTo(new BigDecimal("1.25"));
        assertThat(utilization.get("judy")).isEqualTo(new BigDecimal("1"));
        assertThat(utilization.get("ivan")).isEqualTo(new BigDecimal("0.5"));
        assertThat(utilization.get("heidi")).isEqualTo(new BigDecimal("0.25"));
        assertThat(utilization.get("kim@corp.example")).isEqualTo(new BigDecimal("0.25"));
        assertThat(utilization.get("leo@corp.example")).isEqualTo(new BigDecimal("0"));
        assertThat(utilization.get("t-ops-1")).isEqualTo(new BigDecimal("0.999999999"));
        // no end: 34 significant digits, rounded
        assertThat(utilization.get("dave")).isEqualTo(new BigDecimal("0." + "3".repeat(34)));
        assertThat(utilization.get("t-ops-2")).isEqualTo(new BigDecimal("0.00" + "3".repeat(34)));
        // no maxBudget, or a maxBudget of 0
        assertThat(utilization).containsEntry("nolimit", null).containsEntry("grace", null)
                .containsEntry("zerocap", null).containsEntry("erin", null);

        String body = rawBudgets(vars("first", 100, "filter", Map.of("search", "t-ops-2")));
        assertThat(body).contains("\"utilization\":0.00" + "3".repeat(34) + ",").doesNotContain("E-");
    }

    @Test
    void tombstonedBudgetsStayInvisibleInEveryOrderAndFilter() {
        assertThat(all).extracting(BudgetNode::externalId).doesNotContain("mallory", "row-mallory");
        for (String field : List.of("NAME", "SPEND", "REMAINING", "UTILIZATION", "RESET_AT")) {
            Page page = budgets(vars("first", 100, "orderBy", Map.of("field", field, "direction", "DESC")));
            assertThat(page.nodes()).extracting(BudgetNode::externalId).doesNotContain("mallory", "row-mallory");
            assertThat(page.totalCount()).isEqualTo(all.size());
        }
        // 9 of 10 spent and its row still in the table: a leak would show here
        assertThat(names(Map.of("overSoftBudget", false, "exhausted", false, "search", "mallory"))).isEmpty();
    }

    @Test
    void aCursorFromAnotherOrderingIsRefused() {
        Map<String, Object> bySpend = vars("orderBy", Map.of("field", "SPEND", "direction", "ASC"));
        String spendCursor = budgets(with(bySpend, "first", 2)).pageInfo().endCursor();
        String defaultCursor = budgets(vars("first", 2)).pageInfo().endCursor();

        expectAnotherOrdering(vars("first", 2, "after", spendCursor, "orderBy", Map.of("field", "SPEND", "direction", "DESC")), "after");
        expectAnotherOrdering(vars("last", 2, "before", spendCursor, "orderBy", Map.of("field", "REMAINING", "direction", "ASC")), "before");
        expectAnotherOrdering(vars("first", 2, "after", spendCursor), "after");
        expectAnotherOrdering(vars("first", 2, "after", defaultCursor, "orderBy", Map.of("field", "NAME", "direction", "ASC")), "after");
        // the right ordering still takes it
        assertThat(budgets(with(bySpend, "first", 100, "after", spendCursor)).nodes()).hasSize(all.size() - 2);
    }

    @Test
    void forgedCursorsAreRefusedAsInvalid() {
        String id = all.get(0).id();
        for (String forged : List.of("budgets:SPEND:ASC\u001f1e100000\u001f" + id, "budgets:SPEND:ASC\u001f0; DROP TABLE budget\u001f" + id,
                "budgets:RESET_AT:ASC\u001ftomorrow\u001f" + id, "budgets:UTILIZATION:ASC\u001f0." + "1".repeat(120) + "\u001f" + id)) {
            String field = forged.split(":")[1];
            admin().documentName("budgetsOrdered")
                    .variables(vars("first", 2, "after", encode(forged), "orderBy", Map.of("field", field, "direction", "ASC")))
                    .execute().errors()
                    .expect(e -> e.getErrorType() == ErrorType.BAD_REQUEST && e.getMessage().contains("Invalid cursor in 'after'"))
                    .verify();
        }
        // the sentinel a budget without a reset time carries is a cursor like any other
        Page after = budgets(vars("first", 100, "after", encode("budgets:RESET_AT:ASC\u001finfinity\u001f00000000-0000-0000-0000-000000000000"),
                "orderBy", Map.of("field", "RESET_AT", "direction", "ASC")));
        assertThat(after.nodes()).extracting(BudgetNode::resetAt).hasSize((int) all.stream().filter(n -> n.resetAt() == null).count())
                .containsOnlyNulls();
    }

    @Test
    void onlyAdminsMayOrderAndFilterBudgets() {
        Map<String, Object> variables = vars("first", 2, "filter", Map.of("exhausted", true),
                "orderBy", Map.of("field", "UTILIZATION", "direction", "DESC"));
        user().documentName("budgetsOrdered").variables(variables).execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.FORBIDDEN).verify();
        anonymous().documentName("budgetsOrdered").variables(variables).execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.UNAUTHORIZED).verify();
    }

    // --- the expected orders, from the figures ----------------------------------------------------------------

    /** The value ordered by, and whether a budget has it; missing values sort last whichever the direction. */
    private static Comparator<BudgetNode> expectedOrder(String field, boolean descending) {
        Comparator<BudgetNode> byValue = switch (field) {
            case "NAME" -> Comparator.comparing(BudgetOrderTest::nameOf);
            case "SPEND" -> Comparator.comparing(BudgetNode::spend);
            case "REMAINING" -> Comparator.comparing(n -> n.maxBudget().subtract(n.spend()));
            // s1 / m1 < s2 / m2 iff s1 * m2 < s2 * m1 (both maxBudgets > 0): exact, no division
            case "UTILIZATION" -> (a, b) -> a.spend().multiply(b.maxBudget()).compareTo(b.spend().multiply(a.maxBudget()));
            case "RESET_AT" -> Comparator.comparing(BudgetNode::reset);
            default -> throw new IllegalArgumentException(field);
        };
        Predicate<BudgetNode> has = hasValue(field);
        Comparator<BudgetNode> values = (a, b) -> {
            if (has.test(a) != has.test(b)) {
                return has.test(a) ? -1 : 1;
            }
            if (!has.test(a)) {
                return 0;
            }
            int c = byValue.compare(a, b);
            return descending ? -c : c;
        };
        // uuids as PostgreSQL orders them: by their bytes, which is the order of their lowercase text
        return values.thenComparing(BudgetNode::id, descending ? Comparator.reverseOrder() : Comparator.naturalOrder());
    }

    private static Predicate<BudgetNode> hasValue(String field) {
        return switch (field) {
            case "REMAINING" -> n -> n.maxBudget() != null;
            case "UTILIZATION" -> n -> n.maxBudget() != null && n.maxBudget().signum() != 0;
            case "RESET_AT" -> n -> n.resetAt() != null;
            default -> n -> true;
        };
    }

    /** The value ordered by, for finding ties (decimals stripped so that 0 and 0.00 group together). */
    private static Function<BudgetNode, Object> value(String field) {
        return switch (field) {
            case "NAME" -> BudgetOrderTest::nameOf;
            case "SPEND" -> n -> n.spend().stripTrailingZeros();
            case "REMAINING" -> n -> n.maxBudget().subtract(n.spend()).stripTrailingZeros();
            case "UTILIZATION" -> n -> n.spend().divide(n.maxBudget(), java.math.MathContext.DECIMAL128).stripTrailingZeros();
            case "RESET_AT" -> BudgetNode::reset;
            default -> throw new IllegalArgumentException(field);
        };
    }

    private static String nameOf(BudgetNode n) {
        return n.name() != null ? n.name() : n.externalId() != null ? n.externalId() : "";
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private void syncBudgets() {
        String runId = admin().documentName("syncBudgets").variable("dryRun", false).execute()
                .path("syncBudgets.userErrors").entityList(Object.class).hasSize(0)
                .path("syncBudgets.run.id").entity(String.class).get();
        long deadline = System.nanoTime() + SYNC_DEADLINE.toNanos();
        while (true) {
            String status = admin().documentName("syncRun").variable("id", runId).execute()
                    .path("syncRun.status").entity(String.class).get();
            if (!status.equals("RUNNING")) {
                assertThat(status).isEqualTo("SUCCEEDED");
                return;
            }
            assertThat(System.nanoTime()).as("budgets sync %s still running", runId).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private List<BudgetNode> pageThrough(Map<String, Object> base, int size, boolean backward) {
        List<BudgetNode> seen = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages <= all.size(); pages++) {
            Map<String, Object> vars = new HashMap<>(base);
            vars.put(backward ? "last" : "first", size);
            if (cursor != null) {
                vars.put(backward ? "before" : "after", cursor);
            }
            Page page = budgets(vars);
            assertThat(page.nodes()).hasSizeLessThanOrEqualTo(size);
            assertThat(page.edges()).hasSameSizeAs(page.nodes());
            if (backward) {
                seen.addAll(0, page.nodes());
            } else {
                seen.addAll(page.nodes());
            }
            boolean more = backward ? page.pageInfo().hasPreviousPage() : page.pageInfo().hasNextPage();
            if (!more) {
                return seen;
            }
            assertThat(page.nodes()).as("a page that says more follows").hasSize(size);
            cursor = backward ? page.pageInfo().startCursor() : page.pageInfo().endCursor();
        }
        throw new AssertionError("paging did not end after " + all.size() + " pages");
    }

    private List<String> names(Map<String, Object> filter) {
        return budgets(vars("first", 100, "filter", filter)).nodes().stream().map(BudgetNode::name).toList();
    }

    private Page budgets(Map<String, Object> vars) {
        Response response = JSON.readValue(rawBudgets(vars), Response.class);
        assertThat(response.errors()).as("errors for %s", vars).isNullOrEmpty();
        return response.data().budgets();
    }

    /** The response body as the server wrote it: the decimals as sent. */
    private String rawBudgets(Map<String, Object> vars) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("query", DOCUMENT);
        request.put("variables", vars);
        return http().post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .header("Authorization", "Bearer " + LocalIssuer.adminToken())
                .bodyValue(request)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    private void expectAnotherOrdering(Map<String, Object> vars, String argument) {
        HttpGraphQlTester admin = admin();
        admin.documentName("budgetsOrdered").variables(vars).execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.BAD_REQUEST
                        && e.getMessage().contains("The cursor in '" + argument + "' belongs to another ordering"))
                .verify();
    }

    private static final String DOCUMENT = document("budgetsOrdered");

    private static String document(String name) {
        try {
            return new ClassPathResource("graphql-test/" + name + ".graphql").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(String cursor) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.getBytes(StandardCharsets.UTF_8));
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private static BigDecimal dec(String value) {
        return value == null ? null : new BigDecimal(value);
    }

    private static Map<String, Object> vars(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> with(Map<String, Object> base, Object... pairs) {
        Map<String, Object> map = new HashMap<>(base);
        map.putAll(vars(pairs));
        return map;
    }
}
