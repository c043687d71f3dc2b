package io.oneuihub.sync;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.oneuihub.dev.litellm.Hold;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An admin mutation that lands while a sync is still reading LiteLLM survives that sync, and the next sync
 * (started after it) applies upstream normally. The mutations are simulated as they will work (LiteLLM first,
 * then a local transaction that stamps local_write_at = now() or leaves a tombstone), in SQL, while the
 * simulator holds the sync's last page: the held answer was computed before the mutation, as a slow LiteLLM
 * would have it.
 */
class SyncConcurrentWriteTest extends SyncTestSupport {

    private static final String MODEL_PAGES = "/v2/model/info";

    @Autowired
    ConnectionFactory connections;

    /** The realistic catalog plus synthetic deployments: two pages of 500. */
    private void twoPageCatalog() {
        sim.seedRealisticCatalog().generateLargeCatalog(500, 4);
    }

    /** Starts a models sync and answers once it waits for page 2 (page 1 is read). */
    private String startModelsHeldOnPageTwo(Hold[] hold) {
        hold[0] = sim.holdAfter(1, MODEL_PAGES);
        String run = startModels(false);
        hold[0].awaitHeld(DEADLINE);
        return run;
    }

    private SyncRun finish(Hold hold, String run) {
        hold.release();
        SyncRun done = await(run);
        assertThat(done.status()).as("run error: %s", done.error()).isEqualTo(SyncStatus.SUCCEEDED);
        return done;
    }

    private void sql(String statement) {
        db.sql(statement).then().block();
    }

    @Test
    void aPriceWrittenWhileTheSyncFetchedIsNotRevertedAndTheNextSyncAppliesUpstream() {
        twoPageCatalog();
        sim.addDbDeployment("hub-priced", Map.of("model", "anthropic/claude-3-5-haiku"), Map.of("input_cost_per_token", 0.000001));
        syncModels();
        String id = one("SELECT d.external_id FROM deployment d JOIN model m ON m.id = d.model_id WHERE m.name = 'hub-priced'");
        int pagesBefore = sim.requestCount("GET", MODEL_PAGES);

        Hold[] hold = new Hold[1];
        String run = startModelsHeldOnPageTwo(hold);
        // updateModel(pricing): LiteLLM accepts, then the local transaction stores what LiteLLM reports, stamped
        sim.changeDeploymentInfo(id, Map.of("input_cost_per_token", 0.000004));
        sql("UPDATE deployment SET input_cost_per_token = 0.000004, local_write_at = now(), updated_at = now() WHERE external_id = '" + id + "'");
        sql("UPDATE model SET input_cost_per_token = 0.000004, local_write_at = now(), updated_at = now() WHERE name = 'hub-priced'");
        SyncRun raced = finish(hold[0], run);

        assertThat(sim.requestCount("GET", MODEL_PAGES) - pagesBefore).as("two pages, no retry").isEqualTo(2);
        assertThat(price("deployment", "external_id", id)).as("not reverted to what the run read").isEqualByComparingTo("0.000004");
        assertThat(price("model", "name", "hub-priced")).isEqualByComparingTo("0.000004");
        assertThat(raced.counts().skipped()).isEqualTo(2);
        assertThat(raced.counts().updated()).isZero();
        assertThat(raced.changes()).filteredOn(c -> c.action() == SyncChange.Action.SKIPPED)
                .extracting(SyncChange::key).containsExactlyInAnyOrder(id, "hub-priced");
        assertThat(raced.changes()).filteredOn(c -> c.key().equals(id)).singleElement().satisfies(c -> {
            assertThat(c.message()).contains("after this sync read LiteLLM");
            assertThat(c.fields()).anySatisfy(f -> assertThat(f.field()).isEqualTo("inputCostPerToken"));
        });
        assertThat(view(raced.id().toString()).get("counts")).isEqualTo(Map.of(
                "created", 0, "updated", 0, "unchanged", raced.counts().unchanged(), "stale", 0, "failed", 0));
        assertThat(admin().document("{ syncRun(id: \"" + raced.id() + "\") { counts { skipped } } }").execute()
                .path("syncRun.counts.skipped").entity(Integer.class).get()).isEqualTo(2);

        // The next sync started after the write: it reads what the mutation put into LiteLLM, and nothing is skipped.
        SyncRun next = syncModels();
        assertThat(next.counts().skipped()).isZero();
        assertThat(next.counts().updated()).isZero();
        assertThat(price("deployment", "external_id", id)).isEqualByComparingTo("0.000004");

        // Upstream moves on: a later sync applies it although the row carries a mutation's stamp.
        sim.changeDeploymentInfo(id, Map.of("input_cost_per_token", 0.000005));
        SyncRun later = syncModels();
        assertThat(later.counts().updated()).isEqualTo(2);
        assertThat(later.counts().skipped()).isZero();
        assertThat(price("deployment", "external_id", id)).isEqualByComparingTo("0.000005");
        assertThat(price("model", "name", "hub-priced")).isEqualByComparingTo("0.000005");
    }

