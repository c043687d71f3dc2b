package io.oneuihub.sync;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;

class NextReadTest {

    /** Reads that finish when the test says; each answers its own number. */
    private final List<Sinks.One<Integer>> started = new ArrayList<>();
    private final NextRead<Integer> reads = new NextRead<>(() -> {
        Sinks.One<Integer> read = Sinks.one();
        started.add(read);
        int number = started.size();
        return read.asMono().map(ignored -> number);
    });

    @Test
    void callersArrivingWhileAReadRunsShareTheNextOneAndNeverGetTheRunningOne() {
        List<Integer> first = new ArrayList<>();
        List<Integer> later = new ArrayList<>();
        reads.get().subscribe(first::add);
        assertThat(started).hasSize(1);

        for (int i = 0; i < 100; i++) {
            reads.get().subscribe(later::add);
        }
        assertThat(started).as("one read at a time").hasSize(1);

        started.get(0).tryEmitValue(0);
        assertThat(first).containsExactly(1);
        assertThat(later).as("they asked after read 1 began").isEmpty();
        assertThat(started).as("the next read starts once the running one ends").hasSize(2);

        started.get(1).tryEmitValue(0);
        assertThat(later).hasSize(100).containsOnly(2);
        assertThat(started).hasSize(2);
    }

    @Test
    void aFailedReadFailsItsCallersAndTheNextCallerGetsAFreshRead() {
        List<Throwable> errors = new ArrayList<>();
        reads.get().subscribe(value -> { }, errors::add);
        started.get(0).tryEmitError(new IllegalStateException("down"));
        assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessage("down"));

        assertThat(reads.get().toFuture()).isNotDone();
        assertThat(started).hasSize(2);
        started.get(1).tryEmitValue(0);
        assertThat(reads.get().map(n -> n).toFuture()).isNotDone(); // a third read, started after this ask
        assertThat(started).hasSize(3);
    }

    @Test
    void nothingIsReadUntilACallerSubscribes() {
        Mono<Integer> pending = reads.get();
        assertThat(started).isEmpty();
        pending.subscribe();
        assertThat(started).hasSize(1);
    }
}
