package io.oneuihub.budget;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.oneuihub.db.NotificationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Budget alerts from every instance's syncs to this instance's subscribers. A NOTIFY on
 * {@link BudgetAlertStore#CHANNEL} (through the instance's one LISTEN connection, {@link NotificationListener}) is
 * only a wake-up: the bus then reads {@code budget_alert} rows with a seq above the last one it delivered, in seq
 * order, and hands them to the local subscribers ({@link BudgetAlertFanOut}). So a lost notification (the
 * connection was down) or a doubled one never loses or repeats an alert, and after every LISTEN, the first and each
 * after a reconnect, the bus catches up the same way.
 * <p>
 * Where a starting instance begins: the highest seq stored when its first LISTEN took. It delivers nothing
 * older; its subscribers start after that point ({@link #alerts} waits for it). Reads are serialised (one at a
 * time; wake-ups during a read cause one more read) and retried with backoff when the database fails, for as long as
 * the application runs.
 */
@Component
public class BudgetAlertBus implements NotificationListener.Channel<Boolean>, DisposableBean {

    /** Alerts a subscriber may fall behind by before it is ended (see {@link BudgetAlertFanOut}). */
    static final int MAX_PENDING = 1000;
    /** Alerts per read. */
    private static final int PAGE = 500;
    private static final Boolean WAKE = Boolean.TRUE;
    private static final Logger log = LoggerFactory.getLogger(BudgetAlertBus.class);

    private final BudgetAlertStore store;
    private final BudgetAlertFanOut fanOut = new BudgetAlertFanOut(MAX_PENDING);
    /** The seq of the last alert handed to the subscribers; -1 until the first read after the first LISTEN. */
    private final AtomicLong delivered = new AtomicLong(-1);
    private final AtomicInteger wip = new AtomicInteger();
    private final Sinks.One<Void> ready = Sinks.one();
    private volatile boolean stopped;

    BudgetAlertBus(BudgetAlertStore store) {
        this.store = store;
    }

    /**
     * The alerts of the wanted kinds delivered here from now on (once this instance listens); hot, never completes.
     * Ends with {@link BudgetAlertFanOut.TooSlowException} for a subscriber that falls too far behind.
     */
    public Flux<BudgetAlert> alerts(Set<BudgetAlertKind> kinds) {
        return ready.asMono()
                .timeout(Duration.ofSeconds(30), Mono.error(() -> new IllegalStateException(
                        "Budget alerts are not available: LISTEN " + BudgetAlertStore.CHANNEL + " failed")))
                .thenMany(Flux.defer(() -> fanOut.subscribe(alert -> kinds.contains(alert.kind()))));
    }

    /** Local subscribers right now. */
    public int subscribers() {
        return fanOut.subscribers();
    }

    // ------------------------------------------------------------------ the LISTEN connection's channel

    @Override
    public String channel() {
        return BudgetAlertStore.CHANNEL;
    }

    @Override
    public Boolean read(String payload) {
        return WAKE;
    }

    @Override
    public Flux<Boolean> listened(boolean again) {
        if (again) {
            log.info("Budget alert listener is listening again; reading the alerts stored meanwhile");
        }
        return Flux.just(WAKE);
    }

    @Override
    public void deliver(Boolean wake) {
        if (wip.getAndIncrement() == 0) {
            read(1);
        }
    }

    /** One read; then another if wake-ups came meanwhile ({@code missed}: the wake-ups this read answers). */
    private void read(int missed) {
        catchUp().subscribe(null,
                e -> {
                    if (!stopped) {
                        log.error("Reading new budget alerts failed for good", e);
                    }
                    readAgainIfWoken(missed);
                },
                () -> readAgainIfWoken(missed));
    }

    private void readAgainIfWoken(int missed) {
        int left = wip.addAndGet(-missed);
        if (left != 0 && !stopped) {
            read(left);
        }
    }

    private Mono<Void> catchUp() {
        return Mono.defer(this::readPages)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5))
                        .filter(e -> !stopped)
                        .doBeforeRetry(signal -> log.warn("Reading new budget alerts failed ({}); retrying",
                                signal.failure().toString())));
    }

    private Mono<Void> readPages() {
        long from = delivered.get();
        if (from < 0) {
            return store.lastSeq().doOnNext(seq -> {
                delivered.set(seq);
                ready.tryEmitEmpty();
            }).then();
        }
        return store.after(from, PAGE).collectList().flatMap(page -> {
            for (BudgetAlert alert : page) {
                fanOut.publish(alert);
                delivered.set(alert.seq());
            }
            return page.size() < PAGE ? Mono.empty() : readPages();
        });
    }

    @Override
    public void destroy() {
        // a read in flight ends by itself; its retries stop here
        stopped = true;
    }
}
