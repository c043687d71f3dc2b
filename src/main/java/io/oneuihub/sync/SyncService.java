package io.oneuihub.sync;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import io.oneuihub.graphql.Connection;
import io.oneuihub.graphql.Ids;
import io.oneuihub.graphql.InvalidInputException;
import io.oneuihub.graphql.PageArguments;
import io.oneuihub.graphql.PagingLimits;
import io.oneuihub.graphql.UserError;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.stereotype.Service;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Sync runs, starting syncs and following their progress: admins only. */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class SyncService {

    /** Events that may arrive between subscribing to the live stream and reading the latest state. */
    private static final int GAP_HISTORY = 256;

    private final SyncEngine engine;
    private final SyncRunRepository runs;
    private final SyncEventBus bus;
    private final PagingLimits limits;
    private final DatabaseClient db;

    public SyncService(SyncEngine engine, SyncRunRepository runs, SyncEventBus bus, PagingLimits limits, DatabaseClient db) {
        this.engine = engine;
        this.runs = runs;
        this.bus = bus;
        this.limits = limits;
        this.db = db;
    }

    public Mono<SyncPayload> sync(SyncKind kind, SyncInput input) {
        boolean dryRun = input != null && input.dry();
        return ReactiveSecurityContextHolder.getContext()
                .map(context -> context.getAuthentication().getName())
                .defaultIfEmpty("unknown")
                .flatMap(who -> engine.start(kind, dryRun, who))
                .map(started -> started.alreadyRunning()
                        ? new SyncPayload(started.run(), List.of(new UserError(null,
                                "A " + kind.name().toLowerCase() + " sync is already running (started "
                                        + started.run().startedAt() + " by " + started.run().trigger() + "); it is returned as run.",
                                "SYNC_IN_PROGRESS")))
                        : new SyncPayload(started.run(), List.of()));
    }

    public Mono<SyncRun> run(String id) {
        return runs.findById(Ids.parse("id", id));
    }

    public Mono<Connection<SyncRun>> runs(SyncKind kind, PageArguments paging, boolean withTotal) {
        return runs.page(kind, paging.resolve(limits), withTotal);
    }

    /**
     * The run's latest state first, then its later events; completes after COMPLETED or FAILED (at once for a
     * finished run). The live stream is joined before the latest state is read, so nothing falls in between.
     */
    public Flux<SyncEvent> progress(String runId) {
        UUID id = Ids.parse("runId", runId);
        return runs.findById(id)
                .switchIfEmpty(Mono.error(() -> new InvalidInputException("runId", "No sync run has this id.")))
                .flatMapMany(run -> {
                    if (run.status() != SyncStatus.RUNNING) {
                        return Flux.just(run.latestEvent());
                    }
                    return bus.listening().thenMany(Flux.defer(() -> {
                        AtomicReference<Disposable> connection = new AtomicReference<>();
                        Flux<SyncEvent> live = bus.live().filter(e -> e.runId().equals(runId))
                                .replay(GAP_HISTORY).autoConnect(0, connection::set);
                        return runs.findById(id).flatMapMany(now -> {
                                    SyncEvent latest = now.latestEvent();
                                    if (latest.terminal()) {
                                        return Flux.just(latest);
                                    }
                                    return Flux.just(latest).concatWith(Coalescing.latestPerRun(
                                            live.filter(e -> e.sequence() > latest.sequence())));
                                })
                                .takeUntil(SyncEvent::terminal)
                                .doFinally(signal -> dispose(connection));
                    }));
                });
    }

    /** Every run's events (optionally of one kind); running runs' latest states first. Never completes. */
    public Flux<SyncEvent> events(SyncKind kind) {
        return bus.listening().thenMany(Flux.defer(() -> {
            AtomicReference<Disposable> connection = new AtomicReference<>();
            Flux<SyncEvent> live = bus.live().filter(e -> kind == null || e.kind() == kind)
                    .replay(GAP_HISTORY).autoConnect(0, connection::set);
            return runningRuns(kind).collectList().flatMapMany(running -> {
                Map<String, Integer> seen = new HashMap<>();
                running.forEach(run -> seen.put(run.id().toString(), run.latestEvent().sequence()));
                return Flux.fromIterable(running).map(SyncRun::latestEvent)
                        .concatWith(Coalescing.latestPerRun(live.filter(e -> e.sequence() > seen.getOrDefault(e.runId(), 0))));
            }).doFinally(signal -> dispose(connection));
        }));
    }

    private Flux<SyncRun> runningRuns(SyncKind kind) {
        return db.sql("SELECT * FROM sync_run WHERE status = 'RUNNING'" + (kind == null ? "" : " AND kind = :kind") + " ORDER BY started_at")
                .bindValues(kind == null ? Map.of() : Map.of("kind", kind.name()))
                .map(runs::map)
                .all();
    }

    private static void dispose(AtomicReference<Disposable> connection) {
        Disposable d = connection.get();
        if (d != null) {
            d.dispose();
        }
    }
}
