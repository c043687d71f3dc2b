package io.oneuihub.catalog;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Runs the write-through mutations of one model (by name) one after the other on this instance, without holding
 * a thread or a database connection while waiting. LiteLLM first, then the database, is two steps that a second
 * mutation of the same model must not interleave with: its expectedUpdatedAt check would pass on a version the
 * first is about to replace, and both would have written LiteLLM before either could notice.
 */
@Component
class ModelLocks {

    /** The last mutation queued per model name; completes (never fails) when it has finished. */
    private final ConcurrentHashMap<String, Mono<Void>> tails = new ConcurrentHashMap<>();

    /**
     * {@code work}, subscribed once the mutations of {@code name} queued before it have finished. Fails with
     * {@link Busy} when they have not finished within {@code maxWait} (then {@code work} never runs).
     */
    <T> Mono<T> serialize(String name, Duration maxWait, Supplier<Mono<T>> work) {
        return Mono.defer(() -> {
            Sinks.Empty<Void> done = Sinks.empty();
            Mono<Void> mine = done.asMono();
            Mono<Void>[] previous = new Mono[1];
            tails.compute(name, (key, tail) -> {
                previous[0] = tail;
                return mine;
            });
            Mono<Void> before = previous[0] == null ? Mono.empty() : previous[0];
            Runnable release = () -> {
                // the next in line starts only once everything queued before it has finished too
                before.doFinally(signal -> {
                    done.tryEmitEmpty();
                    tails.remove(name, mine);
                }).subscribe();
            };
            return before.timeout(maxWait, Mono.error(() -> new Busy(name)))
                    .then(Mono.defer(work))
                    .doFinally(signal -> release.run());
        });
    }

    /** Earlier mutations of the model did not finish in time. */
    static final class Busy extends RuntimeException {

        Busy(String name) {
            super("another change of model " + name + " is still running", null, false, false);
        }
    }
}
