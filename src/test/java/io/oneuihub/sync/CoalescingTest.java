package io.oneuihub.sync;

import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** A slow subscriber gets the latest progress per run and every terminal event; the source is never held up. */
class CoalescingTest {

    private static SyncEvent event(String run, SyncPhase phase, int sequence) {
        return new SyncEvent(run, SyncKind.MODELS, phase, sequence, 100, null, null, null, OffsetDateTime.now(), sequence);
    }

    @Test
    void keepsTheLatestProgressAndNeverDropsTerminalEvents() {
        Sinks.Many<SyncEvent> source = Sinks.many().multicast().directBestEffort();
        StepVerifier.create(Coalescing.latestPerRun(source.asFlux()), 0)
                .then(() -> {
                    source.tryEmitNext(event("a", SyncPhase.STARTED, 1));
                    for (int i = 2; i <= 1000; i++) {
                        source.tryEmitNext(event("a", SyncPhase.APPLYING, i));
                    }
                    source.tryEmitNext(event("b", SyncPhase.FETCHING, 1));
                    source.tryEmitNext(event("a", SyncPhase.COMPLETED, 1001));
                    source.tryEmitNext(event("b", SyncPhase.FAILED, 2));
                })
                .thenRequest(10)
                .expectNextMatches(e -> e.runId().equals("a") && e.sequence() == 1000)
                .expectNextMatches(e -> e.runId().equals("b") && e.phase() == SyncPhase.FETCHING)
                .expectNextMatches(e -> e.runId().equals("a") && e.phase() == SyncPhase.COMPLETED)
                .expectNextMatches(e -> e.runId().equals("b") && e.phase() == SyncPhase.FAILED)
                .thenCancel()
                .verify();
    }
}
