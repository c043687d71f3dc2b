package io.oneuihub.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.oneuihub.dev.litellm.Fault;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.client.WebSocketGraphQlClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Two application instances on one database: the test context (A) and a second one started here (B). */
class TwoInstanceSyncTest extends SyncTestSupport {

    private int secondPort() {
        return secondInstancePort("instance-b");
    }

    @Test
    void tenConcurrentRequestsOverBothInstancesStartExactlyOneRun() throws Exception {
        int portB = secondPort();
        sim.seedRealisticCatalog();
        sim.inject(Fault.latency(Duration.ofMillis(1500)), "/v2/model/info"); // the run stays RUNNING meanwhile
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Callable<Map<String, Object>>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int target = i % 2 == 0 ? port : portB;
                calls.add(() -> adminOn(target).documentName("syncModels").variable("dryRun", false).execute()
                        .path("syncModels").entity(Map.class).get());
            }
            Set<Object> runIds = new HashSet<>();
            int started = 0;
            int inProgress = 0;
            for (Future<Map<String, Object>> f : pool.invokeAll(calls)) {
                Map<String, Object> payload = f.get();
                runIds.add(((Map<?, ?>) payload.get("run")).get("id"));
                List<?> errors = (List<?>) payload.get("userErrors");
                if (errors.isEmpty()) {
                    started++;
                } else {
                    assertThat(((Map<?, ?>) errors.get(0)).get("code")).isEqualTo("SYNC_IN_PROGRESS");
                    inProgress++;
                }
            }
            assertThat(started).isEqualTo(1);
            assertThat(inProgress).isEqualTo(9);
            assertThat(runIds).hasSize(1);
            SyncRun run = await((String) runIds.iterator().next());
            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(count("SELECT count(*) FROM sync_run WHERE kind = 'MODELS'")).isEqualTo(1);
        } finally {
            pool.shutdownNow();
            sim.clearFaults();
        }
    }

    @Test
    void aSubscriberOnInstanceBSeesTheProgressOfARunOnInstanceA() {
        int portB = secondPort();
        sim.generateLargeCatalog(1_500, 5);
        sim.inject(Fault.latency(Duration.ofMillis(800)), "/v2/model/info");
        WebSocketGraphQlClient clientB = ws(portB);
        try {
            String id = startModels(false); // on A, the test context
            SyncRun running = runs.findById(java.util.UUID.fromString(id)).block();
            assertThat(running.instanceId()).isNotEqualTo("instance-b");
            List<Map<String, Object>> events = progress(clientB, id).collectList().block(DEADLINE);
            assertThat(events).extracting(e -> e.get("phase")).contains("FETCHING", "APPLYING").last().isEqualTo("COMPLETED");
            assertThat(events.stream().map(e -> (Integer) e.get("sequence")).toList()).isSorted().doesNotHaveDuplicates();
            assertThat(events.size()).isGreaterThan(2);
        } finally {
            clientB.stop().block(Duration.ofSeconds(5));
            sim.clearFaults();
        }
    }
}
