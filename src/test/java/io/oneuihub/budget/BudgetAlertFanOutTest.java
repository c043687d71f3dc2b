package io.oneuihub.budget;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetAlertFanOutTest {

    private static BudgetAlert alert(long seq, BudgetAlertKind kind) {
        return new BudgetAlert(UUID.randomUUID(), seq, UUID.randomUUID(), kind, false, BigDecimal.ONE, null, null, null,
                OffsetDateTime.now(), UUID.randomUUID());
    }

    /** Requests only what it is told to; records what it gets. */
    private static final class Client extends BaseSubscriber<BudgetAlert> {

        final List<Long> seqs = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        private final long initial;

        Client(long initial) {
            this.initial = initial;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            if (initial > 0) {
                request(initial);
            }
        }

        @Override
        protected void hookOnNext(BudgetAlert value) {
            seqs.add(value.seq());
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            error.set(throwable);
        }
    }

    @Test
    void aSubscriberThatStopsReadingIsEndedAfterTheLimitWhileTheOthersGetEveryAlertInOrder() {
        BudgetAlertFanOut fanOut = new BudgetAlertFanOut(10);
        Client fast = new Client(Long.MAX_VALUE);
        Client stalled = new Client(0);
        Client slow = new Client(0);
        fanOut.subscribe(a -> true).subscribe(fast);
        fanOut.subscribe(a -> true).subscribe(stalled);
        fanOut.subscribe(a -> true).subscribe(slow);
        assertThat(fanOut.subscribers()).isEqualTo(3);

        for (long seq = 1; seq <= 10; seq++) {
            fanOut.publish(alert(seq, BudgetAlertKind.EXHAUSTED));
        }
        // ten waiting is within the limit: nothing is lost for the one that reads later
        slow.request(10);
        assertThat(slow.seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(stalled.error.get()).isNull();

        fanOut.publish(alert(11, BudgetAlertKind.EXHAUSTED));
        assertThat(fanOut.subscribers()).as("the stalled one is dropped at once, the others stay").isEqualTo(2);
        // when it reads again it gets what was kept for it, then the error: never more than 10 kept
        stalled.request(1000);
        assertThat(stalled.seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(stalled.error.get()).isInstanceOf(BudgetAlertFanOut.TooSlowException.class)
                .hasMessageContaining("more than 10 alerts behind");

        for (long seq = 12; seq <= 100; seq++) {
            fanOut.publish(alert(seq, BudgetAlertKind.EXHAUSTED));
            slow.request(1);
        }
        assertThat(fast.seqs).hasSize(100).isSorted().doesNotHaveDuplicates();
        assertThat(fast.error.get()).isNull();
        assertThat(slow.seqs).hasSize(99).isSorted();
        assertThat(slow.error.get()).isNull();
    }

    @Test
    void aSubscriberGetsOnlyTheKindsItWantsAndOnlyTheyCountAgainstItsLimit() {
        BudgetAlertFanOut fanOut = new BudgetAlertFanOut(2);
        Client resets = new Client(0);
        fanOut.subscribe(a -> a.kind() == BudgetAlertKind.RESET).subscribe(resets);
        for (long seq = 1; seq <= 50; seq++) {
            fanOut.publish(alert(seq, seq % 25 == 0 ? BudgetAlertKind.RESET : BudgetAlertKind.SOFT_LIMIT_REACHED));
        }
        resets.request(5);
        assertThat(resets.seqs).containsExactly(25L, 50L);
        assertThat(resets.error.get()).isNull();
    }

    @Test
    void publishingWithoutSubscribersIsFine() {
        BudgetAlertFanOut fanOut = new BudgetAlertFanOut(1);
        fanOut.publish(alert(1, BudgetAlertKind.RESET));
        Client late = new Client(Long.MAX_VALUE);
        fanOut.subscribe(a -> true).subscribe(late);
        fanOut.publish(alert(2, BudgetAlertKind.RESET));
        assertThat(late.seqs).containsExactly(2L);
    }
}
