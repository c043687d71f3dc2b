package io.oneuihub.sync;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The company mutations assign models exactly as the models sync would: after them, a sync of the same
 * LiteLLM catalog has nothing to change (no phantom updates, no company taken back).
 */
class CompanyMutationSyncTest extends SyncTestSupport {

    @Test
    void aSyncAfterCompanyMutationsHasNothingToChange() {
        sim.seedRealisticCatalog();
        syncModels();
        assertThat(slugOf("gpt-4o")).isEqualTo("openai"); // on openai and azure
        assertThat(slugOf("o3-mini")).isEqualTo("microsoft"); // on azure only

        // Fold Ollama into a new Meta: its models and its keys move.
        String meta = create("meta", "Meta", List.of("meta_llama"));
        delete(companyId("ollama"), meta);
        // Microsoft's models go to a hosting company; gpt-4o follows azure too, but on the tie openai (the maker) wins.
        delete(companyId("microsoft"), create("azure-cloud", "Azure", List.of()));
        // vertex_ai leaves Google for a company of its own.
        update(companyId("google"), List.of("gemini"));
        create("vertex", "Vertex AI", List.of(" Vertex_AI"));

        assertThat(slugOf("llama3")).isEqualTo("meta");
        assertThat(slugOf("o3-mini")).isEqualTo("azure-cloud");
        assertThat(slugOf("gpt-4o")).isEqualTo("openai");
        assertThat(slugOf("text-embedding-005")).isEqualTo("vertex"); // vertex_ai only
        assertThat(slugOf("gemini-2.5-pro")).isEqualTo("google"); // gemini and vertex_ai: the maker wins
        assertThat(slugOf("claude-sonnet-4")).isEqualTo("anthropic");

        Map<String, String> contents = checksums();
        Map<String, String> versions = rowVersions();
        SyncRun run = syncModels();
        assertThat(run.counts().created()).isZero();
        assertThat(run.counts().updated()).as("changes: %s", run.changes()).isZero();
        assertThat(run.counts().stale()).isZero();
        assertThat(rowVersions()).as("no row rewritten").isEqualTo(versions);
        assertThat(checksums()).isEqualTo(contents);
    }

    private String create(String slug, String name, List<String> providers) {
        return admin().documentName("createCompany")
                .variable("input", Map.of("slug", slug, "name", name, "providers", providers)).execute()
                .path("createCompany.userErrors").entityList(Object.class).hasSize(0)
                .path("createCompany.company.id").entity(String.class).get();
    }

    private void update(String id, List<String> providers) {
        admin().documentName("updateCompany").variable("input", Map.of("id", id, "providers", providers)).execute()
                .path("updateCompany.userErrors").entityList(Object.class).hasSize(0);
    }

    private void delete(String id, String moveModelsTo) {
        Map<String, Object> input = new HashMap<>();
        input.put("id", id);
        input.put("moveModelsTo", moveModelsTo);
        admin().documentName("deleteCompany").variable("input", input).execute()
                .path("deleteCompany.userErrors").entityList(Object.class).hasSize(0)
                .path("deleteCompany.deletedId").entity(String.class).isEqualTo(id);
    }

    private String companyId(String slug) {
        return one("SELECT id FROM company WHERE slug = '" + slug + "'");
    }

    private String slugOf(String model) {
        return one("SELECT coalesce(c.slug, 'none') FROM model m LEFT JOIN company c ON c.id = m.company_id WHERE m.name = '" + model + "'");
    }
}
