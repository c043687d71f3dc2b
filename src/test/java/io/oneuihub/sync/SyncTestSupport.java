package io.oneuihub.sync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.OneUiHubApplication;
import io.oneuihub.IntegrationTest;
import io.oneuihub.dev.LocalIssuer;
import io.oneuihub.dev.litellm.LiteLlmSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One LiteLLM simulator for every sync test class (so they share one Spring context), test-sized LiteLLM
 * timeouts, and helpers: start a sync over GraphQL, wait for its end, checksum the catalog, follow progress
 * over graphql-ws.
 */
@IntegrationTest
abstract class SyncTestSupport extends GraphQlTestSupport {

    /** Generated per JVM; never a literal in the sources. */
    static final String KEY = "sk-test-" + UUID.randomUUID().toString().replace("-", "");
    static final LiteLlmSimulator sim = LiteLlmSimulator.start(0, KEY);
    static final Duration DEADLINE = Duration.ofSeconds(60);

    @Autowired
    SyncRunRepository runs;

    @Autowired
    SyncProperties syncProperties;

    @Autowired
    Environment environment;

    @DynamicPropertySource
    static void litellm(DynamicPropertyRegistry registry) {
        registry.add("hub.litellm.base-url", sim::baseUrl);
        registry.add("hub.litellm.master-key", () -> KEY);
        registry.add("hub.litellm.connect-timeout", () -> "500ms");
        registry.add("hub.litellm.response-timeout", () -> "2s");
        registry.add("hub.litellm.max-retries", () -> "1");
        registry.add("hub.litellm.retry-backoff", () -> "20ms");
        registry.add("hub.litellm.page-size", () -> "500");
        // a hung LISTEN connection is replaced within seconds, not the default ten
        registry.add("hub.sync.listener-check", () -> "2s");
    }

    @BeforeEach
    void freshUpstreamAndDatabase() {
        sim.clearFaults();
        sim.resumeListening();
        sim.reset();
        awaitNothingRunning();
        clearDatabase();
    }

    void awaitNothingRunning() {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (db.sql("SELECT count(*) AS n FROM sync_run WHERE status = 'RUNNING'").map(r -> r.get("n", Long.class)).one().block() > 0) {
            assertThat(System.nanoTime()).as("a sync is still running").isLessThan(deadline);
            sleep(50);
        }
    }

    String startModels(boolean dryRun) {
        return admin().documentName("syncModels").variable("dryRun", dryRun).execute()
                .path("syncModels.userErrors").entityList(Object.class).hasSize(0)
                .path("syncModels.run.status").entity(String.class).isEqualTo("RUNNING")
                .path("syncModels.run.id").entity(String.class).get();
    }

    String startBudgets(boolean dryRun) {
        return admin().documentName("syncBudgets").variable("dryRun", dryRun).execute()
                .path("syncBudgets.userErrors").entityList(Object.class).hasSize(0)
                .path("syncBudgets.run.id").entity(String.class).get();
    }

