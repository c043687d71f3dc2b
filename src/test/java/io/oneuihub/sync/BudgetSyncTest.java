package io.oneuihub.sync;

import java.math.BigDecimal;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetSyncTest extends SyncTestSupport {

    @Test
    void spendKeepsSubCentPrecision() {
        sim.seedRealisticCatalog();
        // a handful of embedding calls: far below a micro-dollar per token
        sim.putCustomer("acme-user-9001", "pro_tier", new BigDecimal("0.000001234567"));
        syncBudgets();
        assertThat(one("SELECT spend::text FROM budget WHERE external_id = 'acme-user-9001'")).startsWith("0.000001234567");
    }

    /** Stored and upstream money compare at the column's 12 decimals: sub-cent spend is no phantom update. */
    @Test
    void aResyncOfSubCentSpendChangesNothing() {
        sim.seedRealisticCatalog();
        sim.putCustomer("acme-user-9001", "pro_tier", new BigDecimal("0.000001234567"));
        syncBudgets();
        Map<String, String> versions = rowVersions();
        SyncRun again = syncBudgets();
        assertThat(again.counts().updated()).as("changes: %s", again.changes()).isZero();
        assertThat(rowVersions()).isEqualTo(versions);
    }

    @Test
    void budgetsCustomersUsersAndTeamsBecomeHubBudgets() {
        sim.seedRealisticCatalog();
        SyncRun first = syncBudgets();
        // every customer with a budget row -> a CUSTOMER budget; a row used by no customer (weekly-sandbox) or by
        // several (pro_tier) -> SHARED too; users and teams with a max_budget -> USER / TEAM
        assertThat(scopes()).isEqualTo("CUSTOMER:acme-user-8812,CUSTOMER:acme-user-9001,CUSTOMER:acme-user-9002,"
                + "CUSTOMER:globex-ops,SHARED:pro_tier,SHARED:weekly-sandbox,TEAM:platform,"
                + "TEAM:research,USER:jane@acme.example,USER:svc-batch");
        assertThat(first.counts().created()).isEqualTo(10);
        // customers on the shared row name it; free_tier and enterprise are their one customer's own rows
        assertThat(one("SELECT string_agg(external_id || '->' || coalesce(shared_budget_external_id, 'own'), ',' ORDER BY external_id)"
                + " FROM budget WHERE scope = 'CUSTOMER'"))
                .isEqualTo("acme-user-8812->own,acme-user-9001->pro_tier,acme-user-9002->pro_tier,globex-ops->own");
        assertThat(admin().document("{ budgets(filter: {scopes: [CUSTOMER], search: \"acme-user-9001\"}) { nodes { sharedBudgetId } } }")
                .execute().path("budgets.nodes[0].sharedBudgetId").entity(String.class).get())
                .isEqualTo(one("SELECT id::text FROM budget WHERE scope = 'SHARED' AND external_id = 'pro_tier'"));
        Map<String, Object> pro = db.sql("SELECT * FROM budget WHERE external_id = 'acme-user-9002'").fetch().one().block();
        assertThat((BigDecimal) pro.get("spend")).isEqualByComparingTo("97.5");
        assertThat((BigDecimal) pro.get("max_budget")).isEqualByComparingTo("100");
        assertThat(pro.get("duration")).isEqualTo("30d");
        assertThat(pro.get("rpm_limit")).isEqualTo(600L);
        assertThat(one("SELECT model_budgets::text FROM budget WHERE external_id = 'acme-user-9002'")).contains("gpt-4o");
        assertThat(one("SELECT spend::text || '|' || name FROM budget WHERE scope = 'TEAM' AND name = 'research'")).startsWith("212.44817");
        assertThat(one("SELECT reset_at::text FROM budget WHERE external_id = 'jane@acme.example'")).startsWith("2025-12-01 00:00:00");

        Map<String, String> versions = rowVersions();
        SyncRun again = syncBudgets();
        assertThat(again.counts()).isEqualTo(new SyncCounts(0, 0, 10, 0, 0));
        assertThat(again.rowsWritten()).isZero();
        assertThat(rowVersions()).isEqualTo(versions);

        sim.removeBudget("weekly-sandbox");
        sim.putCustomer("acme-user-9001", "pro_tier", new BigDecimal("4.25"));
        sim.putUser("newbie", new BigDecimal("5"), BigDecimal.ZERO);
        SyncRun third = syncBudgets();
        assertThat(third.counts()).isEqualTo(new SyncCounts(1, 1, 8, 1, 0));
        assertThat(one("SELECT status FROM budget WHERE external_id = 'weekly-sandbox'")).isEqualTo("STALE");
        assertThat(one("SELECT spend::text FROM budget WHERE external_id = 'acme-user-9001'")).startsWith("4.25");

        sim.putBudget("weekly-sandbox", new BigDecimal("25.0"), "7d");
        String id = one("SELECT id::text FROM budget WHERE external_id = 'weekly-sandbox'");
        syncBudgets();
        assertThat(one("SELECT id::text || status FROM budget WHERE external_id = 'weekly-sandbox'")).isEqualTo(id + "ACTIVE");
    }

    /**
     * A SHARED budget stays SHARED when only one customer is left on it (or one joins an unused one): the link is
     * kept, and no SHARED budget disappears or comes back as customers move.
     */
    @Test
    void aSharedBudgetStaysSharedWithOneCustomerLeftAndCustomersThatLeaveItAreUnlinked() {
        sim.seedRealisticCatalog();
        syncBudgets();
        String pro = one("SELECT id::text FROM budget WHERE scope = 'SHARED' AND external_id = 'pro_tier'");
        sim.putCustomer("acme-user-9002", "free_tier", new BigDecimal("97.5")); // pro_tier: one customer; free_tier: two
        sim.putCustomer("sandboxer", "weekly-sandbox", BigDecimal.ONE);
        SyncRun run = syncBudgets();
        assertThat(one("SELECT id::text FROM budget WHERE scope = 'SHARED' AND external_id = 'pro_tier'")).isEqualTo(pro);
        assertThat(one("SELECT string_agg(external_id || '->' || coalesce(shared_budget_external_id, 'own'), ',' ORDER BY external_id)"
                + " FROM budget WHERE scope = 'CUSTOMER'"))
                .isEqualTo("acme-user-8812->free_tier,acme-user-9001->pro_tier,acme-user-9002->free_tier,globex-ops->own,"
                        + "sandboxer->weekly-sandbox");
        assertThat(one("SELECT string_agg(external_id, ',' ORDER BY external_id) FROM budget WHERE scope = 'SHARED'"))
                .isEqualTo("free_tier,pro_tier,weekly-sandbox");
        assertThat(run.counts()).isEqualTo(new SyncCounts(2, 2, 8, 0, 0));
        assertThat(syncBudgets().counts()).isEqualTo(new SyncCounts(0, 0, 12, 0, 0));
    }

    @Test
    void budgetDryRunWritesNothingAndMatchesTheRealRun() {
        sim.seedRealisticCatalog();
        Map<String, String> before = checksums();
        SyncRun dry = await(startBudgets(true));
        assertThat(dry.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(checksums()).isEqualTo(before);
        assertThat(syncBudgets().counts()).isEqualTo(dry.counts());
    }

    private String scopes() {
        return one("SELECT string_agg(scope || ':' || coalesce(name, external_id), ',' ORDER BY scope, coalesce(name, external_id)) FROM budget");
    }
}
