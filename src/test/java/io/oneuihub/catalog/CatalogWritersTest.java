package io.oneuihub.catalog;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.IntegrationTest;
import io.oneuihub.budget.BudgetRow;
import io.oneuihub.budget.BudgetScope;
import io.oneuihub.budget.BudgetWriter;
import io.oneuihub.budget.ModelBudget;
import io.oneuihub.db.WriteOrigin;
import io.oneuihub.db.Written;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writers the sync and the mutations share, against PostgreSQL: every component of a typed row reaches
 * its column and reads back equal; a mutation stamps local_write_at; a sync leaves rows stamped since it
 * started; tombstones are hidden, never written, and purged by age.
 */
@IntegrationTest
class CatalogWritersTest extends GraphQlTestSupport {

    @Autowired
    ModelWriter models;

    @Autowired
    DeploymentWriter deployments;

    @Autowired
    BudgetWriter budgets;

    @BeforeEach
    void empty() {
        clearDatabase();
    }

    private static ModelRow model(String name, String price) {
        return new ModelRow(UUID.randomUUID(), name, null, "chat", new BigDecimal(price), new BigDecimal("0.00001"), 8192,
                128000, 8192, 500L, 200000L, List.of(ModelCapability.VISION, ModelCapability.FUNCTION_CALLING), "ext-" + name,
                RecordStatus.ACTIVE);
    }

    private static DeploymentRow deployment(UUID modelId, String externalId, String price) {
        return new DeploymentRow(UUID.randomUUID(), externalId, modelId, "openai/gpt-4o", "openai", "chat", new BigDecimal(price),
                new BigDecimal("0.00001"), 8192, 128000, 8192, 500L, 200000L, List.of(ModelCapability.VISION), true,
                Map.of("model", "openai/gpt-4o", "api_base", "https://example.invalid/v1"), RecordStatus.ACTIVE);
    }

    private OffsetDateTime dbNow() {
        return db.sql("SELECT now() AS t").map(row -> row.get("t", OffsetDateTime.class)).one().block();
    }

    @Test
    void everyComponentReachesItsColumnAndReadsBackEqual() {
        UUID company = db.sql("INSERT INTO company (slug, name) VALUES ('acme', 'ACME') RETURNING id")
                .map(row -> row.get("id", UUID.class)).one().block();
        ModelRow m = new ModelRow(UUID.randomUUID(), "round-trip", company, "chat", new BigDecimal("0.0000025"),
                new BigDecimal("0.00001"), 8192, 128000, 8192, 500L, 200000L, List.of(ModelCapability.VISION), "ext-1",
                RecordStatus.STALE);
        assertThat(models.insert(List.of(m), WriteOrigin.mutation()).block().ids()).containsExactly(m.id());
        assertThat(models.find(m.id()).block().row()).isEqualTo(m);

        DeploymentRow d = deployment(m.id(), "dep-round-trip", "0.0000025");
        deployments.insert(List.of(d), WriteOrigin.mutation()).block();
        assertThat(deployments.find(d.id()).block().row()).isEqualTo(d);
        // the sync's read: the same rows, params numbers typed as LiteLLM's decoder gives them (so an unchanged row
        // is an equal record)
        DeploymentRow numeric = new DeploymentRow(UUID.randomUUID(), "dep-numeric", m.id(), "openai/gpt-4o", "openai", null,
                null, null, null, null, null, null, null, List.of(), false,
                Map.of("model", "openai/gpt-4o", "rpm", java.math.BigInteger.valueOf(500), "temperature", new BigDecimal("0.70"),
                        "stream", true, "tags", List.of("a", java.math.BigInteger.TWO)), RecordStatus.ACTIVE);
        deployments.insert(List.of(numeric), WriteOrigin.sync(dbNow())).block();
        assertThat(models.live(dbNow()).collectList().block()).extracting(ModelWriter.Stored::row).containsExactly(m);
        assertThat(deployments.live(dbNow()).collectList().block()).extracting(DeploymentWriter.Stored::row)
                .containsExactly(numeric, d); // by external id

        BudgetRow b = new BudgetRow(UUID.randomUUID(), BudgetScope.TEAM, "team-1", "Team one", new BigDecimal("100.5"),
                new BigDecimal("80"), new BigDecimal("0.000001234567"), "30d",
                OffsetDateTime.of(2025, 12, 1, 0, 0, 0, 0, ZoneOffset.UTC), 1000L, 60L, 4,
                List.of(new ModelBudget("gpt-4o", new BigDecimal("40"), "30d", null, null)), RecordStatus.ACTIVE);
        budgets.insert(List.of(b), WriteOrigin.mutation()).block();
        assertThat(budgets.find(b.id()).block().row()).isEqualTo(b);
        assertThat(count("SELECT count(*) FROM budget WHERE max_budget IS NULL OR soft_budget IS NULL OR reset_at IS NULL "
                + "OR tpm_limit IS NULL OR rpm_limit IS NULL OR max_parallel_requests IS NULL OR model_budgets = '[]'")).isZero();
    }

