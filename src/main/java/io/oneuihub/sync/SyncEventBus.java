package io.oneuihub.sync;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import io.oneuihub.db.NotificationListener;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sync events across instances through PostgreSQL LISTEN/NOTIFY. {@link #publish} stores the event as the
 * run's latest state (for late subscribers) and NOTIFYs it in one statement, outside any transaction; every
 * instance, the publishing one included, gets the events through its one LISTEN connection
 * ({@link NotificationListener}, shared with the budget alerts) and hands them to its local subscribers. Local
 * delivery never blocks the sync: subscribers get the events through {@link Coalescing}, which keeps memory
 * bounded.
 * <p>
 * NOTIFYs sent while no LISTEN is active are gone for good, so after every LISTEN (the first and each one after
 * a reconnect) the stored latest events of running runs and of runs that finished within the replay window are
 * handed to local subscribers again; they drop what they have already seen by sequence.
 */
@Component
public class SyncEventBus implements NotificationListener.Channel<SyncEvent> {

    static final String CHANNEL = "hub_sync_events";
    /** PostgreSQL refuses NOTIFY payloads from 8000 bytes on; messages are cut well below that. */
    private static final int MAX_MESSAGE = 1000;
    /** PostgreSQL keeps application names to NAMEDATALEN - 1 bytes. */
    private static final int MAX_APPLICATION_NAME = 63;
    /** Retries of a terminal event: about three seconds in all, then the failure is logged. */
    private static final int TERMINAL_RETRIES = 5;
    private static final Logger log = LoggerFactory.getLogger(SyncEventBus.class);

    private final DatabaseClient db;
    private final JsonMapper json;
    private final SyncRunRepository runs;
    private final SyncProperties properties;
    private final Sinks.Many<SyncEvent> local = Sinks.many().multicast().directBestEffort();
    private final Sinks.One<Void> ready = Sinks.one();

    SyncEventBus(DatabaseClient db, JsonMapper json, SyncRunRepository runs, SyncProperties properties) {
        this.db = db;
        this.json = json;
        this.runs = runs;
        this.properties = properties;
    }

    /** Stores the event as the run's latest state (unless a later one is stored) and NOTIFYs every instance. */
    public Mono<Void> publish(SyncEvent event) {
        SyncEvent small = shorten(event);
        String payload = json.writeValueAsString(small);
        return db.sql("""
                        WITH stored AS (
                          UPDATE sync_run SET last_event = :event, event_seq = :seq
                          WHERE id = :id AND event_seq < :seq RETURNING 1)
                        SELECT pg_notify(:channel, :payload) AS sent""")
                .bind("event", Json.of(payload))
                .bind("seq", small.sequence())
                .bind("id", UUID.fromString(small.runId()))
                .bind("channel", CHANNEL)
                .bind("payload", payload)
                .map(row -> 1)
                .all()
                .then()
                // never inside the caller's transaction: NOTIFY would wait for its commit
                .contextWrite(ctx -> Context.empty());
    }

    /**
     * Publishes a run's COMPLETED or FAILED event, retried with backoff on a transient database error (publishing
     * twice is harmless). A final failure is logged at ERROR; subscribers then still get the run's end from its
     * stored state (syncProgress re-reads it, and every re-LISTEN re-delivers it). Never fails.
     */
    public Mono<Void> publishTerminal(SyncEvent event) {
        return publish(event)
                .retryWhen(Retry.backoff(TERMINAL_RETRIES, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(2))
                        .filter(SyncEventBus::isTransient)
                        .doBeforeRetry(signal -> log.warn("Publishing the {} event of sync run {} failed ({}); retrying",
                                event.phase(), event.runId(), signal.failure().toString()))
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .onErrorResume(e -> {
                    log.error("Could not publish the {} event of sync run {}; subscribers get it from the stored run instead",
                            event.phase(), event.runId(), e);
                    return Mono.empty();
                });
    }

    /** A failure that may pass: a lost or refused connection, a timeout, a serialization failure or deadlock. */
    static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof RecoverableDataAccessException || t instanceof R2dbcTransientException
                    || t instanceof R2dbcNonTransientResourceException || t instanceof TimeoutException
                    || t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Completes once this instance LISTENs. Subscribers start after it, so no NOTIFY can slip past them
     * in the moment after start-up, and start-up itself never waits for it.
     */
    public Mono<Void> listening() {
        return ready.asMono().timeout(Duration.ofSeconds(30),
                Mono.error(() -> new IllegalStateException("Sync events are not available: LISTEN " + CHANNEL + " failed")));
    }

    /** Events from every instance, as they arrive, and stored ones again after a re-LISTEN; hot, never completes. */
    public Flux<SyncEvent> live() {
        return local.asFlux();
    }

    /** How this instance's LISTEN connection shows in pg_stat_activity. */
    static String applicationName(String instanceId) {
        String name = "oneuihub-sync-listener " + instanceId;
        return name.length() <= MAX_APPLICATION_NAME ? name : name.substring(0, MAX_APPLICATION_NAME);
    }

    private static SyncEvent shorten(SyncEvent e) {
        String message = cut(e.message());
        SyncError error = e.error() == null ? null : new SyncError(e.error().code(), cut(e.error().message()));
        return new SyncEvent(e.runId(), e.kind(), e.phase(), e.processed(), e.total(), e.counts(), message, error, e.at(), e.sequence());
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }

    // ------------------------------------------------------------------ the LISTEN connection's channel

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public SyncEvent read(String payload) {
        if (payload == null) {
            return null;
        }
        try {
            return json.readValue(payload, SyncEvent.class);
        } catch (RuntimeException e) {
            log.warn("Ignoring an unreadable sync event: {}", e.toString());
            return null;
        }
    }

    /** Ready for subscribers; then the stored latest events that NOTIFYs may have carried while nobody LISTENed here. */
    @Override
    public Flux<SyncEvent> listened(boolean again) {
        return Flux.defer(() -> {
            ready.tryEmitEmpty();
            return runs.runningOrFinishedWithin(null, properties.replayWindow())
                    .map(SyncRun::latestEvent)
                    .collectList()
                    .doOnNext(events -> {
                        if (again) {
                            log.info("Sync event listener is listening again; re-delivering the latest events of {} recent runs",
                                    events.size());
                        }
                    })
                    .flatMapIterable(events -> events);
        });
    }

    @Override
    public void deliver(SyncEvent event) {
        local.tryEmitNext(event);
    }
}
