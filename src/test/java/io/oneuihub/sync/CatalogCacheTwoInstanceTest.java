package io.oneuihub.sync;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog response cache across two instances on one database: the test context (A) writes, a second
 * application (B) reads. Whatever B cached, an answer read right after a committed write (a mutation, a sync apply,
 * a deployment mutation) is fresh, without waiting for B's NOTIFY.
 */
class CatalogCacheTwoInstanceTest extends SyncTestSupport {

    private static final String PAGE = "{ models(first: 50) { totalCount nodes { name description } } }";
    private int portB() {
        return secondInstancePort("cache-b");
    }

    private static EntityExchangeResult<String> anonymousOn(int port) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(60)).build()
                .post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("query", PAGE))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult();
    }

    private static String cache(EntityExchangeResult<String> result) {
        return result.getResponseHeaders().getFirst("X-Catalog-Cache");
    }

    @Test
    void aWriteCommittedThroughOneInstanceIsNeverServedStaleByTheOther() {
        int b = portB();
        sim.addDbDeployment("cache-alpha", Map.of("model", "openai/gpt-4.1-mini"), Map.of());
        syncModels();
        assertThat(anonymousOn(b).getResponseBody()).contains("cache-alpha");
        assertThat(cache(anonymousOn(b))).isEqualTo("HIT");
        String modelId = one("SELECT id::text FROM model WHERE name = 'cache-alpha'");

        // a model mutation on A, then at once a read on B, again and again: each read shows the write before it
        for (int i = 0; i < 15; i++) {
            String description = "written " + i;
            adminOn(port).document("mutation($input: UpdateModelInput!) { updateModel(input: $input) { userErrors { code } } }")
                    .variable("input", Map.of("id", modelId, "description", description)).execute()
                    .path("updateModel.userErrors").entityList(Object.class).hasSize(0);
            assertThat(anonymousOn(b).getResponseBody()).contains(description);
        }

        // the same while B hears no NOTIFY at all: its LISTEN connection is cut just before each write (it comes
        // back after a 200 ms backoff), so only B's version check can tell it that its entry is old
        for (int i = 0; i < 5; i++) {
            String listener = listenerOfB();
            assertThat(one("SELECT pg_terminate_backend(" + listener + ")")).isEqualTo("true");
            String description = "unheard " + i;
            adminOn(port).document("mutation($input: UpdateModelInput!) { updateModel(input: $input) { userErrors { code } } }")
                    .variable("input", Map.of("id", modelId, "description", description)).execute()
                    .path("updateModel.userErrors").entityList(Object.class).hasSize(0);
            assertThat(anonymousOn(b).getResponseBody()).contains(description);
            assertThat(cache(anonymousOn(b))).isEqualTo("HIT");
        }

        // a sync apply on A
        sim.addDbDeployment("cache-beta", Map.of("model", "openai/gpt-4.1-mini"), Map.of());
        assertThat(cache(anonymousOn(b))).isEqualTo("HIT");
        syncModels();
        EntityExchangeResult<String> afterSync = anonymousOn(b);
        assertThat(afterSync.getResponseBody()).contains("cache-beta");
        assertThat(cache(afterSync)).isEqualTo("MISS");

        // a deployment mutation on A (deployments are for admins: the anonymous page is re-executed all the same)
        assertThat(cache(anonymousOn(b))).isEqualTo("HIT");
        adminOn(port).document("mutation($input: AddDeploymentInput!) { addDeployment(input: $input) { userErrors { code } } }")
                .variable("input", Map.of("modelId", modelId, "litellmModel", "openai/gpt-4.1-mini-eu")).execute()
                .path("addDeployment.userErrors").entityList(Object.class).hasSize(0);
        assertThat(cache(anonymousOn(b))).isEqualTo("MISS");

        // and a write on B is seen by A's cache the same way
        assertThat(cache(anonymousOn(port))).isIn("HIT", "MISS");
        assertThat(cache(anonymousOn(port))).isEqualTo("HIT");
        adminOn(b).document("mutation($input: UpdateModelInput!) { updateModel(input: $input) { userErrors { code } } }")
                .variable("input", Map.of("id", modelId, "description", "from B")).execute()
                .path("updateModel.userErrors").entityList(Object.class).hasSize(0);
        assertThat(anonymousOn(port).getResponseBody()).contains("from B");
    }

    /** The pid of B's LISTEN connection, once B has one (again). */
    private String listenerOfB() {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            String pid = db.sql("SELECT pid::text AS pid FROM pg_stat_activity WHERE application_name = 'oneuihub-sync-listener cache-b'")
                    .map(row -> row.get("pid", String.class)).all().next().block();
            if (pid != null) {
                return pid;
            }
            assertThat(System.nanoTime()).as("B's LISTEN connection is back").isLessThan(deadline);
            sleep(50);
        }
    }
}
