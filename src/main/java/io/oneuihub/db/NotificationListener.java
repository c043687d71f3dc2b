package io.oneuihub.db;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The one PostgreSQL LISTEN connection of an instance, for every {@link Channel} the application has (sync events,
 * budget alerts): a dedicated, non-pooled connection with TCP keepalive that LISTENs on all channels and hands each
 * notification to its channel.
 * <p>
 * NOTIFYs sent while no LISTEN is active are gone for good, so after every LISTEN (the first and each one after a
 * reconnect) each channel catches up from what it stored ({@link Channel#listened}). A connection that dies without
 * a word (no FIN, a hung backend) is noticed by a {@code SELECT 1} on it every {@code check}, which must answer
 * within {@code check}; a lost connection is replaced with backoff (200 ms, doubling to 5 s; reset once a LISTEN
 * takes), for as long as the application runs.
 */
public final class NotificationListener implements SmartLifecycle {

    /**
     * One LISTEN channel and what its notifications stand for.
     *
     * @param <T> what the channel delivers
     */
    public interface Channel<T> {

        /** The channel name, a plain lower-case identifier (it is written into LISTEN as is). */
        String channel();

        /** What one notification's payload stands for; null for nothing. Must not block. */
        T read(String payload);

        /**
         * What to deliver after a LISTEN took: what NOTIFYs may have carried while nobody listened here.
         * {@code again} is false for the first LISTEN of this instance. An error fails the connection, and the
         * next LISTEN tries again.
         */
        Flux<T> listened(boolean again);

        /** Hands one item on. Called for one item at a time, across all channels; must not block. */
        void deliver(T item);
    }

    /** One item for a channel; no channel: the marker that a LISTEN took. */
    private record Delivery<T>(Channel<T> channel, T item) {

        static final Delivery<Void> LISTENED = new Delivery<>(null, null);

        void run() {
            if (channel != null) {
                channel.deliver(item);
            }
        }
    }

    private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);

    private final ConnectionFactoryOptions options;
    private final Duration check;
    private final ObjectProvider<Channel<?>> channelBeans;
    private volatile Disposable listening;
    private volatile boolean running;

    /**
     * @param url             the application's R2DBC URL (a pool prefix is dropped: this connection is its own)
     * @param applicationName how the connection shows in pg_stat_activity
     * @param check           how often the connection must answer SELECT 1, and within how long
     * @param channels        the channels, looked up when the listener starts
     */
    public NotificationListener(String url, String username, String password, String applicationName, Duration check,
            ObjectProvider<Channel<?>> channels) {
        this.options = options(url, username, password, applicationName);
        this.check = check;
        this.channelBeans = channels;
    }

    private static ConnectionFactoryOptions options(String url, String username, String password, String applicationName) {
        ConnectionFactoryOptions parsed = ConnectionFactoryOptions.parse(url.replaceFirst("^r2dbc:pool:", "r2dbc:"));
        ConnectionFactoryOptions.Builder options = parsed.mutate();
        if (parsed.getValue(ConnectionFactoryOptions.USER) == null && username != null && !username.isBlank()) {
            options.option(ConnectionFactoryOptions.USER, username);
        }
        if (parsed.getValue(ConnectionFactoryOptions.PASSWORD) == null && password != null && !password.isEmpty()) {
            options.option(ConnectionFactoryOptions.PASSWORD, password);
        }
        options.option(PostgresqlConnectionFactoryProvider.TCP_KEEPALIVE, true);
        options.option(PostgresqlConnectionFactoryProvider.APPLICATION_NAME, applicationName);
        return options.build();
    }

    @Override
    public void start() {
        Map<String, Channel<?>> channels = new LinkedHashMap<>();
        for (Channel<?> channel : channelBeans.orderedStream().toList()) {
            if (!CHANNEL_NAME.matcher(channel.channel()).matches()) {
                throw new IllegalStateException("not a plain channel name: " + channel.channel());
            }
            if (channels.put(channel.channel(), channel) != null) {
                throw new IllegalStateException("two listeners for channel " + channel.channel());
            }
        }
        PostgresqlConnectionFactory factory = new PostgresqlConnectionFactoryProvider().create(options);
        AtomicBoolean listenedBefore = new AtomicBoolean();
        running = true;
        listening = Flux.usingWhen(factory.create(),
                        connection -> listen(connection, List.copyOf(channels.values()), listenedBefore),
                        connection -> connection.close().timeout(Duration.ofSeconds(5)).onErrorComplete())
                // the LISTENED marker resets the backoff: every outage starts again at 200 ms
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5))
                        .transientErrors(true)
                        .filter(e -> running)
                        .doBeforeRetry(signal -> log.warn("The LISTEN connection was lost ({}); reconnecting",
                                signal.failure().toString())))
                .subscribe(Delivery::run, e -> log.error("The LISTEN connection stopped for good", e));
    }

    /**
     * Follows one connection: its notifications (subscribed before LISTEN, so none is dropped in between), then
     * each channel's catch-up, and a health check that fails the whole flux when the connection stops answering.
     * Flux.merge hands the deliveries on one at a time.
     */
    private Flux<Delivery<?>> listen(PostgresqlConnection connection, List<Channel<?>> channels, AtomicBoolean listenedBefore) {
        Map<String, Channel<?>> byName = new LinkedHashMap<>();
        channels.forEach(channel -> byName.put(channel.channel(), channel));
        Flux<Delivery<?>> notifications = connection.getNotifications()
                .concatMap(notification -> Mono.<Delivery<?>>justOrEmpty(read(byName.get(notification.getName()), notification.getParameter())))
                // a connection that closes ends the notifications without an error: reconnect all the same
                .concatWith(Mono.error(() -> new IllegalStateException("the LISTEN connection closed")));
        Flux<Delivery<?>> health = Flux.interval(check, check)
                .onBackpressureDrop()
                .concatMap(tick -> connection.createStatement("SELECT 1").execute()
                        .flatMap(result -> result.map((row, meta) -> 1))
                        .then()
                        .timeout(check, Mono.error(() -> new TimeoutException(
                                "the LISTEN connection did not answer SELECT 1 within " + check))), 0)
                .thenMany(Flux.<Delivery<?>>empty());
        Flux<Delivery<?>> listened = Flux.fromIterable(channels)
                .concatMap(channel -> connection.createStatement("LISTEN " + channel.channel()).execute()
                        .flatMap(PostgresqlResult::getRowsUpdated))
                // a catch-up that fails fails the connection too: the next LISTEN tries it again
                .thenMany(Flux.defer(() -> {
                    boolean again = listenedBefore.getAndSet(true);
                    return Flux.concat(Mono.just(Delivery.LISTENED),
                            Flux.merge(Flux.fromIterable(channels).concatMap(channel -> catchUp(channel, again)), health));
                }));
        return Flux.merge(notifications, listened);
    }

    private static <T> Flux<Delivery<?>> catchUp(Channel<T> channel, boolean again) {
        return channel.listened(again).map(item -> (Delivery<?>) new Delivery<>(channel, item));
    }

    private static <T> Delivery<?> read(Channel<T> channel, String payload) {
        if (channel == null) {
            return null;
        }
        T item = channel.read(payload);
        return item == null ? null : new Delivery<>(channel, item);
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
