package io.oneuihub.litellm;

import java.time.Duration;
import java.util.UUID;

import io.oneuihub.dev.litellm.LiteLlmSimulator;
import org.springframework.web.reactive.function.client.WebClient;

/** A simulator plus a client pointed at it, with test-sized timeouts. The key exists only at runtime. */
final class SimulatorSupport {

    static final Duration CONNECT = Duration.ofMillis(500);
    static final Duration RESPONSE = Duration.ofMillis(500);

    private SimulatorSupport() {
    }

    static String newMasterKey() {
        return "sk-test-" + UUID.randomUUID().toString().replace("-", "");
    }

    static LiteLlmProperties properties(LiteLlmSimulator sim, String key) {
        return LiteLlmProperties.of(sim.baseUrl(), key).withTimeouts(CONNECT, RESPONSE).withRetries(2, Duration.ofMillis(20));
    }

    static LiteLlmClient client(LiteLlmProperties properties) {
        return new LiteLlmClient(WebClient.builder(), properties);
    }
}
