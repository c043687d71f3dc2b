package io.oneuihub.sync;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModelSyncTest extends SyncTestSupport {

    @Test
    void syncsTheRealisticCatalogAndAResyncWritesNothing() {
        sim.seedRealisticCatalog();
        int deployments = sim.deploymentCount();
        SyncRun first = syncModels();

        long models = count("SELECT count(*) FROM model");
        assertThat(count("SELECT count(*) FROM deployment")).isEqualTo(deployments);
        assertThat(first.counts().created()).isEqualTo(deployments + models + count("SELECT count(*) FROM company"));
        assertThat(first.counts().stale()).isZero();
        assertThat(first.rowsWritten()).isGreaterThanOrEqualTo(first.counts().created());
        assertThat(count("SELECT count(*) FROM model WHERE NOT enabled OR status <> 'ACTIVE'")).isZero();
        // provider -> company through the default mapping
        assertThat(one("SELECT c.slug FROM deployment d JOIN company_provider p ON p.provider = d.provider "
                + "JOIN company c ON c.id = p.company_id WHERE d.provider = 'vertex_ai' LIMIT 1")).isEqualTo("google");
        assertThat(count("SELECT count(*) FROM model WHERE company_id IS NULL")).isZero();
        // gpt-4o runs on openai and azure: the maker wins the tie against the hosting cloud
        assertThat(one("SELECT c.slug FROM model m JOIN company c ON c.id = m.company_id WHERE m.name = 'gpt-4o'"))
                .isEqualTo("openai");

        Map<String, Object> view = view(first.id().toString());
        assertThat(view.get("status")).isEqualTo("SUCCEEDED");
        assertThat(view.get("trigger")).isEqualTo("admin@example.com");
        assertThat(view.get("phase")).isEqualTo("COMPLETED");
        assertThat((Integer) view.get("durationMs")).isNotNull();

        Map<String, String> contents = checksums();
        Map<String, String> versions = rowVersions();
        SyncRun second = syncModels();
        assertThat(second.counts()).isEqualTo(new SyncCounts(0, 0, (int) (deployments + models), 0, 0));
        assertThat(second.rowsWritten()).isZero();
        assertThat(rowVersions()).as("no row rewritten").isEqualTo(versions);
        assertThat(checksums()).isEqualTo(contents);

        admin().documentName("syncRuns").variable("kind", "MODELS").execute()
                .path("syncRuns.totalCount").entity(Integer.class).isEqualTo(2)
                .path("syncRuns.nodes[0].id").entity(String.class).isEqualTo(second.id().toString());
    }

    @Test
    void adminEditsSurviveAResyncThatChangesPrices() {
        sim.seedRealisticCatalog();
        syncModels();
        String id = one("SELECT external_id FROM deployment WHERE provider = 'anthropic' AND editable ORDER BY external_id LIMIT 1");
        String model = one("SELECT m.name FROM model m JOIN deployment d ON d.model_id = m.id WHERE d.external_id = '" + id + "'");
        db.sql("INSERT INTO company (slug, name) VALUES ('acme-resale', 'ACME Resale')").then().block();
        db.sql("UPDATE model SET description = 'Hand-written', enabled = false, free = true, company_manual = true, "
                + "company_id = (SELECT id FROM company WHERE slug = 'acme-resale') WHERE name = :name")
                .bind("name", model).then().block();
        db.sql("UPDATE company SET description = 'Our words', website = 'https://example.com' WHERE slug = 'anthropic'").then().block();

        sim.changeDeploymentInfo(id, Map.of("input_cost_per_token", 0.0000011, "output_cost_per_token", 0.0000055));
        SyncRun run = syncModels();
        assertThat(run.counts().updated()).isGreaterThanOrEqualTo(2); // the deployment and its model

        Map<String, Object> row = db.sql("SELECT m.*, c.slug FROM model m JOIN company c ON c.id = m.company_id WHERE m.name = :name")
                .bind("name", model).fetch().one().block();
        assertThat(row.get("description")).isEqualTo("Hand-written");
        assertThat(row.get("enabled")).isEqualTo(false);
        assertThat(row.get("free")).isEqualTo(true);
        assertThat(row.get("slug")).isEqualTo("acme-resale");
        assertThat((BigDecimal) row.get("input_cost_per_token")).isEqualByComparingTo("0.0000011");
        assertThat(one("SELECT input_cost_per_token::text FROM deployment WHERE external_id = '" + id + "'")).startsWith("0.0000011");
        assertThat(one("SELECT description || '|' || website FROM company WHERE slug = 'anthropic'")).isEqualTo("Our words|https://example.com");
    }

    @Test
    void aDeploymentLiteLlmReportsBadlyIsCountedAsFailedAndNotHidden() {
        sim.seedRealisticCatalog();
        String id = sim.addDbDeployment("hub-bad-price", Map.of("model", "openai/gpt-4o-mini"), Map.of());
        syncModels();

        sim.changeDeploymentParams(id, Map.of("input_cost_per_token", -1));
        SyncRun bad = syncModels();

        assertThat(bad.counts().failed()).isEqualTo(1);
        assertThat(bad.counts().stale()).isZero();
        assertThat(one("SELECT status FROM model WHERE name = 'hub-bad-price'")).isEqualTo("ACTIVE");
        assertThat(one("SELECT status FROM deployment WHERE external_id = '" + id + "'")).isEqualTo("ACTIVE");
        anonymous().document("{ model(name: \"hub-bad-price\") { name } }").execute()
                .path("model.name").entity(String.class).isEqualTo("hub-bad-price");
    }

    @Test
    void aModelMissingUpstreamGoesStaleAndReturnsWithTheSameId() {
        sim.seedRealisticCatalog();
        String id = sim.addDbDeployment("hub-test-model", Map.of("model", "openai/gpt-4o-mini"), Map.of());
        syncModels();
        String modelId = one("SELECT id::text FROM model WHERE name = 'hub-test-model'");

        sim.removeDeployment(id);
        SyncRun gone = syncModels();
        assertThat(gone.counts().stale()).isEqualTo(2);
        assertThat(one("SELECT status FROM model WHERE name = 'hub-test-model'")).isEqualTo("STALE");
        assertThat(one("SELECT status FROM deployment WHERE external_id = '" + id + "'")).isEqualTo("STALE");
        anonymous().document("{ model(name: \"hub-test-model\") { id } }").execute().path("model").valueIsNull();

        sim.addDbDeployment("hub-test-model", Map.of("model", "openai/gpt-4o-mini"), Map.of("id", id));
        SyncRun back = syncModels();
        assertThat(back.counts().updated()).isEqualTo(2);
        assertThat(one("SELECT id::text || status FROM model WHERE name = 'hub-test-model'")).isEqualTo(modelId + "ACTIVE");
        assertThat(one("SELECT status FROM deployment WHERE external_id = '" + id + "'")).isEqualTo("ACTIVE");
    }

    @Test
    void dryRunReportsTheCountsOfTheRealRunAndWritesNothing() {
        sim.seedRealisticCatalog();
        syncModels();
        String changed = sim.deploymentIds().get(0);
        sim.changeDeploymentInfo(changed, Map.of("max_input_tokens", 12345));
        sim.removeDeployment(sim.deploymentIds().get(1));
        sim.addDbDeployment("brand-new-model", Map.of("model", "mystery_cloud/brand-new"), Map.of());
        Map<String, String> before = checksums();

        SyncRun dry = await(startModels(true));
        assertThat(dry.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.rowsWritten()).isZero();
        assertThat(checksums()).isEqualTo(before);
        assertThat(dry.changes()).anySatisfy(c -> {
            assertThat(c.entity()).isEqualTo(SyncChange.Entity.DEPLOYMENT);
            assertThat(c.key()).isEqualTo(changed);
            assertThat(c.action()).isEqualTo(SyncChange.Action.UPDATE);
            assertThat(c.fields()).anySatisfy(f -> {
                assertThat(f.field()).isEqualTo("maxInputTokens");
                assertThat(f.after()).isEqualTo(12345);
            });
        });
        assertThat(dry.changes()).anySatisfy(c -> {
            assertThat(c.entity()).isEqualTo(SyncChange.Entity.COMPANY);
            assertThat(c.key()).isEqualTo("mystery-cloud");
            assertThat(c.action()).isEqualTo(SyncChange.Action.CREATE);
        });
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> shown = (List<Map<String, Object>>) view(dry.id().toString()).get("changes");
        assertThat(shown).hasSize(dry.changeCount());

        SyncRun real = syncModels();
        assertThat(real.counts()).isEqualTo(dry.counts());
        assertThat(real.changeCount()).isEqualTo(dry.changeCount());
        assertThat(one("SELECT name FROM company WHERE slug = 'mystery-cloud'")).isEqualTo("mystery_cloud");
    }

    @Test
    void aRunWhoseInstanceDiedIsAbandonedAndANewRunSucceeds() {
        sim.seedRealisticCatalog();
        String dead = one("INSERT INTO sync_run (kind, status, trigger, instance_id, heartbeat_at, started_at) "
                + "VALUES ('MODELS', 'RUNNING', 'schedule', 'dead-host/1/gone', now() - interval '10 minutes', "
                + "now() - interval '11 minutes') RETURNING id::text");
        SyncRun run = syncModels();
        assertThat(run.id().toString()).isNotEqualTo(dead);
        SyncRun abandoned = runs.findById(java.util.UUID.fromString(dead)).block();
        assertThat(abandoned.status()).isEqualTo(SyncStatus.ABANDONED);
        assertThat(abandoned.error().code()).isEqualTo("ABANDONED");
        assertThat(abandoned.finishedAt()).isNotNull();
    }

    @Test
    void aFreshRunningRunIsReturnedInsteadOfStartingAnother() {
        String alive = one("INSERT INTO sync_run (kind, status, trigger, instance_id, heartbeat_at) "
                + "VALUES ('MODELS', 'RUNNING', 'schedule', 'other-host/1/x', now()) RETURNING id::text");
        admin().documentName("syncModels").variable("dryRun", false).execute()
                .path("syncModels.run.id").entity(String.class).isEqualTo(alive)
                .path("syncModels.userErrors[0].code").entity(String.class).isEqualTo("SYNC_IN_PROGRESS");
        db.sql("UPDATE sync_run SET status = 'FAILED', finished_at = now() WHERE id = '" + alive + "'").then().block();
    }

    @Test
    void onlyAdminsSync() {
        user().documentName("syncModels").variable("dryRun", false).execute()
                .errors().satisfy(errors -> assertThat(errors).anySatisfy(e ->
                        assertThat(e.getErrorType().toString()).isEqualTo("FORBIDDEN")));
        anonymous().document("{ syncRuns { totalCount } }").execute()
                .errors().satisfy(errors -> assertThat(errors).isNotEmpty());
        assertThat(count("SELECT count(*) FROM sync_run")).isZero();
    }
}
