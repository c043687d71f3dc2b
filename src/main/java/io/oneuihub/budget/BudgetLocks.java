package io.oneuihub.budget;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

import io.oneuihub.graphql.UpstreamWrites;
import io.r2dbc.spi.R2dbcException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One budget mutation at a time per LiteLLM entity, on every instance sharing the database: a PostgreSQL
 * advisory lock, held by a transaction of its own while the mutation reads the stored row, checks
 * expectedUpdatedAt, calls LiteLLM and writes locally (in a transaction of its own, begun after LiteLLM
 * accepted). Without it two updates could both pass the expectedUpdatedAt check and both reach LiteLLM, or
 * read-modify-write the same LiteLLM row and lose a field. The lock is not a row lock: the sync is never
 * blocked by it (the sync's guard on local_write_at handles that side).
 */
@Component
class BudgetLocks {

    /** A mutation that waits longer than this for another one gets a CONFLICT (it changes nothing). */
    private final Duration wait;
    private final DatabaseClient db;
    private final TransactionalOperator holder;

    BudgetLocks(DatabaseClient db, ReactiveTransactionManager transactions, UpstreamWrites upstream) {
        this.db = db;
        this.holder = TransactionalOperator.create(transactions);
        this.wait = upstream.deadline().dividedBy(4);
    }

    /** Runs work holding the locks of these entity keys (scope:externalId), taken in a fixed order (no deadlock). */
    <T> Mono<T> serialized(Collection<String> keys, Mono<T> work) {
        List<String> ordered = List.copyOf(new TreeSet<>(keys));
        Mono<Void> lock = db.sql("SELECT set_config('lock_timeout', :ms, true)").bind("ms", wait.toMillis() + "ms").then()
                .thenMany(Flux.fromIterable(ordered).concatMap(key -> db.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                        .bind("key", "budget:" + key).then()))
                .then();
        return holder.transactional(lock.then(work));
    }

    /** True for the failure of a lock wait that ran out of time (SQLSTATE 55P03). */
    static boolean timedOut(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof R2dbcException r && "55P03".equals(r.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
