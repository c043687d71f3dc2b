package io.oneuihub.litellm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.oneuihub.dev.litellm.Fault;
import io.oneuihub.dev.litellm.LiteLlmSimulator;
import io.oneuihub.dev.litellm.ShapeMode;
import io.oneuihub.litellm.LiteLlmException.Category;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Every fault ends in the right typed error, in time, without a stack trace or the key in any message or log line. */
@ExtendWith(OutputCaptureExtension.class)
class LiteLlmClientFaultTest {

    /** Retries (2 × ≤40 ms backoff) plus three attempts of at most RESPONSE each, plus slack: nothing may hang longer. */
    private static final Duration DEADLINE = SimulatorSupport.RESPONSE.multipliedBy(3).plusSeconds(2);
    private static String key;
    private static LiteLlmSimulator sim;
    private LiteLlmClient client;

    private static final List<String> VERBOSE = List.of("reactor.netty", "org.springframework.web.reactive.function.client",
            "io.oneuihub.litellm");

    @BeforeAll
    static void start() {
        for (String name : VERBOSE) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.DEBUG);
        }
        key = SimulatorSupport.newMasterKey();
        sim = LiteLlmSimulator.start(0, key);
    }

    @AfterAll
    static void stop() {
        sim.stop();
        // Left on, DEBUG from Netty's event loops floods the forked JVM's stdout for every later test class.
        for (String name : VERBOSE) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(null);
        }
    }

    @BeforeEach
    void fresh() {
        sim.resumeListening();
        sim.reset().clearFaults().mode(ShapeMode.CURRENT).seedRealisticCatalog();
        sim.resetCounters();
        client = SimulatorSupport.client(SimulatorSupport.properties(sim, key));
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(Fault.serverErrorJson(), Category.UNAVAILABLE),
                Arguments.of(Fault.plainText500(), Category.UNAVAILABLE),
                Arguments.of(Fault.connectionClosed(), Category.UNAVAILABLE),
                Arguments.of(Fault.malformedJson(), Category.PROTOCOL),
                Arguments.of(Fault.truncatedJson(), Category.PROTOCOL),
                Arguments.of(Fault.latency(SimulatorSupport.RESPONSE.multipliedBy(3)), Category.TIMEOUT),
                Arguments.of(Fault.slowDrip(Duration.ofMillis(150)), Category.TIMEOUT));
    }

    @ParameterizedTest
    @MethodSource("faults")
    void everyFaultEndsInATypedErrorInTime(Fault fault, Category expected, CapturedOutput output) {
        sim.inject(fault);
        for (Mono<?> call : List.of(client.deployments().then(), client.budgets().then(), client.globalSpend(),
                client.updateBudget(new io.oneuihub.litellm.BudgetRequest("pro_tier", java.math.BigDecimal.TEN, null, null, null, null, null,
                        null, null)))) {
            StepVerifier.create(call)
                    .expectErrorSatisfies(e -> assertSanitized(e, expected))
                    .verify(DEADLINE);
        }
        assertThat(output.getAll()).as("DEBUG logging of the client is on, so this check means something")
                .contains("HTTP GET " + sim.baseUrl() + "/budget/list");
        assertThat(output.getAll()).doesNotContain(key);
    }

    @Test
    void connectionRefusedIsUnavailable(CapturedOutput output) {
        sim.pauseListening();
        StepVerifier.create(client.deployments()).expectErrorSatisfies(e -> assertSanitized(e, Category.UNAVAILABLE)).verify(DEADLINE);
        assertThat(output.getAll()).doesNotContain(key);
    }

    @Test
    void readsAreRetriedAndWritesAreNot() {
        sim.inject(Fault.serverErrorJson());
        StepVerifier.create(client.budgets()).expectError(LiteLlmException.class).verify(DEADLINE);
        assertThat(sim.requestCount("GET", "/budget/list")).as("1 attempt + 2 retries").isEqualTo(3);

        for (Mono<?> write : List.<Mono<?>>of(
                client.createDeployment(new NewDeployment(null, "x", Map.of("model", "openai/gpt-4o"), null)),
                client.updateDeployment("0b6a4c0e-7d1f-4f5e-9a43-2f1c8e6d9b27", new DeploymentUpdate(null, Map.of("rpm", 1), null)),
                client.deleteDeployment("0b6a4c0e-7d1f-4f5e-9a43-2f1c8e6d9b27"),
                client.createBudget(new BudgetRequest("b", java.math.BigDecimal.ONE, null, null, null, null, null, null, null)),
                client.deleteBudget("free_tier"))) {
            StepVerifier.create(write).expectError(LiteLlmException.class).verify(DEADLINE);
        }
        assertThat(sim.requestCount("POST", "/model/new")).isEqualTo(1);
        assertThat(sim.requestCount("PATCH", "/model/0b6a4c0e-7d1f-4f5e-9a43-2f1c8e6d9b27/update")).isEqualTo(1);
        assertThat(sim.requestCount("POST", "/model/delete")).isEqualTo(1);
        assertThat(sim.requestCount("POST", "/budget/new")).isEqualTo(1);
        assertThat(sim.requestCount("POST", "/budget/delete")).isEqualTo(1);
    }

    @Test
    void aRetriedReadRecoversFromTransientFailures() {
        sim.failFirst(2, Fault.connectionClosed(), "/customer/list");
        StepVerifier.create(client.customers().count()).expectNext(5L).verifyComplete();
        assertThat(sim.requestCount("GET", "/customer/list")).isEqualTo(3);
    }

    @Test
    void aFailingThirdPageFailsTheWholeReadAfterTwoPages() {
        LiteLlmClient paged = SimulatorSupport.client(SimulatorSupport.properties(sim, key).withPageSize(10));
        sim.failAfter(2, Fault.serverErrorJson(), "/v2/model/info");
        StepVerifier.create(paged.deploymentPages())
                .expectNextCount(2)
                .expectErrorSatisfies(e -> assertSanitized(e, Category.UNAVAILABLE))
                .verify(DEADLINE);
        assertThat(sim.requestCount("GET", "/v2/model/info")).as("2 pages + 3 attempts at page 3").isEqualTo(5);
    }

    @Test
    void anOversizedBodyIsAProtocolError() {
        LiteLlmClient small = SimulatorSupport.client(SimulatorSupport.properties(sim, key).withMaxResponseSize(DataSize.ofKilobytes(4)));
        StepVerifier.create(small.deployments())
                .expectErrorSatisfies(e -> {
                    assertSanitized(e, Category.PROTOCOL);
                    assertThat(e.getMessage()).contains("response larger than 4096 bytes");
                })
                .verify(DEADLINE);
    }

    @Test
    void theHealthIndicatorReportsUpAndASanitizedDown() {
        LiteLlmHealthIndicator health = new LiteLlmHealthIndicator(client);
        StepVerifier.create(health.health()).assertNext(h -> assertThat(h.getStatus()).isEqualTo(Status.UP)).verifyComplete();
        sim.pauseListening();
        StepVerifier.create(health.health())
                .assertNext(h -> {
                    assertThat(h.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(h.getDetails()).containsEntry("category", "UNAVAILABLE");
                    assertThat(h.getDetails().get("reason").toString()).contains("connection refused").doesNotContain(key);
                })
                .verifyComplete();
    }

    @Test
    void theKeyIsRedactedEvenWhenLiteLlmEchoesIt() {
        Secrets secrets = new Secrets(key);
        String otherKey = "sk-" + "abcdefghij".repeat(2); // built at runtime: no key-shaped literal in the repo
        ErrorDecoder decoder = new ErrorDecoder(secrets);
        String body = "{\"error\":{\"message\":\"Authentication Error, bad key " + key + " and " + otherKey + "\",\"type\":\"auth_error\",\"param\":\"None\",\"code\":\"401\"}}";
        LiteLlmException e = decoder.fromResponse("GET /x", 401, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(e.getMessage()).doesNotContain(key).doesNotContain(otherKey).contains("[REDACTED]");
        assertThat(new LiteLlmProperties(sim.baseUrl(), key, null, null, null, null, null, null).toString()).doesNotContain(key);
    }

    private void assertSanitized(Throwable e, Category expected) {
        assertThat(e).isInstanceOf(LiteLlmException.class);
        assertThat(((LiteLlmException) e).category()).as(e.getMessage()).isEqualTo(expected);
        assertThat(e.getMessage()).doesNotContain(key).doesNotContain("\n").doesNotContain("Exception:").doesNotContain("\tat ");
    }
}
