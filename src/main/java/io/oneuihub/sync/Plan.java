package io.oneuihub.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.oneuihub.db.Written;
import io.oneuihub.sync.SyncChange.Action;
import io.oneuihub.sync.SyncChange.Entity;
import io.oneuihub.sync.SyncChange.FieldChange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a sync would do: the changes with their before/after values, the counts, and the typed rows to write,
 * grouped by write statement (applied in the declared order). A dry run reports it; a real run applies it,
 * and a row the writer then leaves alone (an admin wrote it after the run read LiteLLM) turns its change into
 * SKIPPED.
 */
final class Plan {

    static final String WRITTEN_LOCALLY = "Changed by an admin after this sync read LiteLLM; left to the next sync.";
    static final String DELETED_LOCALLY = "Deleted by an admin after this sync read LiteLLM; left to the next sync.";

    /** One write statement of a plan; its rows are of type {@code R}. */
    record Statement<R>(String name, Class<R> type) {
    }

    /** A row with the change it applies (-1: none, e.g. a provider mapping) and its id (null: no id to check). */
    private record Planned(Object row, UUID id, int change) {
    }

    /** Up to batch-size rows of one statement: one writer call. */
    record Batch(Statement<?> statement, List<Object> rows) {

        boolean is(Statement<?> other) {
            return statement.equals(other);
        }

        <R> List<R> rows(Statement<R> expected) {
            if (!is(expected)) {
                throw new IllegalStateException(statement.name() + " is not " + expected.name());
            }
            return rows.stream().map(expected.type()::cast).toList();
        }
    }

    /** Write statements sent ahead of the answers they wait for; bounds the bound rows held at once. */
    static final int IN_FLIGHT = 4;

    private final List<SyncChange> changes = new ArrayList<>();
    private final Map<Statement<?>, List<Planned>> writes = new LinkedHashMap<>();
    private int created;
    private int updated;
    private int unchanged;
    private int stale;
    private int failed;
    private int skipped;
    private int detailed = Integer.MAX_VALUE;
    /** Rows planned so far, written or not. */
    private int planned;
    /** Rows the writers wrote so far, over every {@link #apply} call. */
    private int written;

    /** Declares the statements in the order they must run (e.g. companies before models). */
    Plan statements(Statement<?>... statements) {
        for (Statement<?> statement : statements) {
            writes.putIfAbsent(statement, new ArrayList<>());
        }
        return this;
    }

    /** A row no change tracks (company and provider-key inserts: never guarded). */
    <R> void write(Statement<R> statement, R row) {
        rows(statement).add(new Planned(row, null, -1));
        planned++;
    }

    /** The row that applies change number {@code change}; if the writer leaves row {@code id} alone, the change is SKIPPED. */
    <R> void write(Statement<R> statement, R row, UUID id, int change) {
        rows(statement).add(new Planned(row, Objects.requireNonNull(id, "id"), change));
        planned++;
    }

    private List<Planned> rows(Statement<?> statement) {
        List<Planned> rows = writes.get(statement);
        if (rows == null) {
            throw new IllegalStateException("statement " + statement.name() + " not declared");
        }
        return rows;
    }

    /** Changes from this number on are counted and tracked but keep no field values (nobody stores them). */
    Plan detailed(int limit) {
        this.detailed = limit;
        return this;
    }

    /** {@link #created(Entity, String, Map)} with the values built only for a change that keeps them. */
    int created(Entity entity, String key, Supplier<Map<String, Object>> after) {
        if (changes.size() < detailed) {
            return created(entity, key, after.get());
        }
        created++;
        return add(new SyncChange(entity, key, Action.CREATE, List.of(), null));
    }

    /** Records a creation; answers its change number. */
    int created(Entity entity, String key, Map<String, Object> after) {
        created++;
        List<FieldChange> fields = new ArrayList<>();
        after.forEach((field, value) -> fields.add(new FieldChange(field, null, value)));
        return add(new SyncChange(entity, key, Action.CREATE, fields, null));
    }

    /**
     * Compares the LiteLLM-owned fields. Answers the change number when any differs and the row is to be
     * written; -1 when nothing differs, or when {@code writtenLocally} (an admin wrote the row after the run
     * started: the difference is recorded as SKIPPED and left to the next sync).
     */
    int compare(Entity entity, String key, Map<String, Object> before, Map<String, Object> after, boolean toStale,
            boolean writtenLocally) {
        List<FieldChange> fields = diff(before, after);
        if (fields.isEmpty()) {
            unchanged++;
            return -1;
        }
        if (writtenLocally) {
            skipped(entity, key, fields, WRITTEN_LOCALLY);
            return -1;
        }
        if (toStale) {
            stale++;
        } else {
            updated++;
        }
        return add(new SyncChange(entity, key, toStale ? Action.STALE : Action.UPDATE, fields, null));
    }

    /** A stored row equal to the wanted one (the caller compared the typed rows): nothing to record. */
    void unchanged() {
        unchanged++;
    }

    void updated(Entity entity, String key, List<FieldChange> fields) {
        updated++;
        add(new SyncChange(entity, key, Action.UPDATE, fields, null));
    }

    void failed(Entity entity, String key, String message) {
        failed++;
        add(new SyncChange(entity, key, Action.FAILED, List.of(), message));
    }

    /** Upstream has a change for a row an admin wrote or deleted after the run started: not applied. */
    void skipped(Entity entity, String key, List<FieldChange> fields, String message) {
        skipped++;
        add(new SyncChange(entity, key, Action.SKIPPED, fields, message));
    }

