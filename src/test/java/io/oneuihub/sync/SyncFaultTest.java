package io.oneuihub.sync;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.oneuihub.dev.litellm.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way LiteLLM can fail while a sync reads it leaves every catalog and budget table byte-for-byte as it
 * was, the run FAILED with LiteLLM's failure category, and a subscriber gets FAILED.
 */
class SyncFaultTest extends SyncTestSupport {

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("5xx JSON", Fault.serverErrorJson(), "UNAVAILABLE"),
                Arguments.of("plain-text 500", Fault.plainText500(), "UNAVAILABLE"),
                Arguments.of("connection closed", Fault.connectionClosed(), "UNAVAILABLE"),
                Arguments.of("malformed JSON", Fault.malformedJson(), "PROTOCOL"),
                Arguments.of("truncated JSON", Fault.truncatedJson(), "PROTOCOL"),
                Arguments.of("slow drip beyond the timeout", Fault.slowDrip(Duration.ofMillis(400)), "TIMEOUT"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void aFaultDuringFetchChangesNothing(String name, Fault fault, String code) {
        prepareCatalogThatWouldChange();
        sim.inject(fault, "/v2/model/info");
        assertFailsCleanly(code);
    }

    @Test
    void connectionRefusedChangesNothing() {
        prepareCatalogThatWouldChange();
        sim.pauseListening();
        assertFailsCleanly("UNAVAILABLE");
    }

    @Test
    void aFailureInTheMiddleOfALargeMultiPageSyncChangesNothing() {
        sim.generateLargeCatalog(2_000, 10); // 4 pages of 500
        syncModels();
        sim.reset().generateLargeCatalog(3_000, 12); // 6 pages: prices, providers and groups change
        sim.failAfter(3, Fault.serverErrorJson(), "/v2/model/info");
        assertFailsCleanly("UNAVAILABLE");
    }

    @Test
    void aBudgetSyncFailingOnTheCustomerReadChangesNothing() {
        sim.seedRealisticCatalog();
        syncBudgets();
        sim.putCustomer("new-customer", "free_tier", java.math.BigDecimal.ONE);
        sim.inject(Fault.plainText500(), "/customer/list");
        Map<String, String> before = checksums();
        String id = startBudgets(false);
        SyncRun run = await(id);
        assertThat(run.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(run.error().code()).isEqualTo("UNAVAILABLE");
        assertThat(checksums()).isEqualTo(before);
    }

    private void prepareCatalogThatWouldChange() {
        sim.seedRealisticCatalog();
        syncModels();
        db.sql("UPDATE model SET description = 'kept', enabled = false WHERE name = (SELECT min(name) FROM model)").then().block();
        // upstream moves on: a sync that worked would write
        sim.changeDeploymentInfo(sim.deploymentIds().get(0), Map.of("max_input_tokens", 4242));
        sim.removeDeployment(sim.deploymentIds().get(1));
        sim.addDbDeployment("fault-model", Map.of("model", "openai/gpt-4o"), Map.of());
    }

    private void assertFailsCleanly(String code) {
        Map<String, String> before = checksums();
        try {
            String id = startModels(false);
            // subscribed after the start: gets the latest state first, then the rest, until FAILED
            List<Map<String, Object>> events = progress(id).collectList().block(DEADLINE);
            SyncRun run = await(id);
            assertThat(run.status()).isEqualTo(SyncStatus.FAILED);
            assertThat(run.error().code()).isEqualTo(code);
            assertThat(run.error().message()).doesNotContain(KEY);
            assertThat(run.counts()).isEqualTo(SyncCounts.ZERO);
            assertThat(checksums()).as("catalog and budgets untouched").isEqualTo(before);
            assertThat(events).isNotEmpty();
            Map<String, Object> last = events.get(events.size() - 1);
            assertThat(last.get("phase")).isEqualTo("FAILED");
            assertThat(last.get("error")).isEqualTo(Map.of("code", code, "message", run.error().message().length() > 1000
                    ? ((Map<?, ?>) last.get("error")).get("message") : run.error().message()));
        } finally {
            sim.clearFaults();
            sim.resumeListening();
        }
    }
}