    /**
     * The write lands after the run loaded the stored rows and while its UPDATE waits for the row: the guard in
     * the UPDATE's WHERE, re-checked by PostgreSQL on the committed version, still leaves the row alone.
     */
    @Test
    void aWriteCommittedWhileTheSyncWaitsToUpdateTheRowIsNotOverwritten() {
        twoPageCatalog();
        sim.addDbDeployment("hub-raced", Map.of("model", "anthropic/claude-3-5-haiku"), Map.of("input_cost_per_token", 0.000001));
        syncModels();
        String id = one("SELECT d.external_id FROM deployment d JOIN model m ON m.id = d.model_id WHERE m.name = 'hub-raced'");
        sim.changeDeploymentInfo(id, Map.of("input_cost_per_token", 0.000002)); // upstream moved: the run plans an UPDATE

        Hold[] hold = new Hold[1];
        String run = startModelsHeldOnPageTwo(hold);
        Connection admin = Mono.from(connections.create()).block();
        try {
            // the mutation's local transaction begins after the run started; its rows stay locked until it commits
            Mono.from(admin.beginTransaction()).block();
            execute(admin, "UPDATE model SET input_cost_per_token = 0.000009, local_write_at = now() WHERE name = 'hub-raced'");
            execute(admin, "UPDATE deployment SET input_cost_per_token = 0.000009, local_write_at = now() WHERE external_id = '" + id + "'");
            int pid = Flux.from(admin.createStatement("SELECT pg_backend_pid() AS pid").execute())
                    .flatMap(result -> result.map((row, meta) -> row.get("pid", Integer.class))).blockLast();
            hold[0].release(); // the run reads page 2, loads the committed (old) rows, plans, and blocks on ours
            awaitBlockedBy(pid);
            Mono.from(admin.commitTransaction()).block();
        } finally {
            Mono.from(admin.close()).block();
        }
        SyncRun raced = await(run);
        assertThat(raced.status()).as("run error: %s", raced.error()).isEqualTo(SyncStatus.SUCCEEDED);

        assertThat(price("model", "name", "hub-raced")).isEqualByComparingTo("0.000009");
        assertThat(price("deployment", "external_id", id)).isEqualByComparingTo("0.000009");
        assertThat(raced.counts().skipped()).isEqualTo(2);
        assertThat(raced.changes()).filteredOn(c -> c.key().equals(id)).singleElement()
                .satisfies(c -> assertThat(c.action()).isEqualTo(SyncChange.Action.SKIPPED));
        assertThat(raced.rowsWritten()).as("the model and deployment rows were left out").isZero();
    }

