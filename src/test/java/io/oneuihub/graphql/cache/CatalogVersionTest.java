package io.oneuihub.graphql.cache;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;

/** The single-flight version read: never a read that began before the request, at most one in flight and one waiting. */
class CatalogVersionTest {

    private final List<Sinks.One<Long>> reads = new CopyOnWriteArrayList<>();
    private final List<Long> newer = new CopyOnWriteArrayList<>();
    private final CatalogVersion version = new CatalogVersion(Mono.defer(() -> {
        Sinks.One<Long> read = Sinks.one();
        reads.add(read);
        return read.asMono();
    }), newer::add);

    private CompletableFuture<Long> ask() {
        return version.current().toFuture();
    }

    @Test
    void requestsArrivingDuringAReadShareTheNextOne() {
        CompletableFuture<Long> a = ask();
        assertThat(reads).hasSize(1);
        CompletableFuture<Long> b = ask();
        CompletableFuture<Long> c = ask();
        // b and c arrived after read 1 began: it may not have seen a write they saw
        assertThat(reads).hasSize(1);

        reads.get(0).tryEmitValue(5L);
        assertThat(a).isCompletedWithValue(5L);
        assertThat(b).isNotDone();
        assertThat(reads).hasSize(2);

        CompletableFuture<Long> d = ask();
        assertThat(reads).hasSize(2);
        reads.get(1).tryEmitValue(6L);
        assertThat(b).isCompletedWithValue(6L);
        assertThat(c).isCompletedWithValue(6L);
        assertThat(d).isNotDone();
        assertThat(reads).hasSize(3);

        reads.get(2).tryEmitError(new IllegalStateException("database gone"));
        assertThat(d).isCompletedExceptionally();
        // nothing in flight: the next request starts its own read at once
        CompletableFuture<Long> e = ask();
        assertThat(reads).hasSize(4);
        reads.get(3).tryEmitValue(6L);
        assertThat(e).isCompletedWithValue(6L);
        assertThat(newer).containsExactly(5L, 6L);
    }

    @Test
    void aRequestThatGoesAwayDoesNotCancelTheReadOthersWaitFor() {
        Disposable gone = version.current().subscribe();
        CompletableFuture<Long> stays = ask();
        CompletableFuture<Long> waiting = ask();
        gone.dispose();
        reads.get(0).tryEmitValue(1L);
        assertThat(stays).isNotDone(); // it arrived after read 1 began
        reads.get(1).tryEmitValue(2L);
        assertThat(stays).isCompletedWithValue(2L);
        assertThat(waiting).isCompletedWithValue(2L);
    }

    @Test
    void notificationsReportNewerVersionsOnly() {
        version.deliver(3L);
        version.deliver(2L);
        version.deliver(4L);
        assertThat(version.read("7")).isEqualTo(7L);
        assertThat(version.read("junk")).isNull();
        assertThat(newer).containsExactly(3L, 4L);
    }
}