    private int add(SyncChange change) {
        changes.add(change);
        return changes.size() - 1;
    }

    /** The writer left the row of change {@code index} alone: an admin wrote it between the run's read and its write. */
    private void leftAlone(int index) {
        SyncChange change = changes.get(index);
        switch (change.action()) {
            case CREATE -> created--;
            case UPDATE -> updated--;
            case STALE -> stale--;
            default -> {
                return;
            }
        }
        skipped++;
        changes.set(index, new SyncChange(change.entity(), change.key(), Action.SKIPPED, change.fields(),
                change.action() == Action.CREATE ? "Created or deleted by an admin after this sync read LiteLLM; left to the next sync."
                        : WRITTEN_LOCALLY));
    }

    static List<FieldChange> diff(Map<String, Object> before, Map<String, Object> after) {
        List<FieldChange> fields = new ArrayList<>();
        after.forEach((field, value) -> {
            Object old = before.get(field);
            if (!Objects.equals(old, value)) {
                fields.add(new FieldChange(field, old, value));
            }
        });
        return fields;
    }

    /** {@link #apply(Predicate, int, Function, IntFunction)} of every statement. */
    Mono<Integer> apply(int batchSize, Function<Batch, Mono<Written>> writer, IntFunction<Mono<Void>> progress) {
        return apply(statement -> true, batchSize, writer, progress);
    }

    /**
     * Runs the writes of the {@code chosen} statements planned since the last call, in statement order, batchSize
     * rows per writer call; reports the rows written so far (over all calls) after each call. A tracked row missing
     * from the writer's answer turns its change into SKIPPED. Rows planned later are left to a later call. Answers
     * the rows written so far.
     */
    Mono<Integer> apply(Predicate<Statement<?>> chosen, int batchSize, Function<Batch, Mono<Written>> writer,
            IntFunction<Mono<Void>> progress) {
        return write(take(chosen, batchSize, batch -> Mono.defer(() -> writer.apply(batch))), progress);
    }

    /** Rows taken out of a plan for writing: a writer call per batchSize rows of a statement, in statement order. */
    static final class Pending {

        private record Chunk(List<Planned> rows, Mono<Written> write) {
        }

        private final List<Chunk> chunks = new ArrayList<>();

        boolean isEmpty() {
            return chunks.isEmpty();
        }
    }

    /**
     * Takes the rows of the {@code chosen} statements planned since the last take and calls {@code writer} for each
     * batch at once (a writer that prepares its statement when called does that work here, on the caller's thread);
     * {@link #write} runs the statements. The two halves of {@link #apply}, for a caller that plans the next rows
     * while the taken ones are written: the plan's own monitor guards its state, and a caller that plans meanwhile
     * holds it around its planning too.
     */
    synchronized Pending take(Predicate<Statement<?>> chosen, int batchSize, Function<Batch, Mono<Written>> writer) {
        Pending pending = new Pending();
        writes.replaceAll((statement, rows) -> {
            if (rows.isEmpty() || !chosen.test(statement)) {
                return rows;
            }
            for (int from = 0; from < rows.size(); from += batchSize) {
                List<Planned> chunk = rows.subList(from, Math.min(rows.size(), from + batchSize));
                pending.chunks.add(new Pending.Chunk(chunk, writer.apply(new Batch(statement, chunk.stream().map(Planned::row).toList()))));
            }
            return new ArrayList<>();
        });
        return pending;
    }

    /**
     * Runs the statements of rows {@link #take taken} from this plan, as {@link #apply} describes: up to
     * {@link #IN_FLIGHT} at a time, which on one connection (a transaction's) are sent without waiting for the
     * answer before and run one after another in this order, so PostgreSQL runs the next one while the hub sends
     * it and reads the last one's answer. Answers are counted, and progress reported, in the same order.
     *
     * <p>When a statement fails, no further one is sent, and the error (the first one's) comes once the statements
     * already sent have answered: cancelling a statement in flight would leave the connection in an unknown state
     * just before the transaction's rollback needs it.
     */
    Mono<Integer> write(Pending pending, IntFunction<Mono<Void>> progress) {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        record Answered(List<Planned> rows, Written answer) {
        }
        return Flux.fromIterable(pending.chunks)
                .flatMapSequentialDelayError(chunk -> Mono.defer(() -> failed.get() != null ? Mono.error(failed.get())
                                : chunk.write().doOnError(e -> failed.compareAndSet(null, e)))
                        .map(answer -> new Answered(chunk.rows(), answer)), IN_FLIGHT, 1)
                .concatMap(a -> progress.apply(answered(a.rows(), a.answer())))
                .then(Mono.fromSupplier(this::written))
                .onErrorMap(e -> failed.get() != null ? failed.get() : e);
    }

    /** Counts a writer's answer; answers the rows written so far. */
    private synchronized int answered(List<Planned> rows, Written answer) {
        for (Planned row : rows) {
            if (row.id() != null && row.change() >= 0 && !answer.contains(row.id())) {
                leftAlone(row.change());
            }
        }
        written += answer.count();
        return written;
    }

    private synchronized int written() {
        return written;
    }

    synchronized SyncCounts counts() {
        return new SyncCounts(created, updated, unchanged, stale, failed, skipped);
    }

    List<SyncChange> changes() {
        return changes;
    }

    /** Rows planned so far, including those already written. */
    synchronized int rowsToWrite() {
        return planned;
    }
}
