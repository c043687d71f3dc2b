package io.oneuihub.sync;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Backpressure for sync events: a slow subscriber never slows the source and never makes it buffer without
 * bound. While it has not caught up, a newer progress event of a run replaces the older one still waiting
 * (at most one pending progress event per run); COMPLETED and FAILED are never dropped. Per run the order is
 * kept.
 */
final class Coalescing {

    private Coalescing() {
    }

    static Flux<SyncEvent> latestPerRun(Flux<SyncEvent> source) {
        return Flux.create(sink -> {
            Deque<SyncEvent> pending = new ArrayDeque<>();
            AtomicInteger wip = new AtomicInteger();
            Runnable drain = () -> {
                if (wip.getAndIncrement() != 0) {
                    return;
                }
                do {
                    while (true) {
                        SyncEvent next;
                        synchronized (pending) {
                            if (pending.isEmpty() || sink.requestedFromDownstream() == 0 || sink.isCancelled()) {
                                break;
                            }
                            next = pending.poll();
                        }
                        sink.next(next);
                    }
                } while (wip.decrementAndGet() != 0);
            };
            Disposable upstream = source.subscribe(event -> {
                synchronized (pending) {
                    if (!event.terminal()) {
                        pending.removeIf(p -> !p.terminal() && p.runId().equals(event.runId()));
                    }
                    pending.add(event);
                }
                drain.run();
            }, sink::error, sink::complete);
            sink.onRequest(n -> drain.run());
            sink.onDispose(upstream);
        }, FluxSink.OverflowStrategy.ERROR);
    }
}
