package io.oneuihub.sync;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.graphql.execution.ErrorType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * spendOverview and budgetSettings against the simulator's own figures (its realistic seed: ten hub budgets after a
 * budgets sync), read over real HTTP.
 */
class SpendOverviewTest extends SyncTestSupport {

    @Test
    void theOverviewAddsLiteLlmsLiveSpendToTheStoredBudgets() {
        sim.seedRealisticCatalog();
        OffsetDateTime before = OffsetDateTime.now();
        SyncRun run = syncBudgets();
        int spendCalls = sim.requestCount("GET", "/global/spend");

        Map<String, Object> overview = overview(3);
        // exact decimals as LiteLLM sent them, not through a double
        assertThat(new BigDecimal(overview.get("globalSpend").toString())).isEqualTo(new BigDecimal("1834.2291"));
        assertThat(new BigDecimal(overview.get("maxBudget").toString())).isEqualByComparingTo("5000");
        // 4 customers, 2 shared rows, 2 users, 2 teams; acme-user-9002 spent 97.5 of pro_tier's soft 80
        assertThat(overview.get("budgets")).isEqualTo(Map.of("total", 10, "overSoftBudget", 1, "exhausted", 0));
        assertThat(topSpenders(overview)).containsExactly("globex-ops=1234.5", "svc-batch=288.04", "9c4e2a1f-6b8d-4f0e-a3c5-7d9b1e2f4a60=212.44817");
        assertThat(OffsetDateTime.parse((String) overview.get("asOf"))).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(OffsetDateTime.parse((String) overview.get("budgetsSyncedAt"))).isAtSameInstantAs(run.finishedAt());
        assertThat(sim.requestCount("GET", "/global/spend")).as("globalSpend and maxBudget share one call").isEqualTo(spendCalls + 1);

        // svc-batch spends its last cent, acme-user-8812 goes over free_tier's 1.00; a sync brings it in
        sim.putUser("svc-batch", new BigDecimal("300.0"), new BigDecimal("300.000000000000"));
        sim.putCustomer("acme-user-8812", "free_tier", new BigDecimal("1.000000000001"));
        sim.globalSpend(new BigDecimal("1835.000000000001"), null);
        syncBudgets();
        overview = overview(null);
        assertThat(overview.get("budgets")).isEqualTo(Map.of("total", 10, "overSoftBudget", 1, "exhausted", 2));
        assertThat(new BigDecimal(overview.get("globalSpend").toString())).isEqualTo(new BigDecimal("1835.000000000001"));
        assertThat(overview.get("maxBudget")).isNull();
        assertThat(topSpenders(overview)).as("five by default").hasSize(5).first().isEqualTo("globex-ops=1234.5");
    }

    @Test
    void noTrafficInTheWindowIsNullSpendAndNoError() {
        sim.seedRealisticCatalog();
        sim.globalSpend(null, null);
        admin().documentName("spendOverview").execute().errors().verify()
                .path("spendOverview.globalSpend").valueIsNull()
                .path("spendOverview.maxBudget").valueIsNull()
                .path("spendOverview.budgets.total").entity(Integer.class).isEqualTo(0)
                .path("spendOverview.topSpenders").entityList(Object.class).hasSize(0)
                .path("spendOverview.budgetsSyncedAt").valueIsNull();
    }

    @Test
    void whenLiteLlmIsDownTheStoredPartsStillAnswer() {
        sim.seedRealisticCatalog();
        syncBudgets();
        sim.pauseListening();
        try {
            var response = admin().documentName("spendOverview").variable("top", 1).execute();
            response.errors().satisfy(errors -> {
                assertThat(errors).extracting(e -> e.getPath()).containsExactlyInAnyOrder("spendOverview.globalSpend", "spendOverview.maxBudget");
                assertThat(errors).allSatisfy(e -> {
                    assertThat(e.getErrorType().toString()).isEqualTo("UPSTREAM_UNAVAILABLE");
                    assertThat(e.getExtensions()).containsEntry("code", "UPSTREAM_UNAVAILABLE");
                    assertThat(e.getMessage()).doesNotContain(KEY);
                });
            });
            response.path("spendOverview.globalSpend").valueIsNull()
                    .path("spendOverview.maxBudget").valueIsNull()
                    .path("spendOverview.budgets.total").entity(Integer.class).isEqualTo(10)
                    .path("spendOverview.topSpenders[0].externalId").entity(String.class).isEqualTo("globex-ops");
        } finally {
            sim.resumeListening();
        }
        admin().documentName("spendOverview").execute().errors().verify()
                .path("spendOverview.globalSpend").entity(BigDecimal.class).isEqualTo(new BigDecimal("1834.2291"));
    }

    @Test
    void topSpendersTakeOneToAHundred() {
        for (int first : new int[] {0, 101, -1}) {
            admin().documentName("spendOverview").variable("top", first).execute().errors()
                    .expect(e -> e.getErrorType() == ErrorType.BAD_REQUEST && e.getMessage().contains("between 1 and 100")).verify();
        }
    }

