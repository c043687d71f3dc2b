package io.oneuihub.sync;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import io.oneuihub.dev.litellm.Fault;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;

class SyncProgressTest extends SyncTestSupport {

    @Test
    void eventsArriveInOrderFromStartedToCompleted() {
        sim.generateLargeCatalog(1_500, 5); // 3 pages
        WebSocketGraphQlClient client = ws(port);
        Sinks.Many<Map<String, Object>> seen = Sinks.many().replay().all();
        // a run that just ended is replayed to a new subscriber: once it arrives, the subscription is live
        String marker = finishedRunJustNow("MODELS");
        Disposable subscription = events(client, "MODELS").subscribe(seen::tryEmitNext);
        try {
            seen.asFlux().filter(e -> marker.equals(e.get("runId"))).next().block(DEADLINE);
            String id = startModels(false);
            List<Map<String, Object>> events = seen.asFlux()
                    .filter(e -> id.equals(e.get("runId")))
                    .takeUntil(e -> "COMPLETED".equals(e.get("phase")) || "FAILED".equals(e.get("phase")))
                    .collectList().block(DEADLINE);
            assertThat(events).extracting(e -> e.get("phase")).first().isEqualTo("STARTED");
            assertThat(events).extracting(e -> e.get("phase")).contains("FETCHING", "APPLYING").last().isEqualTo("COMPLETED");
            List<Integer> sequences = events.stream().map(e -> (Integer) e.get("sequence")).toList();
            assertThat(sequences).isSorted().doesNotHaveDuplicates();
            Map<String, Object> completed = events.get(events.size() - 1);
            assertThat(completed.get("counts")).isEqualTo(Map.of("created", 1500 + 750 + 5, "updated", 0, "unchanged", 0,
                    "stale", 0, "failed", 0));
            // the first page and the last at once; the one between only if 100 ms passed (see the next test)
            List<Integer> fetched = events.stream().filter(e -> "FETCHING".equals(e.get("phase"))).map(e -> (Integer) e.get("processed")).toList();
            assertThat(fetched).startsWith(500).endsWith(1500).isSorted().doesNotHaveDuplicates();

            // a subscription to a finished run sends its final event and completes
            List<Map<String, Object>> late = progress(client, id).collectList().block(DEADLINE);
            assertThat(late).hasSize(1);
            assertThat(late.get(0).get("phase")).isEqualTo("COMPLETED");
            assertThat(late.get(0).get("sequence")).isEqualTo(completed.get("sequence"));
        } finally {
            subscription.dispose();
            client.stop().block(Duration.ofSeconds(5));
        }
    }

    /**
     * A listing read fast reports its pages at most every 100 ms (1,000 subscribers of 20 pages a half second got
     * COMPLETED late behind the backlog), the first and the last page always; a page held back that no later page
     * followed is still reported (SyncWritesAfterReadingTest waits for one).
     */
    @Test
    void pagesReadFastAreReportedAtMostEvery100MsFirstAndLastAlways() {
        sim.generateLargeCatalog(5_000, 10); // 10 pages of 500
        var hold = sim.holdAfter(0, "/v2/model/info"); // the first page waits until the subscription is live
        String id = startModels(false);
        hold.awaitHeld(DEADLINE);
        Sinks.Many<Map<String, Object>> seen = Sinks.many().replay().all();
        Disposable subscription = progress(id).subscribe(seen::tryEmitNext);
        List<Map<String, Object>> events;
        try {
            // the run's latest state comes first, once the live feed is joined
            seen.asFlux().next().block(DEADLINE);
            hold.release();
            events = seen.asFlux().takeUntil(e -> "COMPLETED".equals(e.get("phase")) || "FAILED".equals(e.get("phase")))
                    .collectList().block(DEADLINE);
        } finally {
            subscription.dispose();
        }
        List<Map<String, Object>> fetching = events.stream().filter(e -> "FETCHING".equals(e.get("phase"))).toList();
        assertThat(fetching).extracting(e -> (Integer) e.get("processed")).startsWith(500).endsWith(5_000).isSorted();
        for (int i = 1; i < fetching.size() - 1; i++) {
            OffsetDateTime before = OffsetDateTime.parse((String) fetching.get(i - 1).get("at"));
            OffsetDateTime at = OffsetDateTime.parse((String) fetching.get(i).get("at"));
            assertThat(Duration.between(before, at)).as("FETCHING %s after %s", fetching.get(i).get("processed"),
                    fetching.get(i - 1).get("processed")).isGreaterThanOrEqualTo(Duration.ofMillis(99));
        }
        assertThat(events.get(events.size() - 1).get("phase")).isEqualTo("COMPLETED");
    }

    @Test
    void aLateSubscriberGetsTheLatestStateThenTheRest() {
        sim.seedRealisticCatalog();
        sim.inject(Fault.latency(Duration.ofMillis(1200)), "/v2/model/info");
        WebSocketGraphQlClient client = ws(port);
        try {
            String id = startModels(false);
            sleep(300); // joins while the run waits for LiteLLM
            List<Map<String, Object>> events = progress(client, id).collectList().block(DEADLINE);
            assertThat(events.get(0).get("phase")).isEqualTo("STARTED");
            assertThat(events.get(events.size() - 1).get("phase")).isEqualTo("COMPLETED");
            assertThat(events.stream().map(e -> (Integer) e.get("sequence")).toList()).isSorted().doesNotHaveDuplicates();
        } finally {
            client.stop().block(Duration.ofSeconds(5));
        }
    }

    @Test
    void plainUsersCannotSubscribe() {
        String id = one("INSERT INTO sync_run (kind, status, trigger) VALUES ('MODELS', 'SUCCEEDED', 'x') RETURNING id::text");
        WebSocketGraphQlClient client = WebSocketGraphQlClient.builder(java.net.URI.create("ws://127.0.0.1:" + port + "/graphql"),
                        new org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient())
                .interceptor(new org.springframework.graphql.client.WebSocketGraphQlClientInterceptor() {
                    @Override
                    public reactor.core.publisher.Mono<Object> connectionInitPayload() {
                        return reactor.core.publisher.Mono.just(Map.of("Authorization", "Bearer " + io.oneuihub.dev.LocalIssuer.userToken()));
                    }
                }).build();
        try {
            Throwable error = Flux.from(progress(client, id)).then().materialize().block(DEADLINE).getThrowable();
            assertThat(error).isNotNull();
        } finally {
            client.stop().block(Duration.ofSeconds(5));
        }
    }
}
