package io.oneuihub.sync;

import java.time.Duration;
import java.util.UUID;

import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
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
 */
@Component
public class SyncEventBus implements SmartLifecycle {

    static final String CHANNEL = "hub_sync_events";
    /** PostgreSQL refuses NOTIFY payloads from 8000 bytes on; messages are cut well below that. */
    private static final int MAX_MESSAGE = 1000;
    private static final Logger log = LoggerFactory.getLogger(SyncEventBus.class);

    private final DatabaseClient db;
    private final JsonMapper json;
    private final String url;
    private final String username;
    private final String password;
    private final Sinks.Many<SyncEvent> local = Sinks.many().multicast().directBestEffort();
    private final Sinks.One<Void> ready = Sinks.one();
    private volatile Disposable listening;
    private volatile boolean running;

    SyncEventBus(DatabaseClient db, JsonMapper json, @Value("${spring.r2dbc.url}") String url,
            @Value("${spring.r2dbc.username:}") String username, @Value("${spring.r2dbc.password:}") String password) {
        this.db = db;
        this.json = json;
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
     * Completes once this instance LISTENs. Subscribers start after it, so no NOTIFY can slip past them
     * in the moment after start-up, and start-up itself never waits for it.
     */
    public Mono<Void> listening() {
        return ready.asMono().timeout(Duration.ofSeconds(30),
                Mono.error(() -> new IllegalStateException("Sync events are not available: LISTEN " + CHANNEL + " failed")));
    }

    /** Events from every instance, as they arrive; hot, never completes. */
    public Flux<SyncEvent> live() {
        return local.asFlux();
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
        running = true;
        listening = Flux.usingWhen(factory.create(),
                        connection -> connection.createStatement("LISTEN " + CHANNEL).execute()
                                .flatMap(PostgresqlResult::getRowsUpdated)
                                .then(Mono.fromRunnable(() -> ready.tryEmitEmpty()))
                                .thenMany(connection.getNotifications()),
                        PostgresqlConnection::close)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5))
                        .filter(e -> running)
                        .doBeforeRetry(signal -> log.warn("Sync event listener lost its connection ({}); reconnecting",
                                signal.failure().toString())))
                .subscribe(notification -> {
                    String payload = notification.getParameter();
                    if (payload == null) {
                        return;
                    }
                    try {
                        local.tryEmitNext(json.readValue(payload, SyncEvent.class));
                    } catch (RuntimeException e) {
                        log.warn("Ignoring an unreadable sync event: {}", e.toString());
                    }
                }, e -> log.error("Sync event listener stopped", e));
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
