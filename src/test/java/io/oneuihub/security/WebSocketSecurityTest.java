package io.oneuihub.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.dev.LocalIssuer;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/** graphql-ws authentication over a real socket: connection_init, roles, token expiry, origins. */
@SecuredApplicationTest
class WebSocketSecurityTest extends GraphQlTestSupport {

    private static final String PROBE = "subscription { securityProbe(ticks: 100000, intervalMs: 100) }";

    @Test
    void connectionInitWithAValidTokenIsAcknowledged() {
        GraphQlWsClient.Result result = GraphQlWsClient.run(port, LocalIssuer.userToken(), null, 0, Duration.ofSeconds(5));
        assertThat(result.acked()).isTrue();
    }

    @Test
    void connectionInitWithoutATokenIsClosedWith4401() {
        GraphQlWsClient.Result result = GraphQlWsClient.run(port, null, PROBE, 1, Duration.ofSeconds(5));
        assertThat(result.acked()).isFalse();
        assertThat(result.closeCode()).isEqualTo(4401);
    }

    @Test
    void garbageTokenIsClosedWith4401() {
        GraphQlWsClient.Result result = GraphQlWsClient.run(port, "not.a.jwt", PROBE, 1, Duration.ofSeconds(5));
        assertThat(result.closeCode()).isEqualTo(4401);
    }

    @Test
    void tokenThatExpiresDuringASubscriptionEndsItWithUnauthorized() {
        // The decoder allows 60 s of clock skew at connection_init; the stream ends at exp itself.
        String shortLived = LocalIssuer.token("admin@example.com", Map.of("roles", List.of("admin")), Duration.ofSeconds(3));
        GraphQlWsClient.Result result = GraphQlWsClient.run(port, shortLived, PROBE, Integer.MAX_VALUE, Duration.ofSeconds(15));
        assertThat(result.dataEvents()).as("events before expiry").isGreaterThan(3);
        assertThat(result.ofType("error")).as(result.messages().toString()).hasSize(1);
        assertThat(result.errorClassification()).isEqualTo("UNAUTHORIZED");
        assertThat(result.elapsed()).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(6));
    }

    @Test
    void foreignOriginCannotOpenTheSocket() {
        HttpHeaders headers = new HttpHeaders();
        headers.setOrigin("https://evil.example");
        GraphQlWsClient.Result result = GraphQlWsClient.run(port, LocalIssuer.adminToken(), PROBE, 1,
                Duration.ofSeconds(5), headers);
        assertThat(result.acked()).isFalse();
        assertThat(result.messages()).isEmpty();
    }

    @Test
    void foreignOriginGetsNoCorsOverHttp() {
        http().options().uri("/graphql")
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist("Access-Control-Allow-Origin");
    }
}
