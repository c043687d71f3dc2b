package io.oneuihub.sync;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.oneuihub.db.Binds;
import io.oneuihub.db.Rows;
import io.oneuihub.graphql.Connection;
import io.oneuihub.graphql.KeysetPager;
import io.oneuihub.graphql.Ordering;
import io.oneuihub.graphql.PageRequest;
import io.oneuihub.graphql.SortKey;
import io.oneuihub.graphql.SqlFilter;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * sync_run rows. The partial unique index {@code sync_run_one_running_per_kind} is the lock: inserting a
 * second RUNNING row of a kind fails in PostgreSQL whatever instance tries it.
 */
@Repository
public class SyncRunRepository {

    static final Ordering NEWEST_FIRST = new Ordering("syncRuns:STARTED_AT:DESC", List.of(
            new SortKey("r.started_at", SortKey.Type.TIMESTAMPTZ), SortKey.id("r")), true);

    private static final TypeReference<List<SyncChange>> CHANGES = new TypeReference<>() {
    };

    private final DatabaseClient db;
    private final JsonMapper json;
    private final KeysetPager pager;

    public SyncRunRepository(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
        this.pager = new KeysetPager(db);
    }

    /** Inserts a RUNNING run, or completes empty when another run of the kind holds the lock. */
    public Mono<SyncRun> tryStart(SyncKind kind, boolean dryRun, String trigger, String instanceId) {
        return db.sql("""
                        INSERT INTO sync_run (kind, status, dry_run, trigger, instance_id, heartbeat_at)
                        VALUES (:kind, 'RUNNING', :dryRun, :trigger, :instance, now())
                        ON CONFLICT (kind) WHERE status = 'RUNNING' DO NOTHING
                        RETURNING *""")
                .bind("kind", kind.name())
                .bind("dryRun", dryRun)
                .bind("trigger", trigger)
                .bind("instance", instanceId)
                .map(this::map)
                .one();
    }

    public Mono<SyncRun> running(SyncKind kind) {
        return db.sql("SELECT * FROM sync_run WHERE kind = :kind AND status = 'RUNNING'")
                .bind("kind", kind.name()).map(this::map).one();
    }

    /** Marks RUNNING runs of the kind whose heartbeat is older than the lease ABANDONED, and answers them. */
    public Flux<SyncRun> abandonExpired(SyncKind kind, Duration lease) {
        return db.sql("""
                        UPDATE sync_run SET status = 'ABANDONED', finished_at = now(), error_code = 'ABANDONED',
                          error_message = 'Instance ' || coalesce(instance_id, '?') || ' stopped sending heartbeats; the run was abandoned and nothing it started was applied.'
                        WHERE kind = :kind AND status = 'RUNNING'
                          AND coalesce(heartbeat_at, started_at) < now() - make_interval(secs => :secs)
                        RETURNING *""")
                .bind("kind", kind.name())
                .bind("secs", lease.toMillis() / 1000.0)
                .map(this::map)
                .all();
    }

    /** On shutdown: this instance's runs cannot finish any more. */
    public Flux<SyncRun> abandonOwn(String instanceId) {
        return db.sql("""
                        UPDATE sync_run SET status = 'ABANDONED', finished_at = now(), error_code = 'ABANDONED',
                          error_message = 'The instance running it shut down; nothing it started was applied.'
                        WHERE instance_id = :instance AND status = 'RUNNING'
                        RETURNING *""")
                .bind("instance", instanceId)
                .map(this::map)
                .all();
    }

    /**
     * Running runs and runs that finished within the window (of one kind, or all when kind is null), oldest
     * first: whose latest events a subscriber that just joined, or a listener that just re-LISTENed, may miss.
     */
    public Flux<SyncRun> runningOrFinishedWithin(SyncKind kind, Duration window) {
        return db.sql("SELECT " + SUMMARY + " FROM sync_run WHERE (status = 'RUNNING' OR finished_at > now() - make_interval(secs => :secs))"
                        + (kind == null ? "" : " AND kind = :kind") + " ORDER BY started_at, id")
                .bindValues(kind == null ? Map.of("secs", window.toMillis() / 1000.0)
                        : Map.of("secs", window.toMillis() / 1000.0, "kind", kind.name()))
                .map(this::summary)
                .all();
    }

    /** Answers false when the run is no longer RUNNING (someone marked it ABANDONED, or it finished). */
    public Mono<Boolean> heartbeat(UUID id) {
        return db.sql("UPDATE sync_run SET heartbeat_at = now() WHERE id = :id AND status = 'RUNNING'")
                .bind("id", id).fetch().rowsUpdated().map(n -> n > 0);
    }

    /**
     * Stores a run's changes ahead of its end, in the same transaction: the end itself ({@link #finish}) is then a
     * small statement right before the commit, so finished_at is the commit's moment within a few milliseconds.
     */
    public Mono<Void> storeChanges(UUID id, List<SyncChange> changes, int changeCount) {
        return db.sql("UPDATE sync_run SET changes = CAST(:changes AS json), change_count = :changeCount WHERE id = :id AND status = 'RUNNING'")
                .bind("id", id)
                .bind("changes", json.writeValueAsString(changes))
                .bind("changeCount", changeCount)
                .then();
    }