    @Test
    void aMutationStampsWhatItWritesAndASyncLeavesThoseRowsAlone() {
        ModelRow synced = model("synced", "0.000001");
        ModelRow edited = model("edited", "0.000001");
        OffsetDateTime before = dbNow();
        models.insert(List.of(synced, edited), WriteOrigin.sync(before)).block();
        assertThat(count("SELECT count(*) FROM model WHERE local_write_at IS NOT NULL")).as("a sync never stamps").isZero();

        OffsetDateTime runStarted = dbNow();
        Written byAdmin = models.update(List.of(model("edited", "0.000009").withId(edited.id())), WriteOrigin.mutation()).block();
        assertThat(byAdmin.ids()).containsExactly(edited.id());
        assertThat(count("SELECT count(*) FROM model WHERE name = 'edited' AND local_write_at >= '" + runStarted + "'")).isEqualTo(1);
        // the sync's read tells it which rows an admin wrote since the run started
        assertThat(models.live(runStarted).collectList().block())
                .extracting(stored -> stored.row().name(), stored -> stored.writtenLocallySince(runStarted))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("edited", true), org.assertj.core.groups.Tuple.tuple("synced", false));
        OffsetDateTime afterAdmin = dbNow().plusNanos(1000);
        assertThat(models.live(afterAdmin).collectList().block()).noneMatch(stored -> stored.writtenLocallySince(afterAdmin));

        // a sync that started before the admin's write: updates the other row, leaves the edited one
        Written bySync = models.update(List.of(model("synced", "0.000002").withId(synced.id()),
                model("edited", "0.000002").withId(edited.id())), WriteOrigin.sync(runStarted)).block();
        assertThat(bySync.ids()).containsExactly(synced.id());
        assertThat(models.markStale(List.of(edited.id()), WriteOrigin.sync(runStarted)).block().count()).isZero();
        assertThat(models.find(edited.id()).block().row().inputCostPerToken()).isEqualByComparingTo("0.000009");
        assertThat(models.find(edited.id()).block().row().status()).isEqualTo(RecordStatus.ACTIVE);

        // a sync that started after it writes normally
        Written later = models.update(List.of(model("edited", "0.000003").withId(edited.id())), WriteOrigin.sync(dbNow())).block();
        assertThat(later.ids()).containsExactly(edited.id());
        assertThat(models.find(edited.id()).block().row().inputCostPerToken()).isEqualByComparingTo("0.000003");
    }

    @Test
    void aTombstoneIsHiddenNeverWrittenAndPurgedByAge() {
        ModelRow m = model("doomed", "0.000001");
        models.insert(List.of(m), WriteOrigin.mutation()).block();
        DeploymentRow d = deployment(m.id(), "dep-doomed", "0.000001");
        deployments.insert(List.of(d), WriteOrigin.mutation()).block();

        assertThat(models.markDeleted(List.of(m.id())).block().ids()).containsExactly(m.id());
        OffsetDateTime deletedBy = dbNow();
        assertThat(models.find(m.id()).block()).isNull();
        assertThat(models.findByName("doomed").block()).isNull();
        assertThat(models.live(deletedBy).collectList().block()).isEmpty();
        assertThat(deployments.live(deletedBy).collectList().block()).as("its deployments went with it").isEmpty();
        assertThat(models.deletedSince(deletedBy.minusSeconds(60)).block()).containsExactly("doomed");
        assertThat(deployments.deletedSince(deletedBy.minusSeconds(60)).block()).containsExactly("dep-doomed");
        admin().document("{ model(name: \"doomed\") { id } }").execute().path("model").valueIsNull();
        admin().document("{ models { totalCount } }").execute().path("models.totalCount").entity(Integer.class).isEqualTo(0);

        // nothing writes a tombstone: not a sync, not a mutation, not a new deployment under it
        assertThat(models.update(List.of(m), WriteOrigin.mutation()).block().count()).isZero();
        assertThat(models.update(List.of(m), WriteOrigin.sync(deletedBy)).block().count()).isZero();
        assertThat(models.insert(List.of(m.withId(UUID.randomUUID())), WriteOrigin.sync(deletedBy)).block().count())
                .as("the name is still taken by the tombstone").isZero();
        assertThat(deployments.insert(List.of(deployment(m.id(), "dep-late", "0.000001")), WriteOrigin.sync(deletedBy)).block().count())
                .isZero();

        assertThat(models.purgeTombstones(deletedBy.minusSeconds(60)).block()).as("younger than the cut-off: kept").isZero();
        assertThat(models.purgeTombstones(dbNow().plusSeconds(1)).block()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM model")).isZero();
        assertThat(count("SELECT count(*) FROM deployment")).isZero();
    }

    @Test
    void aMutationCanCreateANameAgainOnceItDropsTheTombstone() {
        ModelRow m = model("reborn", "0.000001");
        models.insert(List.of(m), WriteOrigin.mutation()).block();
        models.markDeleted(List.of(m.id())).block();
        assertThat(models.dropTombstone("reborn").block()).isEqualTo(1);
        ModelRow again = m.withId(UUID.randomUUID());
        assertThat(models.insert(List.of(again), WriteOrigin.mutation()).block().ids()).containsExactly(again.id());
        assertThat(models.findByName("reborn").block().row().id()).isEqualTo(again.id());
    }

    private long count(String sql) {
        return db.sql(sql).map(row -> ((Number) row.get(0)).longValue()).one().block();
    }
}