    /** Polls until the run is no longer RUNNING (bounded). */
    SyncRun await(String id) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            SyncRun run = runs.findById(UUID.fromString(id)).block();
            if (run != null && run.status() != SyncStatus.RUNNING) {
                return run;
            }
            assertThat(System.nanoTime()).as("run %s still running", id).isLessThan(deadline);
            sleep(50);
        }
    }

    SyncRun syncModels() {
        SyncRun run = await(startModels(false));
        assertThat(run.status()).as("run error: %s", run.error()).isEqualTo(SyncStatus.SUCCEEDED);
        return run;
    }

    SyncRun syncBudgets() {
        SyncRun run = await(startBudgets(false));
        assertThat(run.status()).as("run error: %s", run.error()).isEqualTo(SyncStatus.SUCCEEDED);
        return run;
    }

    /** The run as GraphQL shows it. */
    @SuppressWarnings("unchecked")
    Map<String, Object> view(String id) {
        return admin().documentName("syncRun").variable("id", id).execute()
                .path("syncRun").entity(Map.class).get();
    }

    /** Content checksum of every catalog and budget table: equal iff byte-for-byte the same rows. */
    Map<String, String> checksums() {
        return tableChecksums();
    }

    /** Row versions: a row rewritten by UPDATE (even to the same values) gets a new xmin. */
    Map<String, String> rowVersions() {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String table : List.of("company", "model", "deployment", "budget")) {
            sums.put(table, one("SELECT coalesce(md5(string_agg(id::text || ':' || xmin::text, ',' ORDER BY id)), 'empty') AS s FROM " + table));
        }
        return sums;
    }

    String one(String sql) {
        return db.sql(sql).map(r -> String.valueOf(r.get(0))).one().block();
    }

    long count(String sql) {
        return db.sql(sql).map(r -> ((Number) r.get(0)).longValue()).one().block();
    }

    /** Test clients run on event loops of their own, apart from the server under test. */
    static final reactor.netty.resources.LoopResources CLIENT_LOOPS =
            reactor.netty.resources.LoopResources.create("ws-test-client", 1, true);

    WebSocketGraphQlClient ws(int port) {
        return WebSocketGraphQlClient.builder(URI.create("ws://127.0.0.1:" + port + "/graphql"),
                        new ReactorNettyWebSocketClient(reactor.netty.http.client.HttpClient.create().runOn(CLIENT_LOOPS)))
                .interceptor(new WebSocketGraphQlClientInterceptor() {
                    @Override
                    public Mono<Object> connectionInitPayload() {
                        return Mono.just(Map.of("Authorization", "Bearer " + LocalIssuer.adminToken()));
                    }
                })
                .build();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    Flux<Map<String, Object>> progress(WebSocketGraphQlClient client, String runId) {
        return (Flux) client.document(document("syncProgress")).variable("runId", runId)
                .retrieveSubscription("syncProgress").toEntity(Map.class);
    }

    /** Follows a run on a client (a graphql-ws connection) of its own, closed when the subscription ends. */
    Flux<Map<String, Object>> progress(String runId) {
        return Flux.defer(() -> {
            WebSocketGraphQlClient client = ws(port);
            return progress(client, runId).doFinally(signal -> client.stop().subscribe());
        });
    }

    /** Every event of a kind on a client of its own, closed when the subscription ends. */
    Flux<Map<String, Object>> events(String kind) {
        return Flux.defer(() -> {
            WebSocketGraphQlClient client = ws(port);
            return events(client, kind).doFinally(signal -> client.stop().subscribe());
        });
    }

    /** A subscription recorded in the background, to look at while the test goes on. */
    static final class Recording implements AutoCloseable {

        final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
        private final Disposable subscription;
        private volatile Throwable error;
        private volatile boolean completed;

        Recording(Flux<Map<String, Object>> source) {
            subscription = source.subscribe(events::add, e -> error = e, () -> completed = true);
        }

        /** The first event (of the run, when runId is not null) that matches, waiting up to timeout for it. */
        Map<String, Object> await(String runId, Predicate<Map<String, Object>> matches, Duration timeout, String what) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (Map<String, Object> event : events) {
                    if ((runId == null || runId.equals(event.get("runId"))) && matches.test(event)) {
                        return event;
                    }
                }
                assertThat(error).as("subscription failed while waiting for %s", what).isNull();
                assertThat(System.nanoTime()).as("waiting for %s; got %s (completed: %s)", what, events, completed)
                        .isLessThan(deadline);
                sleep(20);
            }
        }

        Map<String, Object> awaitPhase(String runId, String phase, Duration timeout) {
            return await(runId, e -> phase.equals(e.get("phase")), timeout, phase + " of run " + runId);
        }

        List<Map<String, Object>> of(String runId) {
            return events.stream().filter(e -> runId.equals(e.get("runId"))).toList();
        }

        boolean completed() {
            return completed;
        }

        @Override
        public void close() {
            subscription.dispose();
        }
    }

    /** Inserts a run that finished just now, as a marker a new syncEvents subscriber gets first. */
    String finishedRunJustNow(String kind) {
        return one("INSERT INTO sync_run (kind, status, trigger, started_at, finished_at) VALUES ('" + kind
                + "', 'SUCCEEDED', 'marker', now(), now()) RETURNING id::text");
    }

    // ------------------------------------------------------------------ more instances on the same database

    /**
     * Starts another instance of the application on this test's database and simulator, named {@code instanceId};
     * {@code more} are further command-line arguments. Command-line arguments outrank application.yml (builder
     * properties would not). The instance has Reactor Netty resources of its own: with the shared global ones,
     * closing it would also stop every other server of this JVM (the simulator's, the test context's).
     */
    ConfigurableApplicationContext startInstance(String instanceId, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.r2dbc.url=" + environment.getProperty("spring.r2dbc.url"),
                "--spring.r2dbc.username=" + environment.getProperty("spring.r2dbc.username"),
                "--spring.r2dbc.password=" + environment.getProperty("spring.r2dbc.password"),
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + LocalIssuer.issuerUri(),
                "--hub.litellm.base-url=" + sim.baseUrl(),
                "--hub.litellm.master-key=" + KEY,
                "--hub.litellm.response-timeout=2s",
                "--hub.sync.instance-id=" + instanceId));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(OneUiHubApplication.class, OwnNettyResources.class).run(args.toArray(String[]::new));
    }

    /**
     * A source of the other instance only (no {@code @Configuration}: on a nested class of a test, that would
     * replace the test context's own configuration).
     */
    static class OwnNettyResources {

        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            ReactorResourceFactory resources = new ReactorResourceFactory();
            resources.setUseGlobalResources(false);
            return resources;
        }
    }

    static int portOf(ConfigurableApplicationContext instance) {
        return Integer.parseInt(instance.getEnvironment().getProperty("local.server.port"));
    }

    /** The second instance (B) of a test class, started on first use; closed after the class. */
    private static ConfigurableApplicationContext second;

    /** The port of a second instance on the same database as the test context, started on first use. */
    int secondInstancePort(String instanceId) {
        if (second == null) {
            second = startInstance(instanceId);
        }
        return portOf(second);
    }

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) {
            second.close();
            second = null;
        }
    }

    /** An admin's GraphQL client for the instance on this port. */
    static HttpGraphQlTester adminOn(int port) {
        return HttpGraphQlTester.create(WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port + "/graphql")
                        .responseTimeout(Duration.ofSeconds(60)).build())
                .mutate().header("Authorization", "Bearer " + LocalIssuer.adminToken()).build();
    }

    // ------------------------------------------------------------------ the database behind the application

    /** A plain JDBC connection of the test's own to the application's database (for locks held across calls). */
    Connection jdbc() {
        try {
            return DriverManager.getConnection("jdbc:" + environment.getProperty("spring.r2dbc.url").replaceFirst("^r2dbc:", ""),
                    environment.getProperty("spring.r2dbc.username"), environment.getProperty("spring.r2dbc.password"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void execute(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The backends of this instance's LISTEN connections, found by the application name it sets. */
    List<Integer> listenerPids() {
        return db.sql("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = :name")
                .bind("name", SyncEventBus.applicationName(syncProperties.instanceId()))
                .map(row -> row.get("pid", Integer.class)).all().collectList().block();
    }

    /** The backend of this instance's one LISTEN connection (waiting for it, after a reconnect). */
    int listenerPid() {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            List<Integer> pids = listenerPids();
            assertThat(pids).as("listener backends").hasSizeLessThanOrEqualTo(1);
            if (pids.size() == 1) {
                return pids.get(0);
            }
            assertThat(System.nanoTime()).as("a listener backend").isLessThan(deadline);
            sleep(20);
        }
    }

    /**
     * Waits until the instance LISTENs on a backend other than the given one (which may linger, frozen), and
     * answers it.
     */
    int awaitListenerOtherThan(int pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Integer> others = listenerPids().stream().filter(p -> p != pid).toList();
            if (!others.isEmpty()) {
                return others.get(0);
            }
            assertThat(System.nanoTime()).as("a new listener backend (the old one was %s)", pid).isLessThan(deadline);
            sleep(20);
        }
    }

    /** Waits until a backend of this database whose query starts with the prefix waits on a lock of one of the types. */
    void awaitWaiting(String queryPrefix, String... waitEvents) {
        String events = String.join("', '", waitEvents);
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                + " AND wait_event IN ('" + events + "') AND query LIKE '" + queryPrefix.replace("'", "''") + "%'") == 0) {
            assertThat(System.nanoTime()).as("a statement %s... waiting on a lock (%s)", queryPrefix, events).isLessThan(deadline);
            sleep(10);
        }
    }

    /** Waits until a statement that starts with the prefix waits for a row another transaction locked. */
    void awaitWaitingForRow(String queryPrefix) {
        awaitWaiting(queryPrefix, "transactionid", "tuple");
    }

    /** What the application logs under a logger (and its children), while open. */
    static final class Logs extends AppenderBase<ILoggingEvent> implements AutoCloseable {

        private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
        private final ch.qos.logback.classic.Logger logger;

        Logs(Class<?> type) {
            logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(type);
            start();
            logger.addAppender(this);
        }

        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }

        List<String> at(Level level) {
            return events.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
        }

        List<String> all() {
            return events.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
        }

        /** The events themselves, with their MDC. */
        List<ILoggingEvent> events() {
            return List.copyOf(events);
        }

        @Override
        public void close() {
            logger.detachAppender(this);
            stop();
        }
    }

    /** SIGSTOP: the backend stays connected but answers nothing, as one behind a dead network path would. */
    static void freeze(int pid) {
        signal("-STOP", pid);
    }

    static void thaw(int pid) {
        signal("-CONT", pid);
    }

    private static void signal(String signal, int pid) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Integer.toString(pid)).redirectErrorStream(true).start();
            assertThat(kill.waitFor()).as("kill %s %s", signal, pid).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Holds every commit that ends a run (status SUCCEEDED or FAILED) of this database at the commit itself, with
     * the sync_run row locked, until the gate opens: a deferred constraint trigger waits for an advisory lock the
     * gate holds on a connection of its own.
     */
    final class CommitGate implements AutoCloseable {

        private static final long KEY = 80_4242;
        private final Connection holder = jdbc();
        private boolean open;

        CommitGate() {
            execute(holder, "SELECT pg_advisory_lock(" + KEY + ")");
            db.sql("""
                    CREATE OR REPLACE FUNCTION test_commit_gate() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN PERFORM pg_advisory_xact_lock_shared(%d); RETURN NULL; END $$""".formatted(KEY)).then().block();
            db.sql("""
                    CREATE CONSTRAINT TRIGGER test_commit_gate AFTER UPDATE ON sync_run DEFERRABLE INITIALLY DEFERRED
                    FOR EACH ROW WHEN (NEW.status IN ('SUCCEEDED', 'FAILED') AND OLD.status = 'RUNNING')
                    EXECUTE FUNCTION test_commit_gate()""").then().block();
        }

        /** Waits until a run's end is held at its commit. */
        void awaitHeld() {
            awaitWaiting("", "advisory");
        }

        void open() {
            if (!open) {
                open = true;
                execute(holder, "SELECT pg_advisory_unlock(" + KEY + ")");
            }
        }

        @Override
        public void close() {
            open();
            try {
                holder.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            db.sql("DROP TRIGGER IF EXISTS test_commit_gate ON sync_run").then().block();
            db.sql("DROP FUNCTION IF EXISTS test_commit_gate()").then().block();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    Flux<Map<String, Object>> events(WebSocketGraphQlClient client, String kind) {
        return (Flux) client.document(document("syncEvents")).variable("kind", kind)
                .retrieveSubscription("syncEvents").toEntity(Map.class);
    }

    static String document(String name) {
        try {
            return new ClassPathResource("graphql-test/" + name + ".graphql").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
