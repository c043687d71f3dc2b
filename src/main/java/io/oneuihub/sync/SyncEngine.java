package io.oneuihub.sync;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.oneuihub.graphql.AfterResponse;
import io.oneuihub.litellm.DeploymentPage;
import io.oneuihub.litellm.LiteLlmClient;
import io.oneuihub.litellm.LiteLlmDeployment;
import io.oneuihub.litellm.LiteLlmException;
import io.oneuihub.litellm.LiteLlmProperties;
import io.oneuihub.sync.ModelSyncStore.CatalogState;
import io.oneuihub.sync.ModelSyncStore.LocalWrites;
import io.oneuihub.sync.SyncRunRepository.AbandonedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts and runs syncs. The lock is the sync_run row: a RUNNING row per kind at most (a partial unique index),
 * kept alive by heartbeats; a run whose heartbeat is older than the lease is ABANDONED by whoever looks next.
 * A run applies its plan in one transaction together with its own SUCCEEDED record, so a failure anywhere leaves
 * the catalog as it was; a models run opens that transaction before it reads LiteLLM and writes new models while
 * it reads (see {@link #syncModels}), a budgets run reads LiteLLM completely first.
 * Not secured: {@link SyncService} is the admin-only entry point; the schedule and start-up runs call in here.
 */
@Component
public class SyncEngine implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

    public record Started(SyncRun run, boolean alreadyRunning) {
    }

    private record Outcome(SyncEvent completed) {
    }

    private final SyncRunRepository runs;
    private final SyncEventBus bus;
    private final LiteLlmClient client;
    private final LiteLlmProperties litellm;
    private final ModelSyncStore catalog;
    private final BudgetSyncStore budgets;
    private final TransactionalOperator tx;
    private final SyncProperties properties;
    private final JsonMapper json;
    private final SyncMetrics metrics;
    private final Map<UUID, Disposable> active = new ConcurrentHashMap<>();
    private final Disposable.Composite background = Disposables.composite();
    private volatile boolean running;

    SyncEngine(SyncRunRepository runs, SyncEventBus bus, LiteLlmClient client, LiteLlmProperties litellm,
            ModelSyncStore catalog, BudgetSyncStore budgets, ReactiveTransactionManager transactions, SyncProperties properties,
            JsonMapper json, SyncMetrics metrics) {
        this.runs = runs;
        this.bus = bus;
        this.client = client;
        this.litellm = litellm;
        this.catalog = catalog;
        this.budgets = budgets;
        this.tx = TransactionalOperator.create(transactions);
        this.properties = properties;
        this.json = json;
        this.metrics = metrics;
    }

    public String instanceId() {
        return properties.instanceId();
    }

    /**
     * Starts a run in the background and answers it at once (RUNNING), or answers the run of this kind that is
     * already running anywhere (alreadyRunning).
     */
    public Mono<Started> start(SyncKind kind, boolean dryRun, String trigger) {
        return Mono.deferContextual(context -> start(kind, dryRun, trigger, AfterResponse.executor(context)));
    }

    /**
     * {@code launching} is where the run is handed off: for a mutation over HTTP, after its answer is written. On
     * 2 cores the run's first steps (the first page's request, the stored catalog's read, their JIT) otherwise took
     * the CPU from that answer: 40-70 ms passed between the run's insert and the answer of the first call after
     * start-up, 12-28 ms once the run waited for it.
     */
    private Mono<Started> start(SyncKind kind, boolean dryRun, String trigger, Executor launching) {
        Mono<Started> insert = Mono.defer(() -> runs.tryStart(kind, dryRun, trigger, properties.instanceId())
                // handle, not map: Reactor restores the MDC there, so a mutation's start line names its executionId
                .handle((run, sink) -> {
                    log.info("Sync run {} ({}{}) started by {}", run.id(), kind, run.dryRun() ? ", dry run" : "", trigger);
                    launching.execute(() -> launch(run));
                    sink.next(new Started(run, false));
                }));
        Mono<Started> attempt = insert.switchIfEmpty(Mono.defer(() -> runs.running(kind).map(run -> new Started(run, true))));
        // The answer waits for the RUNNING row's insert only. A RUNNING row of the kind blocks it: then sweep (it may
        // be a dead instance's run) and try again; the running run may also finish between the failed insert and
        // the read of it, hence the second attempt.
        return insert.switchIfEmpty(Mono.defer(() -> sweep(kind)).then(attempt.switchIfEmpty(attempt)))
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("could not start a " + kind + " sync")));
    }

    /** Marks runs of the kind whose instance stopped sending heartbeats ABANDONED and tells their subscribers. */
    Mono<Void> sweep(SyncKind kind) {
        return runs.abandonExpired(kind, properties.lease())
                .concatMap(run -> {
                    log.warn("Sync run {} ({}) on {} stopped sending heartbeats: ABANDONED", run.id(), kind, run.instanceId());
                    abandoned(run);
                    return bus.publishTerminal(abandonedEvent(run));
                })
                .then();
    }

    /** Counted by whoever marked the run ABANDONED; the runner, should it still be alive, does not count it again. */
    private void abandoned(SyncRun run) {
        metrics.ended(run, SyncStatus.ABANDONED, null, Duration.between(run.startedAt(), now()));
    }

    private static SyncEvent abandonedEvent(SyncRun run) {
        int sequence = run.lastEvent() == null ? 1 : run.lastEvent().sequence() + 1;
        return new SyncEvent(run.id().toString(), run.kind(), SyncPhase.FAILED, null, null, SyncCounts.ZERO,
                "The run was abandoned", run.error(), now(), sequence);
    }

    private void launch(SyncRun run) {
        Disposable.Swap handle = Disposables.swap();
        active.put(run.id(), handle);
        // off the caller's thread: the mutation's answer goes out without waiting for the run's first steps
        handle.update(Mono.defer(() -> execute(new RunContext(run)))
                .subscribeOn(Schedulers.parallel())
                .doFinally(signal -> active.remove(run.id()))
                .subscribe(null, e -> log.error("Sync run {} could not record its end", run.id(), e)));
    }

    private Mono<Void> execute(RunContext ctx) {
        Mono<Outcome> work = ctx.event(SyncPhase.STARTED, null, null,
                        (ctx.run.dryRun() ? "Dry run" : "Sync") + " started by " + ctx.run.trigger())
                .then(ctx.run.kind() == SyncKind.MODELS ? syncModels(ctx) : syncBudgets(ctx));
        return work
                .takeUntilOther(leaseLost(ctx))
                .doFinally(signal -> ctx.dropHeldBack())
                .switchIfEmpty(Mono.error(() -> new AbandonedException("run " + ctx.run.id() + " lost its lease")))
                .map(Outcome::completed)
                .doOnNext(completed -> {
                    ctx.mark("commit");
                    log.info("Sync run {} ({}) SUCCEEDED in {} ms ({}): {}", ctx.run.id(), ctx.run.kind(), ctx.elapsed().toMillis(),
                            ctx.phases(), completed.message());
                    ctx.ended(SyncStatus.SUCCEEDED, completed.counts());
                })
                .onErrorResume(e -> fail(ctx, e))
                .flatMap(bus::publishTerminal);
    }

    /**
     * Heartbeats; emits once someone else ended the run (ABANDONED, or the row is gone). A tick that comes while
     * a heartbeat is still waiting (a slow database, a row lock) is dropped: the next one renews the lease. A
     * heartbeat that waited for the apply transaction's row lock finds the run SUCCEEDED: that is our own end,
     * so the heartbeat just stops and the run's COMPLETED event goes out as usual. A failing heartbeat is
     * logged and retried on the next tick; only the lease decides whether the run is lost.
     */
    private Mono<Boolean> leaseLost(RunContext ctx) {
        Duration beat = properties.heartbeat();
        return Flux.interval(beat, beat)
                .onBackpressureDrop()
                .concatMap(tick -> runs.heartbeat(ctx.run.id())
                        .flatMap(alive -> alive ? Mono.just(SyncStatus.RUNNING)
                                : runs.status(ctx.run.id()).defaultIfEmpty(SyncStatus.ABANDONED))
                        .onErrorResume(e -> {
                            log.warn("Heartbeat of sync run {} failed: {}", ctx.run.id(), e.toString());
                            return Mono.empty();
                        }), 0)
                .takeUntil(status -> status != SyncStatus.RUNNING)
                .filter(status -> status == SyncStatus.ABANDONED)
                .next()
                .map(status -> true)
                .switchIfEmpty(Mono.never());
    }

    // ------------------------------------------------------------------ models

    /**
     * Reads the listing page by page, sorted by model name, and plans each model once its deployments are complete;
     * a real run writes the planned inserts inside its apply transaction while the next pages are read, and the
     * rest (updates, STALE, the last model) once the listing is complete. A listing whose models turn out not to be
     * contiguous undoes those early writes (a savepoint) and is planned and written at once when complete.
     */
    private Mono<Outcome> syncModels(RunContext ctx) {
        OffsetDateTime since = ctx.run.startedAt();
        // read on connections of their own while the first pages are fetched; read committed either way, and the
        // writes' guards re-check what an admin did since
        long loadStarted = System.nanoTime();
        Mono<CatalogState> stored = catalog.load(since)
                .doOnNext(state -> ctx.alongside("read", System.nanoTime() - loadStarted))
                .cache();
        stored.subscribe(null, e -> { }); // its error reaches the run through the steps below
        ModelListing listing = new ModelListing(new ModelSyncPlanner(json, properties.maxChanges()));
        boolean write = !ctx.run.dryRun();
        boolean early = write && properties.writeWhileReading();
        // First in the apply transaction, before its first write: its planner setting and the purge
        Mono<Void> applyBegins = catalog.planForGrowingTables().then(catalog.purgeTombstones(since));
        // Writing early, that and the savepoint the early writes go back to run while the first pages are fetched
        Mono<Void> prepared = (early ? applyBegins.then(catalog.markEarlyWrites()) : Mono.<Void>empty()).cache();
        // Two stages, so that the hub plans a page while PostgreSQL writes the one before: the pages are fetched and
        // decoded two ahead and planned one after another (taking the planned inserts out of the plan, their
        // statements prepared); each planned page's inserts are then written, and its FETCHING event published (see
        // RunContext.fetching), one page after another.
        Flux<ModelListing.Accepted> planned = client.deploymentPages()
                .concatMap(page -> stored
                        .flatMap(state -> Mono.fromCallable(() -> listing.accept(page, state,
                                plan -> early ? catalog.takeInserts(plan, since, properties.batchSize()) : null))
                                .subscribeOn(Schedulers.parallel())), 2);
        // A failure (of the fetch, an event or a write) waits for the statements already sent on the transaction's
        // connection to answer, never cancels them: the rollback needs that connection in a known state.
        Mono<Plan> read = Flux.mergeDelayError(1, prepared.then(Mono.<ModelListing.Accepted>empty()), planned)
                .concatMapDelayError(accepted -> {
                    DeploymentPage page = accepted.page();
                    if (accepted.step() == ModelListing.Step.UNORDERED) {
                        log.info("Sync run {}: LiteLLM's listing is not sorted by model name (page {}); planning it"
                                + " once it is read", ctx.run.id(), page.pageNumber());
                    }
                    Mono<Void> event = Mono.defer(() -> ctx.fetching(accepted.read(), page.totalCount(), page.pageNumber(), page.totalPages()));
                    return early ? Mono.whenDelayError(event, prepared.then(Mono.defer(() -> earlyWrites(ctx, listing, accepted)))) : event;
                }, false, 1)
                .then(Mono.defer(ctx::fetched))
                .then(stored)
                .doOnNext(state -> {
                    ctx.mark("fetch");
                    if (early) {
                        ctx.alongside("writes", listing.earlyNanos);
                    }
                })
                // only now: what admins wrote while the listing was read
                .flatMap(state -> catalog.localWritesSince(since)
                        .flatMap(writes -> Mono.fromCallable(() -> listing.plan(state, writes)).subscribeOn(Schedulers.parallel())))
                .doOnNext(p -> ctx.mark("plan"));
        if (!write) {
            return read.flatMap(p -> ctx.finish(p, 0));
        }
        Function<Plan, Mono<Outcome>> rest = p -> catalog.apply(p, statement -> true, since, properties.batchSize(), n -> ctx.applying(n, p))
                .doOnNext(rows -> ctx.mark("write"))
                .flatMap(rows -> ctx.finish(p, rows));
        if (!early) {
            return read.flatMap(p -> applyBegins.then(rest.apply(p)).as(tx::transactional));
        }
        return read.flatMap(rest).as(tx::transactional);
    }

    private Mono<Void> earlyWrites(RunContext ctx, ModelListing listing, ModelListing.Accepted accepted) {
        return switch (accepted.step()) {
            case PLANNED -> {
                if (accepted.inserts().isEmpty()) {
                    yield Mono.empty();
                }
                long started = System.nanoTime();
                yield accepted.plan().write(accepted.inserts(), n -> Mono.empty())
                        .doOnNext(rows -> listing.earlyNanos += System.nanoTime() - started)
                        .then();
            }
            case UNORDERED -> catalog.rollbackEarlyWrites();
            case COLLECTED -> Mono.empty();
        };
    }

    /**
     * The listing read so far, and its plan while the models come one after another. Used by one run's steps,
     * one after another.
     */
    private static final class ModelListing {

        enum Step {
            /** The page's complete models are planned: their rows can be written. */
            PLANNED,
            /** This page showed that the models are not contiguous: the plan so far is void. */
            UNORDERED,
            /** Kept for the plan at the end only. */
            COLLECTED
        }

        /**
         * One page accepted: its step, the deployments read so far, and (PLANNED, when writing early) the inserts
         * taken out of the plan for writing.
         */
        record Accepted(DeploymentPage page, Step step, int read, Plan plan, Plan.Pending inserts) {
        }

        private final ModelSyncPlanner planner;
        private final List<LiteLlmDeployment> read = new ArrayList<>();
        private ModelSyncPlanner.Session session;
        private boolean unordered;
        private volatile long earlyNanos;

        ModelListing(ModelSyncPlanner planner) {
            this.planner = planner;
        }

        /**
         * Plans the page and, once planned, has {@code take} take what is to be written now out of the plan (null:
         * nothing). Holds the plan's monitor while planning: the inserts taken before may be answered (and counted)
         * meanwhile.
         */
        Accepted accept(DeploymentPage page, CatalogState state, Function<Plan, Plan.Pending> take) {
            read.addAll(page.deployments());
            if (unordered) {
                return new Accepted(page, Step.COLLECTED, read.size(), null, null);
            }
            if (session == null) {
                session = planner.session(state);
            }
            Plan plan = session.plan();
            synchronized (plan) {
                if (session.accept(page.deployments())) {
                    return new Accepted(page, Step.PLANNED, read.size(), plan, take.apply(plan));
                }
            }
            unordered = true;
            session = null;
            return new Accepted(page, Step.UNORDERED, read.size(), null, null);
        }

        Plan plan(CatalogState state, LocalWrites since) {
            if (session != null) {
                return session.finish(since);
            }
            return planner.plan(read, state, since);
        }
    }

    // ------------------------------------------------------------------ budgets

    private Mono<Outcome> syncBudgets(RunContext ctx) {
        AtomicInteger read = new AtomicInteger();
        Mono<BudgetSyncPlanner.Upstream> fetch = client.budgets().collectList()
                .flatMap(b -> ctx.event(SyncPhase.FETCHING, read.addAndGet(b.size()), null, "Read " + b.size() + " budget rows").thenReturn(b))
                .zipWhen(b -> client.customers().collectList()
                        .flatMap(c -> ctx.event(SyncPhase.FETCHING, read.addAndGet(c.size()), null, "Read " + c.size() + " customers").thenReturn(c)))
                .zipWhen(bc -> client.users().collectList()
                        .flatMap(u -> ctx.event(SyncPhase.FETCHING, read.addAndGet(u.size()), null, "Read " + u.size() + " users").thenReturn(u)))
                .zipWhen(bcu -> client.teams().collectList()
                        .flatMap(t -> ctx.event(SyncPhase.FETCHING, read.addAndGet(t.size()), null, "Read " + t.size() + " teams").thenReturn(t)))
                .map(all -> new BudgetSyncPlanner.Upstream(all.getT1().getT1().getT1(), all.getT1().getT1().getT2(),
                        all.getT1().getT2(), all.getT2()));
        return fetch.flatMap(upstream -> {
            BudgetSyncPlanner planner = new BudgetSyncPlanner(json);
            Mono<Plan> plan = budgets.load(ctx.run.startedAt()).publishOn(Schedulers.parallel()).map(stored -> planner.plan(upstream, stored));
            if (ctx.run.dryRun()) {
                return plan.flatMap(p -> ctx.finish(p, 0));
            }
            return plan.flatMap(p -> budgets.apply(p, ctx.run.id(), ctx.run.startedAt(), properties.batchSize(), n -> ctx.applying(n, p))
                            .flatMap(rows -> ctx.finish(p, rows)))
                    .as(tx::transactional);
        });
    }

    // ------------------------------------------------------------------ failure

    /** Records the failure and answers the FAILED event to publish; empty when the run is not ours to end. */
    private Mono<SyncEvent> fail(RunContext ctx, Throwable e) {
        if (e instanceof AbandonedException) {
            return storedEnd(ctx);
        }
        SyncError error = errorOf(ctx.run, e);
        SyncEvent failed = ctx.next(SyncPhase.FAILED, null, null, SyncCounts.ZERO, error.message(), error);
        return runs.finish(ctx.run.id(), SyncStatus.FAILED, SyncCounts.ZERO, null, 0, 0, error, failed)
                .retryWhen(Retry.backoff(3, Duration.ofMillis(100)).filter(SyncEventBus::isTransient)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .thenReturn(failed)
                .doOnNext(recorded -> ctx.ended(SyncStatus.FAILED, SyncCounts.ZERO))
                .onErrorResume(AbandonedException.class, ignored -> storedEnd(ctx))
                .onErrorResume(recordError -> {
                    // the run stays RUNNING without heartbeats: the lease sweeper ends it ABANDONED and says so
                    log.error("Could not record the failure of sync run {}", ctx.run.id(), recordError);
                    return Mono.empty();
                });
    }

    /**
     * The run turned out not to be RUNNING any more. If it holds our own end (a lease check or a retried write
     * that raced our commit), that end stands and its event goes out; if it was ABANDONED, the writes were rolled
     * back and whoever abandoned it tells the subscribers.
     */
    private Mono<SyncEvent> storedEnd(RunContext ctx) {
        return runs.findSummary(ctx.run.id())
                .flatMap(stored -> {
                    if (stored.status() == SyncStatus.SUCCEEDED || stored.status() == SyncStatus.FAILED) {
                        log.info("Sync run {} found its own {} end stored; it stands", ctx.run.id(), stored.status());
                        ctx.ended(stored.status(), stored.status() == SyncStatus.SUCCEEDED ? stored.counts() : SyncCounts.ZERO);
                        return Mono.just(stored.latestEvent());
                    }
                    log.warn("Sync run {} was abandoned while working; its writes were rolled back", ctx.run.id());
                    return Mono.<SyncEvent>empty();
                })
                .onErrorResume(readError -> {
                    log.error("Sync run {} lost its lease and its stored state could not be read", ctx.run.id(), readError);
                    return Mono.empty();
                });
    }

    private SyncError errorOf(SyncRun run, Throwable e) {
        if (e instanceof LiteLlmException le) {
            log.warn("Sync run {} ({}) failed: {}", run.id(), run.kind(), redact(le.getMessage()));
            return new SyncError(le.category().name(), redact(le.getMessage()));
        }
        log.error("Sync run {} ({}) failed", run.id(), run.kind(), e);
        return new SyncError("INTERNAL", "The sync failed inside the hub (" + e.getClass().getSimpleName()
                + "); nothing was changed. The service log has the details.");
    }

    private String redact(String message) {
        String key = litellm.masterKey();
        if (message == null) {
            return "LiteLLM request failed";
        }
        return key == null ? message : message.replace(key, "[REDACTED]");
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** Progress events of one kind (FETCHING, APPLYING) go out at most this often, the first and the last always. */
    static final long PROGRESS_INTERVAL_MS = 100;

    /** A FETCHING event held back until its interval is over. */
    private record HeldBack(int processed, Integer total, String message) {
    }

    /** Per-run state: the event sequence, the progress throttles, where the time went. */
    private final class RunContext {

        final SyncRun run;
        private final AtomicInteger sequence = new AtomicInteger();
        private final long startedNanos = System.nanoTime();
        private volatile long lastApplying;
        private long lastFetching;
        private HeldBack heldBack;
        private Disposable heldBackTimer;

        /** Where the run's time went, phase by phase (for the end's log line). */
        private final StringBuilder phases = new StringBuilder();
        private final StringBuilder alongside = new StringBuilder();
        private long lastMark = startedNanos;

        RunContext(SyncRun run) {
            this.run = run;
        }

        synchronized void mark(String phase) {
            long nowNanos = System.nanoTime();
            phases.append(phases.isEmpty() ? "" : ", ").append(phase).append(' ').append((nowNanos - lastMark) / 1_000_000).append(" ms");
            lastMark = nowNanos;
        }

        /** Work that ran alongside the phases (e.g. the stored catalog's read during the fetch). */
        synchronized void alongside(String work, long nanos) {
            alongside.append(alongside.isEmpty() ? "" : ", ").append(work).append(' ').append(nanos / 1_000_000).append(" ms");
        }

        synchronized String phases() {
            return alongside.isEmpty() ? phases.toString() : phases + "; alongside the fetch: " + alongside;
        }

        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startedNanos);
        }

        /** This instance wrote the run's end. */
        void ended(SyncStatus status, SyncCounts counts) {
            metrics.ended(run, status, counts, elapsed());
        }

        synchronized SyncEvent next(SyncPhase phase, Integer processed, Integer total, SyncCounts counts, String message,
                SyncError error) {
            if (phase == SyncPhase.COMPLETED || phase == SyncPhase.FAILED) {
                dropHeldBack(); // nothing may follow the end
            }
            return new SyncEvent(run.id().toString(), run.kind(), phase, processed, total, counts, message, error, now(),
                    sequence.incrementAndGet());
        }

        /**
         * Publishes a progress event before the run goes on. Inline, not queued: with a queue the run's end had to
         * wait behind every progress event still unsent, and with 1,000 subscribers COMPLETED reached them about
         * 2 s after the commit (bench/run, 2026-12-01T1602Z), where inline publishing keeps it within a few hundred
         * ms. A progress event that cannot be published is logged and left out: the run's end is what
         * subscribers rely on, and it is retried ({@link SyncEventBus#publishTerminal}).
         */
        Mono<Void> event(SyncPhase phase, Integer processed, Integer total, String message) {
            return Mono.defer(() -> publish(next(phase, processed, total, null, message, null)));
        }

        private Mono<Void> publish(SyncEvent event) {
            return bus.publish(event).onErrorResume(e -> {
                log.warn("Could not publish the {} event of sync run {}: {}", event.phase(), run.id(), e.toString());
                return Mono.empty();
            });
        }

        /**
         * The FETCHING event of a page read: the first and the last page's at once, the pages between at most one
         * every {@link #PROGRESS_INTERVAL_MS}. A page held back is reported when the interval is over, unless a later
         * page came first ({@link #fetched} reports it at the listing's end). Each event goes to every subscriber of
         * every instance: a 10,000-deployment listing of 20 pages read in half a second made 1,000 subscribers
         * receive 20 events in that half second, and COMPLETED reached them 1.7 s late behind that backlog.
         */
        Mono<Void> fetching(int processed, Integer total, int pageNumber, Integer totalPages) {
            String message = "Read page " + pageNumber + (totalPages == null ? "" : " of " + totalPages);
            boolean last = totalPages != null && pageNumber >= totalPages;
            long nowMs = System.currentTimeMillis();
            synchronized (this) {
                dropHeldBack(); // this page is newer
                long wait = lastFetching + PROGRESS_INTERVAL_MS - nowMs;
                if (last || lastFetching == 0 || wait <= 0) {
                    lastFetching = nowMs;
                    return event(SyncPhase.FETCHING, processed, total, message);
                }
                HeldBack held = new HeldBack(processed, total, message);
                heldBack = held;
                // publish() logs and swallows its own failure: the timer never errors
                heldBackTimer = Mono.delay(Duration.ofMillis(wait)).flatMap(tick -> takeHeldBack(held)).subscribe();
                return Mono.empty();
            }
        }

        /** A FETCHING event still held back is not published (the run ends, or was taken from this instance). */
        synchronized void dropHeldBack() {
            heldBack = null;
            stopHeldBackTimer();
        }

        /** At the listing's end: the page held back, if any, is reported now, before anything that follows. */
        synchronized Mono<Void> fetched() {
            stopHeldBackTimer();
            return heldBack == null ? Mono.empty() : takeHeldBack(heldBack);
        }

        private void stopHeldBackTimer() {
            if (heldBackTimer != null) {
                heldBackTimer.dispose();
                heldBackTimer = null;
            }
        }

        private synchronized Mono<Void> takeHeldBack(HeldBack held) {
            if (heldBack != held) {
                return Mono.empty(); // a later page came, or the listing ended, first
            }
            heldBack = null;
            lastFetching = System.currentTimeMillis();
            // the sequence number is taken here, under the monitor: no later page's event can have a lower one
            return publish(next(SyncPhase.FETCHING, held.processed(), held.total(), null, held.message(), null));
        }

        /** One APPLYING event per write statement, but not more often than every 100 ms (the last one always). */
        Mono<Void> applying(int written, Plan plan) {
            long nowMs = System.currentTimeMillis();
            int total = plan.rowsToWrite();
            if (written < total && nowMs - lastApplying < PROGRESS_INTERVAL_MS) {
                return Mono.empty();
            }
            lastApplying = nowMs;
            return event(SyncPhase.APPLYING, written, total, null);
        }

        /** Records the run's end (inside the apply transaction for real runs) and answers the COMPLETED event. */
        Mono<Outcome> finish(Plan plan, int rowsWritten) {
            SyncCounts counts = plan.counts();
            List<SyncChange> all = plan.changes();
            List<SyncChange> kept = all.size() > properties.maxChanges() ? all.subList(0, properties.maxChanges()) : all;
            String message = (run.dryRun() ? "Dry run: " : "") + counts.created() + " created, " + counts.updated()
                    + " updated, " + counts.unchanged() + " unchanged, " + counts.stale() + " stale, " + counts.failed()
                    + " failed" + (counts.skipped() == 0 ? "" : ", " + counts.skipped() + " skipped (changed by an admin during this sync)")
                    + (run.dryRun() ? " (nothing written)" : "; " + rowsWritten + " rows written");
            SyncEvent completed = next(SyncPhase.COMPLETED, plan.rowsToWrite(), plan.rowsToWrite(), counts, message, null);
            return runs.storeChanges(run.id(), List.copyOf(kept), all.size())
                    .then(runs.finish(run.id(), SyncStatus.SUCCEEDED, counts, null, all.size(), rowsWritten, null, completed))
                    .thenReturn(new Outcome(completed));
        }
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void start() {
        running = true;
        Duration sweepEvery = properties.sweepInterval();
        // a tick that comes while a sweep still waits for the database is dropped, never overflowed (that ended
        // the sweeper for good)
        background.add(Flux.interval(sweepEvery, sweepEvery)
                .onBackpressureDrop()
                .concatMap(tick -> sweep(SyncKind.MODELS).then(sweep(SyncKind.BUDGETS))
                        .onErrorResume(e -> {
                            log.warn("Sweeping abandoned sync runs failed: {}", e.toString());
                            return Mono.empty();
                        }), 0)
                .subscribe(null, e -> log.error("The sweeper of abandoned sync runs stopped", e)));
        Duration interval = properties.scheduleInterval();
        if (interval != null) {
            log.info("Syncing models and budgets from LiteLLM every {}", interval);
            background.add(Flux.interval(interval, interval)
                    .onBackpressureDrop()
                    .concatMap(tick -> both("schedule"))
                    .subscribe());
        }
        if (properties.onStartup()) {
            background.add(both("startup").subscribe());
        }
    }

    /** Starts both syncs (each only if its kind is not running already). */
    public Mono<List<Started>> both(String trigger) {
        return Flux.concat(start(SyncKind.MODELS, false, trigger), start(SyncKind.BUDGETS, false, trigger))
                .onErrorContinue((e, ignored) -> log.warn("Could not start a {} sync: {}", trigger, e.toString()))
                .collectList();
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    /** Spring waits for the callback (up to its shutdown-phase timeout) without a thread blocking on it. */
    @Override
    public void stop(Runnable callback) {
        running = false;
        background.dispose();
        active.values().forEach(Disposable::dispose);
        runs.abandonOwn(properties.instanceId())
                .concatMap(run -> {
                    abandoned(run);
                    return bus.publishTerminal(abandonedEvent(run));
                })
                .then()
                .timeout(Duration.ofSeconds(5))
                .doOnError(e -> log.warn("Could not mark this instance's running syncs ABANDONED on shutdown: {}", e.toString()))
                .onErrorComplete()
                .doFinally(signal -> callback.run())
                .subscribe();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 0;
    }
}
