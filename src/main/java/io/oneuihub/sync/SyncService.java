package io.oneuihub.sync;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import io.oneuihub.graphql.Connection;
import io.oneuihub.graphql.Ids;
import io.oneuihub.graphql.InvalidInputException;
import io.oneuihub.graphql.PageArguments;
import io.oneuihub.graphql.PagingLimits;
import io.oneuihub.graphql.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private static final Logger log = LoggerFactory.getLogger(SyncService.class);

    private final SyncEngine engine;
    private final SyncRunRepository runs;
    private final SyncEventBus bus;
    private final PagingLimits limits;
    private final SyncProperties properties;
    private final Map<Optional<SyncKind>, NextRead<List<SyncEvent>>> recentReads = new ConcurrentHashMap<>();

    public SyncService(SyncEngine engine, SyncRunRepository runs, SyncEventBus bus, PagingLimits limits,
            SyncProperties properties) {
        this.engine = engine;
        this.runs = runs;
        this.bus = bus;
        this.limits = limits;
        this.properties = properties;
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
        return runs.findSummary(Ids.parse("id", id));
    }

    public Mono<Connection<SyncRun>> runs(SyncKind kind, PageArguments paging, boolean withTotal) {
        return runs.page(kind, paging.resolve(limits), withTotal);
    }

    /**
     * The run's latest state first, then its later events; completes after COMPLETED or FAILED (at once for a
     * finished run). The live stream is joined before the latest state is read, so nothing falls in between;
     * the run is also re-read every {@code hub.sync.progress-poll}, so the subscription ends even if every
     * NOTIFY of the run were lost. Only events newer than the last one sent go out.
     */
    public Flux<SyncEvent> progress(String runId) {
        UUID id = Ids.parse("runId", runId);
        return runs.findSummary(id)
                .switchIfEmpty(Mono.error(() -> new InvalidInputException("runId", "No sync run has this id.")))
                .flatMapMany(run -> run.status() != SyncStatus.RUNNING
                        ? Flux.just(run.latestEvent())
                        : bus.listening().thenMany(Flux.defer(() -> follow(id))));
    }

    private Flux<SyncEvent> follow(UUID id) {
        NewerOnly sent = new NewerOnly();
        AtomicReference<Disposable> connection = new AtomicReference<>();
        // the id as given may differ in case (or form) from the canonical one events carry: compare UUIDs
        Flux<SyncEvent> live = bus.live().filter(e -> id.equals(runIdOf(e)))
                .replay(GAP_HISTORY).autoConnect(0, connection::set);
        Duration poll = properties.progressPoll();
        Flux<SyncEvent> polled = Flux.interval(poll, poll)
                .onBackpressureDrop()
                .concatMap(tick -> runs.findSummary(id).map(SyncRun::latestEvent)
                        .onErrorResume(e -> {
                            log.warn("Re-reading sync run {} for a progress subscriber failed: {}", id, e.toString());
                            return Mono.empty();
                        }), 0);
        return runs.findSummary(id).map(SyncRun::latestEvent)
                .flatMapMany(latest -> Flux.just(latest).filter(sent::admit)
                        .concatWith(Coalescing.latestPerRun(Flux.merge(live, polled).filter(sent::admit))))
                .takeUntil(SyncEvent::terminal)
                .doFinally(signal -> dispose(connection));
    }

    /**
     * Every run's events (optionally of one kind); first the latest states of running runs and of runs that
     * finished within {@code hub.sync.replay-window} (so a subscriber that joins just after a fast run ended
     * still sees its end). Never completes.
     */
    public Flux<SyncEvent> events(SyncKind kind) {
        return bus.listening().thenMany(Flux.defer(() -> {
            NewerOnly sent = new NewerOnly();
            AtomicReference<Disposable> connection = new AtomicReference<>();
            Flux<SyncEvent> live = bus.live().filter(e -> kind == null || e.kind() == kind)
                    .replay(GAP_HISTORY).autoConnect(0, connection::set);
            return recentEvents(kind)
                    .flatMapMany(recent -> Flux.fromIterable(recent).filter(sent::admit)
                            .concatWith(Coalescing.latestPerRun(live.filter(sent::admit))))
                    .doFinally(signal -> dispose(connection));
        }));
    }

    /** The latest events of running and recently finished runs of the kind, read after the caller's live feed is on. */
    private Mono<List<SyncEvent>> recentEvents(SyncKind kind) {
        return recentReads.computeIfAbsent(Optional.ofNullable(kind), k -> new NextRead<>(
                () -> runs.runningOrFinishedWithin(kind, properties.replayWindow()).map(SyncRun::latestEvent).collectList())).get();
    }

    private static UUID runIdOf(SyncEvent event) {
        try {
            return UUID.fromString(event.runId());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void dispose(AtomicReference<Disposable> connection) {
        Disposable d = connection.get();
        if (d != null) {
            d.dispose();
        }
    }
}
