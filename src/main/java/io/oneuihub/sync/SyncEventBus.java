package io.oneuihub.sync;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sync events across instances through PostgreSQL LISTEN/NOTIFY. {@link #publish} stores the event as the
 * run's latest state (for late subscribers) and NOTIFYs it in one statement, outside any transaction; every
 * instance, the publishing one included, LISTENs on one dedicated, non-pooled connection and hands the events
 * to its local subscribers. Local delivery never blocks the sync: subscribers get the events through
 * {@link Coalescing}, which keeps memory bounded.
 * <p>
 * NOTIFYs sent while no LISTEN is active are gone for good, so after every LISTEN (the first and each one after
 * a reconnect) the stored latest events of running runs and of runs that finished within the replay window are
 * handed to local subscribers again; they drop what they have already seen by sequence. A listener connection
 * that dies without a word (no FIN, a hung backend) is noticed by a {@code SELECT 1} on it every
 * {@code hub.sync.listener-check}, besides TCP keepalive.
 */
@Component
public class SyncEventBus implements SmartLifecycle {

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
    private final String url;
    private final String username;
    private final String password;
    private final Sinks.Many<SyncEvent> local = Sinks.many().multicast().directBestEffort();
    private final Sinks.One<Void> ready = Sinks.one();
    private volatile Disposable listening;
    private volatile boolean running;

    SyncEventBus(DatabaseClient db, JsonMapper json, SyncRunRepository runs, SyncProperties properties,
            @Value("${spring.r2dbc.url}") String url, @Value("${spring.r2dbc.username:}") String username,
            @Value("${spring.r2dbc.password:}") String password) {
        this.db = db;
        this.json = json;
        this.runs = runs;
        this.properties = properties;
        this.url = url;
        this.username = username;
        this.password = password;
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

    /** How the listener connection shows in pg_stat_activity. */
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

    @Override
    public void start() {
        PostgresqlConnectionFactory factory = listenerFactory();
        AtomicBoolean listenedBefore = new AtomicBoolean();
        running = true;
        // an empty Optional marks a LISTEN that took: it resets the backoff, so every outage starts at 200 ms
        listening = Flux.usingWhen(factory.create(),
                        connection -> listen(connection, listenedBefore),
                        connection -> connection.close().timeout(Duration.ofSeconds(5)).onErrorComplete())
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5))
                        .transientErrors(true)
                        .filter(e -> running)
                        .doBeforeRetry(signal -> log.warn("Sync event listener lost its connection ({}); reconnecting",
                                signal.failure().toString())))
                .subscribe(event -> event.ifPresent(local::tryEmitNext),
                        e -> log.error("Sync event listener stopped", e));
    }

    /**
     * Follows one connection: its notifications (subscribed before LISTEN, so none is dropped in between), then
     * the stored catch-up, and a health check that fails the whole flux when the connection stops answering.
     */
    private Flux<Optional<SyncEvent>> listen(PostgresqlConnection connection, AtomicBoolean listenedBefore) {
        Duration check = properties.listenerCheck();
        Flux<Optional<SyncEvent>> notifications = connection.getNotifications()
                .concatMap(notification -> Mono.justOrEmpty(read(notification.getParameter())))
                .map(Optional::of)
                // a connection that closes ends the notifications without an error: reconnect all the same
                .concatWith(Mono.error(() -> new IllegalStateException("the LISTEN connection closed")));
        Flux<Optional<SyncEvent>> health = Flux.interval(check, check)
                .onBackpressureDrop()
                .concatMap(tick -> connection.createStatement("SELECT 1").execute()
                        .flatMap(result -> result.map((row, meta) -> 1))
                        .then()
                        .timeout(check, Mono.error(() -> new TimeoutException(
                                "the LISTEN connection did not answer SELECT 1 within " + check))), 0)
                .thenMany(Flux.<Optional<SyncEvent>>empty());
        Flux<Optional<SyncEvent>> listened = connection.createStatement("LISTEN " + CHANNEL).execute()
                .flatMap(PostgresqlResult::getRowsUpdated)
                .then(Mono.fromRunnable(() -> ready.tryEmitEmpty()))
                // a catch-up that fails fails the connection too: the next LISTEN tries it again
                .thenMany(Flux.defer(() -> Flux.concat(Mono.just(Optional.<SyncEvent>empty()),
                        Flux.merge(catchUp(listenedBefore.getAndSet(true)), health))));
        return Flux.merge(notifications, listened);
    }

    /** The stored latest events that NOTIFYs may have carried while nobody LISTENed here. */
    private Flux<Optional<SyncEvent>> catchUp(boolean again) {
        return runs.runningOrFinishedWithin(null, properties.replayWindow())
                .map(SyncRun::latestEvent)
                .collectList()
                .doOnNext(events -> {
                    if (again) {
                        log.info("Sync event listener is listening again; re-delivering the latest events of {} recent runs",
                                events.size());
                    }
                })
                .flatMapIterable(events -> events)
                .map(Optional::of);
    }

    private SyncEvent read(String payload) {
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

    private PostgresqlConnectionFactory listenerFactory() {
        ConnectionFactoryOptions parsed = ConnectionFactoryOptions.parse(url.replaceFirst("^r2dbc:pool:", "r2dbc:"));
        ConnectionFactoryOptions.Builder options = parsed.mutate();
        if (parsed.getValue(ConnectionFactoryOptions.USER) == null && username != null && !username.isBlank()) {
            options.option(ConnectionFactoryOptions.USER, username);
        }
        if (parsed.getValue(ConnectionFactoryOptions.PASSWORD) == null && password != null && !password.isEmpty()) {
            options.option(ConnectionFactoryOptions.PASSWORD, password);
        }
        options.option(PostgresqlConnectionFactoryProvider.TCP_KEEPALIVE, true);
        options.option(PostgresqlConnectionFactoryProvider.APPLICATION_NAME, applicationName(properties.instanceId()));
        return new PostgresqlConnectionFactoryProvider().create(options.build());
    }

    @Override
    public void stop() {
        running = false;
        Disposable d = listening;
        if (d != null) {
            d.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // start before the web server (which starts at DEFAULT_PHASE - 1024 ... ) and stop after the sync engine
        return Integer.MIN_VALUE + 1000;
    }
}
