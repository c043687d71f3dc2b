package io.oneuihub.graphql;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

import static org.assertj.core.api.Assertions.assertThat;

/** Work handed off by a GraphQL POST runs after its exchange ends, however it ends, and exactly once. */
class AfterResponseTest {

    private final AfterResponseFilter filter = new AfterResponseFilter("/graphql");
    private final List<String> log = new CopyOnWriteArrayList<>();

    private WebFilterChain handing(String task, Mono<Void> thenTheResponse) {
        return exchange -> Mono.deferContextual(context -> {
            AfterResponse.executor(context).execute(() -> log.add(task));
            log.add("answered");
            return thenTheResponse;
        });
    }

    private static MockServerWebExchange post(String path) {
        return MockServerWebExchange.from(MockServerHttpRequest.post(path).build());
    }

    @Test
    void runsOnceTheResponseIsWritten() {
        StepVerifier.create(filter.filter(post("/graphql"), handing("run", Mono.fromRunnable(() -> log.add("written")))))
                .verifyComplete();
        assertThat(log).containsExactly("answered", "written", "run");
    }

    @Test
    void runsWhenTheResponseFailsOrTheClientGoesAway() {
        StepVerifier.create(filter.filter(post("/graphql"), handing("after error", Mono.error(new IllegalStateException("boom")))))
                .verifyError(IllegalStateException.class);
        StepVerifier.create(filter.filter(post("/graphql"), handing("after cancel", Mono.never())))
                .expectSubscription().expectNoEvent(Duration.ofMillis(20)).thenCancel().verify();
        assertThat(log).containsExactly("answered", "after error", "answered", "after cancel");
    }

    @Test
    void outsideAGraphQlPostWorkRunsAtOnce() {
        AfterResponse.executor(Context.empty()).execute(() -> log.add("at once"));
        StepVerifier.create(filter.filter(MockServerWebExchange.from(MockServerHttpRequest.get("/graphql").build()),
                handing("get", Mono.empty()))).verifyComplete();
        assertThat(log).containsExactly("at once", "get", "answered");
    }

    @Test
    void aTaskAddedAfterTheEndRunsAtOnceAndAFailingTaskDoesNotStopTheOthers() {
        AfterResponse hooks = new AfterResponse();
        var later = AfterResponse.executor(Context.of(AfterResponse.class, hooks));
        later.execute(() -> {
            throw new IllegalStateException("first task fails");
        });
        later.execute(() -> log.add("second"));
        hooks.responseWritten();
        later.execute(() -> log.add("late"));
        hooks.responseWritten();
        assertThat(log).containsExactly("second", "late");
    }
}
