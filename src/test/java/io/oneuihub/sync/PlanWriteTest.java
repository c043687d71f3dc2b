package io.oneuihub.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.oneuihub.db.Written;
import io.oneuihub.sync.SyncChange.Action;
import io.oneuihub.sync.SyncChange.Entity;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * How a plan's rows reach the writers: statements are started in plan order, a few ahead of their answers (on a
 * transaction's one connection PostgreSQL runs them in that order), and answers are counted in that order too.
 */
class PlanWriteTest {

    private static final Plan.Statement<UUID> ROWS = new Plan.Statement<>("rows", UUID.class);

    private final List<UUID> ids = new ArrayList<>();
    private final List<Sinks.One<Written>> answers = new CopyOnWriteArrayList<>();
    private final List<Integer> started = new CopyOnWriteArrayList<>();
    private final List<Integer> progress = new CopyOnWriteArrayList<>();

    private Plan planOf(int rows) {
        Plan plan = new Plan().statements(ROWS);
        for (int i = 0; i < rows; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            int change = plan.created(Entity.MODEL, "model-" + i, Map.of("name", "model-" + i));
            plan.write(ROWS, id, id, change);
        }
        return plan;
    }

    /** A writer whose statements answer only when the test says so; records the order they were started in. */
    private Mono<Written> statement(Plan.Batch batch) {
        Sinks.One<Written> answer = Sinks.one();
        int number = answers.size();
        answers.add(answer);
        return answer.asMono().doOnSubscribe(s -> started.add(number));
    }

    private Mono<Void> progress(int written) {
        progress.add(written);
        return Mono.empty();
    }

    @Test
    void statementsStartAFewAheadInPlanOrderAndAnswersCountInThatOrder() {
        Plan plan = planOf(6);
        Plan.Pending pending = plan.take(statement -> true, 1, this::statement);
        assertThat(answers).as("each statement is prepared when taken").hasSize(6);

        StepVerifier.create(plan.write(pending, this::progress))
                .then(() -> assertThat(started).as("started in plan order, at most IN_FLIGHT before an answer")
                        .containsExactly(0, 1, 2, 3))
                // the second answer comes first: nothing is counted before the first one's
                .then(() -> answers.get(1).tryEmitValue(Written.ids(Set.of(ids.get(1)))))
                .then(() -> assertThat(progress).isEmpty())
                .then(() -> answers.get(0).tryEmitValue(Written.ids(Set.of(ids.get(0)))))
                .then(() -> {
                    assertThat(progress).containsExactly(1, 2);
                    assertThat(started).containsExactly(0, 1, 2, 3, 4, 5);
                })
                // the third row was left alone by its writer (an admin wrote it meanwhile)
                .then(() -> answers.get(2).tryEmitValue(Written.NONE))
                .then(() -> answers.get(3).tryEmitValue(Written.ids(Set.of(ids.get(3)))))
                .then(() -> answers.get(4).tryEmitValue(Written.ids(Set.of(ids.get(4)))))
                .then(() -> answers.get(5).tryEmitValue(Written.ids(Set.of(ids.get(5)))))
                .expectNext(5)
                .expectComplete()
                .verify(Duration.ofSeconds(5));

        assertThat(progress).containsExactly(1, 2, 2, 3, 4, 5);
        assertThat(plan.counts().created()).isEqualTo(5);
        assertThat(plan.counts().skipped()).isEqualTo(1);
        assertThat(plan.changes().get(2).action()).isEqualTo(Action.SKIPPED);
    }

    @Test
    void aFailingStatementStopsTheRestAndFailsWithItsOwnErrorOnceTheSentOnesAnswered() {
        Plan plan = planOf(6);
        Plan.Pending pending = plan.take(statement -> true, 1, this::statement);
        AtomicBoolean ended = new AtomicBoolean();

        StepVerifier.create(plan.write(pending, this::progress).doFinally(signal -> ended.set(true)))
                .then(() -> answers.get(0).tryEmitError(new IllegalStateException("duplicate key")))
                .then(() -> assertThat(ended).as("waits for the statements already sent").isFalse())
                // what PostgreSQL answers the statements after it in the aborted transaction
                .then(() -> answers.subList(1, 4).forEach(a -> a.tryEmitError(new IllegalStateException("current transaction is aborted"))))
                .expectErrorMessage("duplicate key")
                .verify(Duration.ofSeconds(5));
        assertThat(started).as("nothing is sent after the failure").containsExactly(0, 1, 2, 3);
        assertThat(progress).isEmpty();
    }

    @Test
    void rowsPlannedAfterATakeWaitForTheNextOne() {
        Plan plan = planOf(2);
        Plan.Pending first = plan.take(statement -> true, 10, this::statement);
        UUID later = UUID.randomUUID();
        plan.write(ROWS, later, later, plan.created(Entity.MODEL, "later", Map.of("name", "later")));
        Plan.Pending second = plan.take(statement -> true, 10, this::statement);
        assertThat(answers).as("one statement a take: each holds the rows planned before it").hasSize(2);

        StepVerifier.create(plan.write(first, this::progress).then(plan.write(second, this::progress)))
                .then(() -> answers.get(0).tryEmitValue(Written.ids(Set.of(ids.get(0), ids.get(1)))))
                .then(() -> answers.get(1).tryEmitValue(Written.ids(Set.of(later))))
                .expectNext(3)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(plan.rowsToWrite()).isEqualTo(3);
    }
}
