package io.oneuihub.sync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.oneuihub.dev.litellm.Hold;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real model mutations against a models sync that is still reading LiteLLM (the simulator holds its last
 * page, answered from LiteLLM as it was before the mutations): every mutation survives that sync, and the next
 * sync finds the hub and LiteLLM equal.
 */
class ModelMutationSyncTest extends SyncTestSupport {

    private static final String PAYLOAD = "model { id name pricing { inputCostPerToken } limits { rpm } deployments { id externalId status } }"
            + " deployment { id externalId } userErrors { field message code }";

    @Test
    void everyModelMutationMadeWhileASyncFetchesSurvivesThatSync() {
        // one page: a page LiteLLM serves while deployments come and go shifts offsets, which is no business of this test
        sim.seedRealisticCatalog();
        String priced = sim.addDbDeployment("hub-priced", Map.of("model", "anthropic/claude-3-5-haiku"), Map.of("input_cost_per_token", 0.000001));
        sim.addDbDeployment("hub-doomed", Map.of("model", "openai/gpt-4.1-mini"), Map.of());
        String kept = sim.addDbDeployment("hub-pair", Map.of("model", "openai/gpt-4.1-mini"), Map.of());
        String removed = sim.addDbDeployment("hub-pair", Map.of("model", "azure/gpt-4.1-mini"), Map.of());
        String edited = sim.addDbDeployment("hub-edited", Map.of("model", "openai/gpt-4.1-nano"), Map.of());
        syncModels();
        String pricedModel = modelId("hub-priced");
        String doomedModel = modelId("hub-doomed");
        String pairModel = modelId("hub-pair");

        warmUp();

        // the sync waits for LiteLLM's answer, computed before the mutations, while they land
        Hold hold = sim.holdAfter(0, "/v2/model/info");
        String run = startModels(false);
        hold.awaitHeld(DEADLINE);

        assertThat(errors(mutate("updateModel", "UpdateModelInput", Map.of("id", pricedModel,
                "pricing", Map.of("inputCostPerToken", "0.000004"), "description", "set during a sync")))).isEmpty();
        Map<String, Object> created = mutate("createModel", "CreateModelInput", Map.of("name", "hub-created", "litellmModel", "openai/gpt-4.1"));
        assertThat(errors(created)).isEmpty();
        assertThat(errors(mutate("deleteModel", "DeleteModelInput", Map.of("id", doomedModel)))).isEmpty();
        assertThat(errors(mutate("removeDeployment", "RemoveDeploymentInput", Map.of("id", deploymentId(removed))))).isEmpty();
        Map<String, Object> added = mutate("addDeployment", "AddDeploymentInput", Map.of("modelId", pairModel, "litellmModel", "openai/gpt-4.1-mini",
                "limits", Map.of("rpm", 60)));
        assertThat(errors(added)).isEmpty();
        assertThat(errors(mutate("updateDeployment", "UpdateDeploymentInput", Map.of("id", deploymentId(edited),
                "limits", Map.of("rpm", 7))))).isEmpty();

        hold.release();
        SyncRun raced = await(run);
        assertThat(raced.status()).as("run error: %s", raced.error()).isEqualTo(SyncStatus.SUCCEEDED);

        assertThat(one("SELECT input_cost_per_token::text FROM model WHERE name = 'hub-priced'")).startsWith("0.000004");
        assertThat(one("SELECT input_cost_per_token::text FROM deployment WHERE external_id = '" + priced + "'")).startsWith("0.000004");
        assertThat(one("SELECT description FROM model WHERE name = 'hub-priced'")).isEqualTo("set during a sync");
        assertThat(one("SELECT status FROM model WHERE name = 'hub-created' AND deleted_at IS NULL")).as("not STALE").isEqualTo("ACTIVE");
        assertThat(count("SELECT count(*) FROM model WHERE name = 'hub-doomed' AND deleted_at IS NULL")).as("not back").isZero();
        assertThat(count("SELECT count(*) FROM deployment WHERE external_id = '" + removed + "' AND deleted_at IS NULL")).isZero();
        String addedId = (String) map(added, "deployment").get("externalId");
        assertThat(one("SELECT status || ' ' || rpm FROM deployment WHERE external_id = '" + addedId + "'")).isEqualTo("ACTIVE 60");
        assertThat(one("SELECT rpm::text FROM deployment WHERE external_id = '" + edited + "'")).isEqualTo("7");
        assertThat(raced.counts().skipped()).as("%s", raced.changes()).isGreaterThanOrEqualTo(6);
        assertThat(raced.counts().created()).as("%s", raced.changes()).isZero();
        assertThat(raced.counts().stale()).as("%s", raced.changes()).isZero();

        // LiteLLM has every mutation: the next sync (which read it afterwards) has nothing to change and purges tombstones
        SyncRun next = syncModels();
        assertThat(next.counts().created()).as("%s", next.changes()).isZero();
        assertThat(next.counts().updated()).as("%s", next.changes()).isZero();
        assertThat(next.counts().stale()).isZero();
        assertThat(next.counts().skipped()).isZero();
        assertThat(count("SELECT count(*) FROM model WHERE name = 'hub-doomed'")).as("tombstone purged").isZero();
        assertThat(sim.deploymentIds()).contains(kept, addedId).doesNotContain(removed);
    }

    /**
     * Runs each mutation once on a model of its own, so that the ones made while the sync's page is held are quick:
     * the client's response timeout keeps running while LiteLLM holds the answer.
     */
    private void warmUp() {
        String warm = sim.addDbDeployment("warm-up", Map.of("model", "openai/gpt-4.1-nano"), Map.of());
        syncModels();
        Map<String, Object> added = mutate("addDeployment", "AddDeploymentInput", Map.of("modelId", modelId("warm-up"), "litellmModel", "openai/o3"));
        mutate("updateDeployment", "UpdateDeploymentInput", Map.of("id", deploymentId(warm), "limits", Map.of("rpm", 1)));
        mutate("updateModel", "UpdateModelInput", Map.of("id", modelId("warm-up"), "pricing", Map.of("inputCostPerToken", "0.000001")));
        mutate("removeDeployment", "RemoveDeploymentInput", Map.of("id", map(added, "deployment").get("id")));
        mutate("deleteModel", "DeleteModelInput", Map.of("id", modelId("warm-up")));
        mutate("createModel", "CreateModelInput", Map.of("name", "warm-up-2", "litellmModel", "openai/o3"));
        syncModels();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> mutate(String field, String inputType, Map<String, Object> input) {
        return (Map<String, Object>) admin().document("mutation($input: " + inputType + "!) { " + field + "(input: $input) { "
                        + (field.startsWith("delete") || field.startsWith("remove") ? "deletedId userErrors { field message code }" : PAYLOAD)
                        + " } }")
                .variable("input", new LinkedHashMap<>(input)).execute()
                .path(field).entity(Map.class).get();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errors(Map<String, Object> payload) {
        return (List<Map<String, Object>>) payload.get("userErrors");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    private String modelId(String name) {
        return one("SELECT id::text FROM model WHERE name = '" + name + "' AND deleted_at IS NULL");
    }

    private String deploymentId(String externalId) {
        return one("SELECT id::text FROM deployment WHERE external_id = '" + externalId + "' AND deleted_at IS NULL");
    }
}
