package io.oneuihub.sync;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.oneuihub.dev.litellm.Hold;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Budget mutations that race each other or a running sync. The simulator holds one request (its answer computed
 * when it arrived) so the race is certain, not likely: two updates of one budget are serialized (both land, or
 * with the same expectedUpdatedAt one CONFLICT that sent nothing to LiteLLM); a mutation that lands while a
 * budgets sync is still reading LiteLLM is not undone by it.
 */
class BudgetMutationConcurrencyTest extends SyncTestSupport {

    @BeforeEach
    void upstreamAndFirstSync() {
        sim.seedRealisticCatalog();
        syncBudgets();
    }

    @Test
    void twoConcurrentUpdatesOfOneBudgetBothLand() {
        String pro = hubId("SHARED", "pro_tier");
        int writes = sim.requestCount("POST", "/budget/update");
        Hold hold = sim.holdAfter(0, "/budget/update");
        CompletableFuture<Map<String, Object>> first = async("updateBudget", Map.of("id", pro, "maxBudget", 150));
        hold.awaitHeld(DEADLINE);
        CompletableFuture<Map<String, Object>> second = async("updateBudget", Map.of("id", pro, "tpmLimit", 300000));
        awaitWaiting("SELECT pg_advisory_xact_lock", "advisory");
        hold.release();

        assertThat(join(first).get("userErrors")).asList().isEmpty();
        Map<String, Object> last = join(second);
        assertThat(last.get("userErrors")).asList().isEmpty();
        assertThat(sim.requestCount("POST", "/budget/update") - writes).isEqualTo(2);
        assertThat(new BigDecimal(sim.budget("pro_tier").get("max_budget").toString())).isEqualByComparingTo("150");
        assertThat(sim.budget("pro_tier")).containsEntry("tpm_limit", 300000);
        assertThat(one("SELECT max_budget::text || ':' || tpm_limit FROM budget WHERE id = '" + pro + "'"))
                .isEqualTo("150.000000000000:300000");
        assertThat(((Map<?, ?>) last.get("budget")).get("tpmLimit")).isEqualTo(300000);
        nothingLeftToSync();
    }

    @Test
    void twoUpdatesWithTheSameExpectedUpdatedAtGiveOneConflictThatSentNothing() {
        String pro = hubId("SHARED", "pro_tier");
        String updatedAt = one("SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM budget WHERE id = '" + pro + "'");
        int writes = sim.requestCount("POST", "/budget/update");
        Hold hold = sim.holdAfter(0, "/budget/update");
        CompletableFuture<Map<String, Object>> first = async("updateBudget",
                Map.of("id", pro, "maxBudget", 150, "expectedUpdatedAt", updatedAt));
        hold.awaitHeld(DEADLINE);
        CompletableFuture<Map<String, Object>> second = async("updateBudget",
                Map.of("id", pro, "maxBudget", 175, "expectedUpdatedAt", updatedAt));
        awaitWaiting("SELECT pg_advisory_xact_lock", "advisory");
        hold.release();

        assertThat(join(first).get("userErrors")).asList().isEmpty();
        assertThat(join(second).get("userErrors")).asString().contains("CONFLICT").contains("expectedUpdatedAt");
        assertThat(sim.requestCount("POST", "/budget/update") - writes).as("the loser sent nothing").isEqualTo(1);
        assertThat(new BigDecimal(sim.budget("pro_tier").get("max_budget").toString())).isEqualByComparingTo("150");
        assertThat(one("SELECT max_budget::text FROM budget WHERE id = '" + pro + "'")).isEqualTo("150.000000000000");
        nothingLeftToSync();
    }

    @Test
    void anUpdateWhileTheSyncReadsLiteLlmSurvivesIt() {
        String pro = hubId("SHARED", "pro_tier");
        Hold hold = sim.holdAfter(0, "/v2/team/list"); // the sync's last read: budgets, customers and users are read
        String run = startBudgets(false);
        hold.awaitHeld(DEADLINE);
        assertThat(payload("updateBudget", Map.of("id", pro, "maxBudget", 150)).get("userErrors")).asList().isEmpty();
        hold.release();
        SyncRun raced = await(run);
        assertThat(raced.status()).isEqualTo(SyncStatus.SUCCEEDED);

        assertThat(one("SELECT string_agg(external_id || '=' || max_budget::text, ',' ORDER BY external_id) FROM budget"
                + " WHERE external_id = 'pro_tier' OR shared_budget_external_id = 'pro_tier'"))
                .as("not reverted to what the run read")
                .isEqualTo("acme-user-9001=150.000000000000,acme-user-9002=150.000000000000,pro_tier=150.000000000000");
        assertThat(raced.counts().skipped()).as("%s", raced.changes()).isEqualTo(3);
        assertThat(raced.counts().updated()).isZero();
        nothingLeftToSync();
    }

    @Test
    void aCreateAndADeleteWhileTheSyncReadsLiteLlmSurviveIt() {
        String sandbox = hubId("SHARED", "weekly-sandbox");
        Hold hold = sim.holdAfter(0, "/v2/team/list");
        String run = startBudgets(false);
        hold.awaitHeld(DEADLINE);
        assertThat(payload("createBudget", Map.of("scope", "SHARED", "externalId", "new-tier", "maxBudget", 9)).get("userErrors"))
                .asList().isEmpty();
        assertThat(payload("deleteBudget", Map.of("id", sandbox)).get("userErrors")).asList().isEmpty();
        hold.release();
        SyncRun raced = await(run);
        assertThat(raced.status()).isEqualTo(SyncStatus.SUCCEEDED);

        assertThat(one("SELECT status FROM budget WHERE external_id = 'new-tier' AND deleted_at IS NULL"))
                .as("created after the run read LiteLLM: not STALE").isEqualTo("ACTIVE");
        assertThat(count("SELECT count(*) FROM budget WHERE external_id = 'weekly-sandbox' AND deleted_at IS NULL"))
                .as("deleted after the run read LiteLLM: not back").isZero();
        assertThat(raced.counts().skipped()).as("%s", raced.changes()).isEqualTo(2);
        nothingLeftToSync();
    }

    // ------------------------------------------------------------------ helpers

    private void nothingLeftToSync() {
        SyncRun run = syncBudgets();
        assertThat(run.counts().created() + run.counts().updated() + run.counts().stale() + run.counts().failed())
                .as("%s", run.changes()).isZero();
    }

    private String hubId(String scope, String externalId) {
        return db.sql("SELECT id::text FROM budget WHERE scope = :scope AND external_id = :ext AND deleted_at IS NULL")
                .bind("scope", scope).bind("ext", externalId).map(r -> r.get(0, String.class)).one().block();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> payload(String mutation, Map<String, Object> input) {
        return admin().documentName(mutation).variable("input", new HashMap<>(input)).execute()
                .errors().verify()
                .path(mutation).entity(Map.class).get();
    }

    private CompletableFuture<Map<String, Object>> async(String mutation, Map<String, Object> input) {
        return CompletableFuture.supplyAsync(() -> payload(mutation, input));
    }

    private static Map<String, Object> join(CompletableFuture<Map<String, Object>> call) {
        try {
            return call.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