    @Test
    void settingsOfABudgetsLiteLlmRowAreTyped() {
        sim.seedRealisticCatalog();
        syncBudgets();
        List<Map<String, Object>> pro = settings(budgetId("SHARED", "pro_tier"));
        assertThat(pro).extracting(s -> s.get("name")).containsExactly("max_budget", "soft_budget", "max_parallel_requests",
                "tpm_limit", "rpm_limit", "budget_duration", "model_max_budget");
        assertThat(setting(pro, "max_budget")).containsEntry("type", "Float").containsEntry("isSet", true)
                .containsEntry("number", null).containsEntry("text", null);
        assertThat(new BigDecimal(setting(pro, "soft_budget").get("amount").toString())).isEqualTo(new BigDecimal("80.0"));
        assertThat(setting(pro, "tpm_limit")).containsEntry("number", 200000).containsEntry("amount", null);
        assertThat(setting(pro, "budget_duration")).containsEntry("text", "30d");
        assertThat(setting(pro, "model_max_budget").get("modelBudgets")).asString().contains("model=gpt-4o", "maxBudget=40.0", "duration=30d");

        // a customer on pro_tier shows pro_tier's row; acme-user-8812 is free_tier's only customer (its own row),
        // which the hub learns from LiteLLM's customer record
        assertThat(settings(budgetId("CUSTOMER", "acme-user-9002"))).isEqualTo(pro);
        List<Map<String, Object>> own = settings(budgetId("CUSTOMER", "acme-user-8812"));
        assertThat(new BigDecimal(setting(own, "max_budget").get("amount").toString())).isEqualByComparingTo("1");
        assertThat(setting(own, "rpm_limit")).containsEntry("number", 10);
        assertThat(setting(own, "soft_budget")).containsEntry("isSet", false).containsEntry("amount", null).containsEntry("value", null);
        assertThat(setting(own, "model_max_budget")).containsEntry("isSet", false).containsEntry("modelBudgets", null);

        // LiteLLM lost the row since the last sync: it answers with unset values, and so does the hub
        String sandbox = budgetId("SHARED", "weekly-sandbox");
        sim.removeBudget("weekly-sandbox");
        assertThat(settings(sandbox)).hasSize(7).allSatisfy(s -> assertThat(s).containsEntry("isSet", false).containsEntry("value", null));
    }

    @Test
    void settingsForAnUnknownOrRowlessBudgetAreClearErrors() {
        sim.seedRealisticCatalog();
        syncBudgets();
        int calls = sim.requestCount("GET", "/budget/settings");
        admin().documentName("budgetSettings").variable("budgetId", "00000000-0000-0000-0000-000000000000").execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.NOT_FOUND && e.getMessage().contains("No budget with id")).verify();
        admin().documentName("budgetSettings").variable("budgetId", "pro_tier").execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.BAD_REQUEST && e.getMessage().contains("not a valid id")).verify();
        admin().documentName("budgetSettings").variable("budgetId", budgetId("USER", "svc-batch")).execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.BAD_REQUEST && e.getMessage().contains("USER budgets have no LiteLLM budget row"))
                .verify();
        // a customer LiteLLM no longer has
        String walkIn = budgetId("CUSTOMER", "acme-user-8812");
        sim.reset();
        admin().documentName("budgetSettings").variable("budgetId", walkIn).execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.NOT_FOUND).verify();
        assertThat(sim.requestCount("GET", "/budget/settings")).as("no settings call for a budget without a row").isEqualTo(calls);
    }

    @Test
    void settingsWhileLiteLlmIsDownNameIt() {
        sim.seedRealisticCatalog();
        syncBudgets();
        String pro = budgetId("SHARED", "pro_tier");
        sim.pauseListening();
        try {
            admin().documentName("budgetSettings").variable("budgetId", pro).execute().errors()
                    .satisfy(errors -> assertThat(errors).singleElement().satisfies(e -> {
                        assertThat(e.getErrorType().toString()).isEqualTo("UPSTREAM_UNAVAILABLE");
                        assertThat(e.getPath()).isEqualTo("budgetSettings");
                    }));
        } finally {
            sim.resumeListening();
        }
    }

    private Map<String, Object> overview(Integer top) {
        var spec = admin().documentName("spendOverview");
        if (top != null) {
            spec = spec.variable("top", top);
        }
        return spec.execute().errors().verify().path("spendOverview").entity(MAP).get();
    }

    @SuppressWarnings("unchecked")
    private static List<String> topSpenders(Map<String, Object> overview) {
        return ((List<Map<String, Object>>) overview.get("topSpenders")).stream()
                .map(b -> b.get("externalId") + "=" + new BigDecimal(b.get("spend").toString()).stripTrailingZeros().toPlainString())
                .toList();
    }

    private List<Map<String, Object>> settings(String budgetId) {
        return admin().documentName("budgetSettings").variable("budgetId", budgetId).execute().errors().verify()
                .path("budgetSettings").entity(LIST_OF_MAPS).get();
    }

    private static Map<String, Object> setting(List<Map<String, Object>> settings, String name) {
        return settings.stream().filter(s -> name.equals(s.get("name"))).findFirst().orElseThrow();
    }

    private String budgetId(String scope, String externalId) {
        return one("SELECT id::text FROM budget WHERE scope = '" + scope + "' AND external_id = '" + externalId + "'");
    }

    private static final org.springframework.core.ParameterizedTypeReference<Map<String, Object>> MAP = new org.springframework.core.ParameterizedTypeReference<>() {
    };
    private static final org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>> LIST_OF_MAPS =
            new org.springframework.core.ParameterizedTypeReference<>() {
    };
}
