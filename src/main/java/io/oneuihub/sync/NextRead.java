package io.oneuihub.sync;

import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;

/**
 * One read shared by the callers that ask while it is due: a caller always gets a read that starts after it asked
 * (so it sees at least what was committed when it asked), and at most one read runs at a time. Callers that ask
 * while a read runs share the next one. A thousand syncEvents subscribers arriving together then cost a handful
 * of statements, not a thousand queued on the connection pool.
 */
final class NextRead<T> {

    private final Supplier<Mono<T>> read;
    private Sinks.One<T> next;
    private boolean running;

    NextRead(Supplier<Mono<T>> read) {
        this.read = read;
    }

    Mono<T> get() {
        return Mono.defer(() -> {
            Sinks.One<T> mine;
            boolean start;
            synchronized (this) {
                if (next == null) {
                    next = Sinks.one();
                }
                mine = next;
                start = !running;
                if (start) {
                    running = true;
                    next = null;
                }
            }
            if (start) {
                run(mine);
            }
            return mine.asMono();
        });
    }

    private void run(Sinks.One<T> callers) {
        // the callers' own contexts (security, observation) stay out of a read that serves many of them
        Mono.defer(read)
                .contextWrite(context -> Context.empty())
                .subscribe(
                        value -> callers.tryEmitValue(value),
                        error -> {
                            callers.tryEmitError(error);
                            done();
                        },
                        () -> {
                            callers.tryEmitEmpty();
                            done();
                        });
    }

    private void done() {
        Sinks.One<T> waiting;
        synchronized (this) {
            waiting = next;
            next = null;
            running = waiting != null;
        }
        if (waiting != null) {
            run(waiting);
        }
    }
}