    /**
     * Stores the final state; fails when the run is not RUNNING any more (abandoned meanwhile). finished_at is the
     * clock at this statement: the apply transaction's now() is when it began, and would leave the apply (and any
     * wait for locks) out of durationMs. Null changes keep those {@link #storeChanges} stored (none: NULL).
     */
    public Mono<Void> finish(UUID id, SyncStatus status, SyncCounts counts, List<SyncChange> changes, int changeCount,
            int rowsWritten, SyncError error, SyncEvent lastEvent) {
        return db.sql("""
                        UPDATE sync_run SET status = :status, finished_at = clock_timestamp(), created_count = :created,
                          updated_count = :updated, unchanged_count = :unchanged, stale_count = :stale, failed_count = :failed,
                          skipped_count = :skipped,
                          changes = coalesce(CAST(:changes AS json), changes), change_count = :changeCount, rows_written = :rowsWritten,
                          error_code = :errorCode, error_message = :errorMessage,
                          last_event = :lastEvent, event_seq = :seq
                        WHERE id = :id AND status = 'RUNNING'""")
                .bind("id", id)
                .bind("status", status.name())
                .bind("created", counts.created())
                .bind("updated", counts.updated())
                .bind("unchanged", counts.unchanged())
                .bind("stale", counts.stale())
                .bind("failed", counts.failed())
                .bind("skipped", counts.skipped())
                .bind("changes", Binds.text(changes == null ? null : json.writeValueAsString(changes)))
                .bind("changeCount", changeCount)
                .bind("rowsWritten", rowsWritten)
                .bind("errorCode", Binds.text(error == null ? null : error.code()))
                .bind("errorMessage", Binds.text(error == null ? null : error.message()))
                .bind("lastEvent", Json.of(json.writeValueAsString(lastEvent)))
                .bind("seq", lastEvent.sequence())
                .fetch().rowsUpdated()
                .flatMap(n -> n == 1 ? Mono.<Void>empty()
                        : Mono.error(new AbandonedException("run " + id + " is no longer RUNNING (abandoned)")));
    }

    /** The run's stored status, read in a statement of its own (so after any transaction that just committed). */
    public Mono<SyncStatus> status(UUID id) {
        return db.sql("SELECT status FROM sync_run WHERE id = :id").bind("id", id)
                .map(row -> SyncStatus.valueOf(Rows.text(row, "status"))).one();
    }

    /** The whole run, its changes included. */
    public Mono<SyncRun> findById(UUID id) {
        return db.sql("SELECT * FROM sync_run WHERE id = :id").bind("id", id).map(this::map).one();
    }

    /** The run without its changes ({@link SyncRun#changes()} null): what status reads and progress need. */
    public Mono<SyncRun> findSummary(UUID id) {
        return db.sql("SELECT " + SUMMARY + " FROM sync_run WHERE id = :id").bind("id", id).map(this::summary).one();
    }

    /** The stored changes of these runs (an empty list for a run without any). */
    public Mono<Map<UUID, List<SyncChange>>> changesOf(Collection<UUID> ids) {
        return db.sql("SELECT id, changes FROM sync_run WHERE id = ANY(:ids)")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(row -> Map.entry(Rows.uuid(row, "id"), changes(Rows.json(row, "changes"))))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    Mono<Connection<SyncRun>> page(SyncKind kind, PageRequest page, boolean withTotal) {
        SqlFilter filter = new SqlFilter().and("r.kind = ?", kind == null ? null : kind.name());
        return pager.page(SUMMARY, "sync_run r", filter, NEWEST_FIRST, page, withTotal, (row, i) -> summary(row));
    }

    /**
     * Every column but {@code changes}: up to hub.sync.max-changes entries (hundreds of kilobytes for a large
     * sync) that a status read, a progress re-read or a page of runs would otherwise fetch and parse for nothing.
     * {@code SyncRun.changes} is read by its own batch loader when a query selects it.
     */
    private static final String SUMMARY = """
            id, kind, status, dry_run, trigger, created_count, updated_count, unchanged_count, stale_count, failed_count,
            skipped_count, rows_written, change_count, last_event, error_code, error_message, instance_id, started_at,
            heartbeat_at, finished_at""";

    private List<SyncChange> changes(String stored) {
        return stored == null ? List.of() : json.readValue(stored, CHANGES);
    }

    SyncRun map(Readable row) {
        return run(row, changes(Rows.json(row, "changes")));
    }

    private SyncRun summary(Readable row) {
        return run(row, null);
    }

    private SyncRun run(Readable row, List<SyncChange> changes) {
        String lastEvent = Rows.json(row, "last_event");
        String errorCode = Rows.text(row, "error_code");
        return new SyncRun(
                Rows.uuid(row, "id"),
                SyncKind.valueOf(Rows.text(row, "kind")),
                SyncStatus.valueOf(Rows.text(row, "status")),
                Rows.bool(row, "dry_run"),
                Rows.text(row, "trigger"),
                new SyncCounts(Rows.integer(row, "created_count"), Rows.integer(row, "updated_count"),
                        Rows.integer(row, "unchanged_count"), Rows.integer(row, "stale_count"), Rows.integer(row, "failed_count"),
                        Rows.integer(row, "skipped_count")),
                Rows.integer(row, "rows_written"),
                changes,
                Rows.integer(row, "change_count"),
                lastEvent == null ? null : json.readValue(lastEvent, SyncEvent.class),
                errorCode == null ? null : new SyncError(errorCode, Rows.text(row, "error_message")),
                Rows.text(row, "instance_id"),
                Rows.time(row, "started_at"),
                Rows.time(row, "heartbeat_at"),
                Rows.time(row, "finished_at"));
    }

    /** The run lost its lock while working: its writes must not be committed. */
    public static class AbandonedException extends RuntimeException {
        AbandonedException(String message) {
            super(message);
        }
    }
}
