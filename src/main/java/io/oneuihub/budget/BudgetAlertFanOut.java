package io.oneuihub.budget;

import java.util.function.Predicate;

import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * An instance's budget alerts to its local subscribers. Publishing never waits for a subscriber, and no alert is
 * dropped or merged away for a subscriber that keeps up. A subscriber that falls more than {@code maxPending} alerts
 * behind (a client that stopped reading, a socket that stalls) is cut off from new alerts at once instead of
 * buffering without bound: memory stays at most {@code maxPending} alerts per subscriber, and the others go on. It
 * still receives the alerts kept for it, then its subscription ends with {@link TooSlowException}.
 */
final class BudgetAlertFanOut {

    /** A subscriber fell too far behind; it is told so and may subscribe again (the alerts it missed are not re-sent). */
    static final class TooSlowException extends RuntimeException {

        TooSlowException(int maxPending) {
            super("This subscription fell more than " + maxPending + " alerts behind and was ended; subscribe again"
                    + " (the alerts it did not receive are not sent again).");
        }
    }

    private final Sinks.Many<BudgetAlert> sink = Sinks.many().multicast().directBestEffort();
    private final int maxPending;

    BudgetAlertFanOut(int maxPending) {
        this.maxPending = maxPending;
    }

    /** Hands an alert to every current subscriber. Callers publish one alert at a time, never concurrently. */
    void publish(BudgetAlert alert) {
        // FAIL_ZERO_SUBSCRIBER is fine: nobody here listens. No subscriber lacks demand (each buffers), so none drops it.
        sink.tryEmitNext(alert);
    }

    /** The alerts published from now on that the subscriber wants; hot, never completes. */
    Flux<BudgetAlert> subscribe(Predicate<BudgetAlert> wanted) {
        return sink.asFlux()
                .filter(wanted)
                // requests unbounded from the sink, so the sink always finds demand; overflow ends this subscriber only
                .onBackpressureBuffer(maxPending)
                .onErrorMap(Exceptions::isOverflow, e -> new TooSlowException(maxPending));
    }

    /** Local subscribers right now. */
    int subscribers() {
        return sink.currentSubscriberCount();
    }
}