    /**
     * addDeployment: LiteLLM accepted before the run read it, so the run plans to insert the deployment; the
     * mutation's local rows commit while the run's statements wait for them. The run neither fails on the
     * duplicate external id nor overwrites the re-derived model: both are skipped.
     */
    @Test
    void aDeploymentInsertedByAnAdminWhileTheSyncInsertsItToo() {
        twoPageCatalog();
        sim.addDbDeployment("grown", Map.of("model", "openai/gpt-4o-mini"), Map.of());
        syncModels();
        String added = sim.addDbDeployment("grown", Map.of("model", "azure/gpt-4o-mini"), Map.of("max_input_tokens", 5_000_000));

        Hold[] hold = new Hold[1];
        String run = startModelsHeldOnPageTwo(hold);
        Connection admin = Mono.from(connections.create()).block();
        try {
            Mono.from(admin.beginTransaction()).block();
            execute(admin, "UPDATE model SET max_input_tokens = 5000000, local_write_at = now() WHERE name = 'grown'");
            execute(admin, "INSERT INTO deployment (model_id, external_id, litellm_model, provider, max_input_tokens, local_write_at) "
                    + "VALUES ((SELECT id FROM model WHERE name = 'grown'), '" + added + "', 'azure/gpt-4o-mini', 'azure', 5000000, now())");
            int pid = Flux.from(admin.createStatement("SELECT pg_backend_pid() AS pid").execute())
                    .flatMap(result -> result.map((row, meta) -> row.get("pid", Integer.class))).blockLast();
            hold[0].release();
            awaitBlockedBy(pid);
            Mono.from(admin.commitTransaction()).block();
        } finally {
            Mono.from(admin.close()).block();
        }
        SyncRun raced = await(run);
        assertThat(raced.status()).as("run error: %s", raced.error()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(raced.counts().skipped()).as("changes: %s", raced.changes()).isEqualTo(2);
        assertThat(raced.counts().created()).isZero();
        assertThat(count("SELECT max_input_tokens FROM model WHERE name = 'grown'")).isEqualTo(5_000_000);
        assertThat(raced.changes()).filteredOn(c -> c.action() == SyncChange.Action.SKIPPED)
                .extracting(SyncChange::key).containsExactlyInAnyOrder("grown", added);
        assertThat(count("SELECT count(*) FROM deployment WHERE external_id = '" + added + "' AND local_write_at IS NOT NULL")).isEqualTo(1);

        SyncRun next = syncModels();
        assertThat(next.counts().skipped()).isZero();
        assertThat(next.counts().created()).isZero();
        assertThat(one("SELECT status FROM deployment WHERE external_id = '" + added + "'")).isEqualTo("ACTIVE");
    }

    @Test
    void aModelCreatedWhileTheSyncFetchedIsNotMarkedStale() {
        twoPageCatalog();
        syncModels();

        Hold[] hold = new Hold[1];
        String run = startModelsHeldOnPageTwo(hold);
        // createModel: LiteLLM first (the run's read is older), then the local rows, stamped
        String id = sim.addDbDeployment("made-during-sync", Map.of("model", "openai/gpt-4o-mini"), Map.of());
        sql("INSERT INTO model (name, company_id, mode, external_id, local_write_at) VALUES ('made-during-sync', "
                + "(SELECT id FROM company WHERE slug = 'openai'), 'chat', '" + id + "', now())");
        sql("INSERT INTO deployment (model_id, external_id, litellm_model, provider, mode, local_write_at) VALUES ("
                + "(SELECT id FROM model WHERE name = 'made-during-sync'), '" + id + "', 'openai/gpt-4o-mini', 'openai', 'chat', now())");
        SyncRun raced = finish(hold[0], run);

        assertThat(one("SELECT status FROM model WHERE name = 'made-during-sync'")).isEqualTo("ACTIVE");
        assertThat(one("SELECT status FROM deployment WHERE external_id = '" + id + "'")).isEqualTo("ACTIVE");
        assertThat(raced.counts().stale()).isZero();
        assertThat(raced.counts().skipped()).isEqualTo(2);
        assertThat(raced.changes()).filteredOn(c -> c.action() == SyncChange.Action.SKIPPED)
                .extracting(SyncChange::key).containsExactlyInAnyOrder("made-during-sync", id);

        SyncRun next = syncModels();
        assertThat(next.counts().skipped()).isZero();
        assertThat(next.counts().stale()).isZero();
        assertThat(one("SELECT status FROM model WHERE name = 'made-during-sync'")).isEqualTo("ACTIVE");
        admin().document("{ model(name: \"made-during-sync\") { status deployments { externalId status } } }").execute()
                .path("model.status").entity(String.class).isEqualTo("ACTIVE")
                .path("model.deployments[0].externalId").entity(String.class).isEqualTo(id);
    }

    @Test
    void aModelOrDeploymentDeletedWhileTheSyncFetchedDoesNotComeBack() {
        twoPageCatalog();
        String doomed = sim.addDbDeployment("doomed", Map.of("model", "openai/gpt-4o-mini"), Map.of());
        String kept = sim.addDbDeployment("pair", Map.of("model", "openai/gpt-4o-mini"), Map.of());
        String removed = sim.addDbDeployment("pair", Map.of("model", "azure/gpt-4o-mini"), Map.of());
        syncModels();
        long visible = admin().document("{ models { totalCount } }").execute().path("models.totalCount").entity(Long.class).get();

        Hold[] hold = new Hold[1];
        String run = startModelsHeldOnPageTwo(hold);
        // deleteModel: LiteLLM deletes the deployment, then the model and its deployments become tombstones
        sim.removeDeployment(doomed);
        sql("UPDATE model SET deleted_at = now(), local_write_at = now() WHERE name = 'doomed'");
        sql("UPDATE deployment SET deleted_at = now(), local_write_at = now() WHERE external_id = '" + doomed + "'");
        // removeDeployment: LiteLLM first, the tombstone, and the model re-derived from what is left, stamped
        sim.removeDeployment(removed);
        sql("UPDATE deployment SET deleted_at = now(), local_write_at = now() WHERE external_id = '" + removed + "'");
        sql("UPDATE model SET local_write_at = now() WHERE name = 'pair'");
        SyncRun raced = finish(hold[0], run);

        assertThat(raced.counts().created()).as("nothing re-created: %s", raced.changes()).isZero();
        assertThat(raced.changes()).filteredOn(c -> c.action() == SyncChange.Action.SKIPPED)
                .extracting(SyncChange::key).contains("doomed", doomed, removed);
        assertThat(count("SELECT count(*) FROM model WHERE name = 'doomed' AND deleted_at IS NOT NULL")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM deployment WHERE external_id IN ('" + doomed + "', '" + removed
                + "') AND deleted_at IS NULL")).isZero();
        admin().document("{ model(name: \"doomed\") { id } }").execute().path("model").valueIsNull();
        anonymous().document("{ model(name: \"doomed\") { id } }").execute().path("model").valueIsNull();
        admin().document("{ models { totalCount } }").execute().path("models.totalCount").entity(Long.class).isEqualTo(visible - 1);
        admin().documentName("modelDeployments").variable("name", "pair").execute()
                .path("model.deployments[*].externalId").entityList(String.class).containsExactly(kept);

        // The next sync started after the deletes: LiteLLM no longer has them, and the tombstones are purged.
        SyncRun next = syncModels();
        assertThat(next.counts().created()).isZero();
        assertThat(next.counts().skipped()).isZero();
        assertThat(count("SELECT count(*) FROM model WHERE name = 'doomed'")).isZero();
        assertThat(count("SELECT count(*) FROM deployment WHERE external_id IN ('" + doomed + "', '" + removed + "')")).isZero();
        assertThat(one("SELECT status FROM deployment WHERE external_id = '" + kept + "'")).isEqualTo("ACTIVE");
        admin().document("{ models { totalCount } }").execute().path("models.totalCount").entity(Long.class).isEqualTo(visible - 1);
    }

    @Test
    void aBudgetWrittenOrDeletedWhileTheSyncFetchedSurvivesAndTheNextSyncAppliesUpstream() {
        sim.seedRealisticCatalog();
        syncBudgets();
        Hold hold = sim.holdAfter(0, "/v2/team/list"); // a budgets sync reads budgets, customers, users, then teams
        String run = startBudgets(false);
        hold.awaitHeld(DEADLINE);
        // updateBudget(SHARED weekly-sandbox): LiteLLM first, then the local row, stamped
        sim.changeBudget("weekly-sandbox", "max_budget", new BigDecimal("40.0"));
        sql("UPDATE budget SET max_budget = 40, local_write_at = now() WHERE external_id = 'weekly-sandbox'");
        // deleteBudget(USER svc-batch): LiteLLM clears the user's limits, then the tombstone
        sim.putUser("svc-batch", null, new BigDecimal("288.04"));
        sql("UPDATE budget SET deleted_at = now(), local_write_at = now() WHERE external_id = 'svc-batch'");
        hold.release();
        SyncRun raced = await(run);
        assertThat(raced.status()).as("run error: %s", raced.error()).isEqualTo(SyncStatus.SUCCEEDED);

        assertThat(one("SELECT max_budget::text FROM budget WHERE external_id = 'weekly-sandbox'")).startsWith("40.");
        assertThat(one("SELECT (deleted_at IS NOT NULL)::text || status FROM budget WHERE external_id = 'svc-batch'")).isEqualTo("trueACTIVE");
        assertThat(raced.counts().skipped()).isEqualTo(2);
        assertThat(raced.counts().updated()).isZero();
        assertThat(raced.counts().created()).isZero();
        assertThat(raced.changes()).filteredOn(c -> c.action() == SyncChange.Action.SKIPPED)
                .extracting(SyncChange::key).containsExactlyInAnyOrder("SHARED:weekly-sandbox", "USER:svc-batch");
        List<String> listed = admin().document("{ budgets(first: 50) { totalCount nodes { externalId } } }").execute()
                .path("budgets.nodes[*].externalId").entityList(String.class).get();
        assertThat(listed).contains("weekly-sandbox").doesNotContain("svc-batch");
        admin().document("{ budgets(first: 50) { totalCount } }").execute()
                .path("budgets.totalCount").entity(Integer.class).isEqualTo(listed.size());

        SyncRun next = syncBudgets();
        assertThat(next.counts().skipped()).isZero();
        assertThat(next.counts().updated()).isZero();
        assertThat(count("SELECT count(*) FROM budget WHERE external_id = 'svc-batch'")).as("tombstone purged").isZero();

        sim.changeBudget("weekly-sandbox", "max_budget", new BigDecimal("45.0"));
        SyncRun later = syncBudgets();
        assertThat(later.counts().updated()).isEqualTo(1);
        assertThat(one("SELECT max_budget::text FROM budget WHERE external_id = 'weekly-sandbox'")).startsWith("45.");
    }

    private BigDecimal price(String table, String column, String value) {
        return db.sql("SELECT input_cost_per_token FROM " + table + " WHERE " + column + " = :v").bind("v", value)
                .map(row -> row.get(0, BigDecimal.class)).one().block();
    }

    private static void execute(Connection connection, String sql) {
        Flux.from(connection.createStatement(sql).execute()).flatMap(result -> result.getRowsUpdated()).blockLast();
    }

    /** Waits until some backend (the sync's apply transaction) waits for a lock that {@code pid} holds. */
    private void awaitBlockedBy(int pid) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (count("SELECT count(*) FROM pg_stat_activity WHERE " + pid + " = ANY(pg_blocking_pids(pid))") == 0) {
            assertThat(System.nanoTime()).as("the sync never waited for the admin's row").isLessThan(deadline);
            Mono.delay(Duration.ofMillis(20)).block();
        }
    }
}
