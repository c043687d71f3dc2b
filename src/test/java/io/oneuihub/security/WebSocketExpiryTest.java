package io.oneuihub.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.execution.SubscriptionPublisherException;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/** The expiry logic on virtual time: a subscription stream ends with UNAUTHORIZED exactly at exp. */
class WebSocketExpiryTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static WebGraphQlResponse subscription(Flux<ExecutionResult> events) {
        ExecutionResult result = ExecutionResult.newExecutionResult().data(events).build();
        return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(
                ExecutionInput.newExecutionInput("subscription { x }").build(), result));
    }

    @Test
    void streamErrorsWithUnauthorizedAtExpiry() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        WebSocketAuthentication auth = new WebSocketAuthentication(a -> null, Clock.fixed(NOW, ZoneOffset.UTC), time);
        Flux<ExecutionResult> everySecond = Flux.interval(Duration.ofSeconds(1), time)
                .map(i -> ExecutionResult.newExecutionResult().data(Map.of("x", i)).build());
        WebGraphQlResponse bounded = auth.endAtExpiry(subscription(everySecond), NOW.plusSeconds(10).plusMillis(500));

        StepVerifier.withVirtualTime(() -> Flux.from(bounded.<org.reactivestreams.Publisher<ExecutionResult>>getData()), () -> time, Long.MAX_VALUE)
                .thenAwait(Duration.ofSeconds(10))
                .expectNextCount(10)
                .thenAwait(Duration.ofMillis(500))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(SubscriptionPublisherException.class);
                    var graphQlError = ((SubscriptionPublisherException) error).getErrors().get(0);
                    assertThat(graphQlError.getErrorType().toString()).isEqualTo("UNAUTHORIZED");
                    assertThat(graphQlError.getMessage()).contains("expired");
                })
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void streamThatFinishesBeforeExpiryCompletesNormally() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        WebSocketAuthentication auth = new WebSocketAuthentication(a -> null, Clock.fixed(NOW, ZoneOffset.UTC), time);
        Flux<ExecutionResult> three = Flux.range(0, 3).map(i -> ExecutionResult.newExecutionResult().data(i).build());
        WebGraphQlResponse bounded = auth.endAtExpiry(subscription(three), NOW.plusSeconds(60));
        StepVerifier.create(Flux.from(bounded.<org.reactivestreams.Publisher<ExecutionResult>>getData()))
                .expectNextCount(3).verifyComplete();
    }

    @Test
    void queriesOverTheSocketAreNotTouched() {
        WebSocketAuthentication auth = new WebSocketAuthentication(a -> null);
        ExecutionResult result = ExecutionResult.newExecutionResult().data(Map.of("a", List.of())).build();
        WebGraphQlResponse response = new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(
                ExecutionInput.newExecutionInput("{ a }").build(), result));
        assertThat(auth.endAtExpiry(response, NOW)).isSameAs(response);
    }
}
