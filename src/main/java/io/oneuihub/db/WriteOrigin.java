package io.oneuihub.db;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who writes a model, deployment or budget row, which decides how the write treats a concurrent writer of the
 * other kind. The columns involved (V3): {@code local_write_at} (when a mutation last wrote the row; NULL = never)
 * and {@code deleted_at} (a mutation's tombstone).
 *
 * <ul>
 * <li>{@link Sync}: a sync run that started at {@code runStartedAt} and read LiteLLM after that. Its UPDATEs
 * (including STALE and a STALE row coming back) only touch rows with {@code local_write_at IS NULL OR
 * local_write_at < runStartedAt}: a row an admin wrote after the run started holds newer values than the run
 * read. PostgreSQL re-checks that WHERE on the latest committed row version, so no write slips in between the
 * run's read and its UPDATE. Such rows are left out of the {@link Written} answer (the run counts them as
 * skipped) and left to the next sync. The sync never stamps.</li>
 * <li>{@link Mutation}: an admin mutation, inside its local transaction that begins after LiteLLM accepted the
 * write. It stamps every row it writes with {@code local_write_at = now()} (the transaction's start) and is not
 * guarded (its own concurrency control is expectedUpdatedAt and row locks).</li>
 * </ul>
 * Both skip tombstoned rows (deleted_at set).
 */
public sealed interface WriteOrigin {

    record Sync(OffsetDateTime runStartedAt) implements WriteOrigin {
        public Sync {
            Objects.requireNonNull(runStartedAt, "runStartedAt");
        }
    }

    record Mutation() implements WriteOrigin {
    }

    static WriteOrigin sync(OffsetDateTime runStartedAt) {
        return new Sync(runStartedAt);
    }

    static WriteOrigin mutation() {
        return new Mutation();
    }

    default boolean stampsLocalWrite() {
        return this instanceof Mutation;
    }

    /** The value an INSERT gives local_write_at. */
    default String insertedLocalWrite() {
        return stampsLocalWrite() ? "now()" : "NULL";
    }

    /** The SET item an UPDATE adds ("" for a sync). */
    default String stamp() {
        return stampsLocalWrite() ? ", local_write_at = now()" : "";
    }

    /** The WHERE condition an UPDATE of {@code alias} adds: the lost-update guard for a sync, "" for a mutation. */
    default String guard(String alias) {
        return stampsLocalWrite() ? ""
                : " AND (" + alias + ".local_write_at IS NULL OR " + alias + ".local_write_at < :runStartedAt)";
    }

    /** The statement for {@code sql}, with what {@link #guard} refers to bound when it is there. */
    default GenericExecuteSpec statement(DatabaseClient db, String sql) {
        GenericExecuteSpec spec = db.sql(sql);
        return this instanceof Sync sync && sql.contains(":runStartedAt") ? spec.bind("runStartedAt", sync.runStartedAt()) : spec;
    }

    /** Runs {@code sql}, which reads {@link Recordset#fromItem}, with {@code rows} bound to it; no statement for no rows. */
    default <R extends Record> Mono<Written> writeRows(DatabaseClient db, JsonMapper json, Recordset<R> recordset,
            List<? extends R> rows, String sql) {
        return rows.isEmpty() ? Mono.just(Written.NONE)
                : Written.returningIds(recordset.bindRows(statement(db, sql), json, rows));
    }

    /** Runs {@code sql} with {@code ids} bound as {@code :ids}; no statement for no ids. */
    default Mono<Written> writeIds(DatabaseClient db, Collection<UUID> ids, String sql) {
        return ids.isEmpty() ? Mono.just(Written.NONE)
                : Written.returningIds(statement(db, sql).bind("ids", ids.toArray(UUID[]::new)));
    }
}
