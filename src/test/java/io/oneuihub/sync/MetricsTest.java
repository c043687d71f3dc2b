package io.oneuihub.sync;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.oneuihub.dev.litellm.Fault;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Prometheus scrapes from /actuator/prometheus, over HTTP and anonymously as Prometheus does, after the hub
 * served a catalog query, called LiteLLM, ran a sync and served subscriptions; and the execution id in the log
 * lines of a request. Shares the sync tests' context and simulator. Other test classes of this JVM feed the same
 * registry, so counts are compared before and after what this test does.
 */
class MetricsTest extends SyncTestSupport {

    private static final Duration GAUGE_WITHIN = Duration.ofSeconds(10);

    @Test
    void prometheusHasTheNamedSeriesAfterAQueryALiteLlmCallASyncAndASubscription() {
        sim.seedRealisticCatalog();
        Scrape before = scrape();

        // a run of a dead instance, found by the next start's sweep
        one("INSERT INTO sync_run (kind, status, trigger, instance_id, started_at, heartbeat_at) VALUES ('MODELS',"
                + " 'RUNNING', 'gone', 'gone-instance', now() - interval '2 hours', now() - interval '1 hour') RETURNING id::text");
        SyncRun run = syncModels();
        sim.inject(Fault.plainText500(), "/v2/model/info");
        sim.inject(Fault.plainText500(), "/model/info");
        assertThat(await(startModels(true)).status()).isEqualTo(SyncStatus.FAILED);
        sim.clearFaults();
        anonymous().documentName("modelsPage").variable("first", 5).execute()
                .path("models.edges").entityList(Object.class).hasSize(5);
        admin().document("{ litellmBudgets { id } }").execute().path("litellmBudgets").entityList(Object.class).get();
        sim.inject(Fault.plainText500(), "/budget/list");
        admin().document("{ litellmBudgets { id } }").execute().errors()
                .expect(e -> e.getErrorType().toString().equals("UPSTREAM_UNAVAILABLE")).verify();
        sim.clearFaults();
        Scrape after = scrape();

        SoftAssertions soft = new SoftAssertions();
        // spring-graphql's observations, through Boot's metrics handler
        soft.assertThat(after.value("graphql_request_seconds_count", "graphql_operation_type", "query", "graphql_outcome", "SUCCESS"))
                .as("graphql.request of queries").isGreaterThan(before.value("graphql_request_seconds_count",
                        "graphql_operation_type", "query", "graphql_outcome", "SUCCESS"));
        soft.assertThat(after.value("graphql_datafetcher_seconds_count", "graphql_field_name", "models"))
                .as("graphql.datafetcher of Query.models").isGreaterThan(before.value("graphql_datafetcher_seconds_count",
                        "graphql_field_name", "models"));
        soft.assertThat(after.series("graphql_datafetcher_seconds_count", "graphql_field_name", "name"))
                .as("trivial property fetchers (Model.name) are not observed").isEmpty();
        // requests observed as a whole; Spring Security's per-filter observations are off (their cost per request)
        soft.assertThat(after.series("http_server_requests_seconds_count", "uri", "/graphql")).as("http.server.requests").isNotEmpty();
        soft.assertThat(after.series("spring_security_filterchains_seconds_count")).as("no spring.security.filterchains").isEmpty();
        soft.assertThat(after.series("spring_security_authorizations_seconds_count")).as("no spring.security.authorizations").isEmpty();
        // LiteLLM calls: one sample per attempt; the failing read is retried once (max-retries 1 in these tests)
        soft.assertThat(after.delta(before, "hub_litellm_requests_seconds_count", "endpoint", "GET /budget/list", "outcome", "SUCCESS"))
                .as("GET /budget/list SUCCESS").isEqualTo(1.0);
        soft.assertThat(after.delta(before, "hub_litellm_requests_seconds_count", "endpoint", "GET /budget/list", "outcome", "UNAVAILABLE"))
                .as("GET /budget/list UNAVAILABLE, per attempt").isEqualTo(2.0);
        soft.assertThat(after.delta(before, "hub_litellm_requests_seconds_count", "endpoint", "GET /budget/list", "outcome", "CANCELLED"))
                .as("an answered attempt is not counted again when its consumer cancels").isZero();
        soft.assertThat(after.delta(before, "hub_litellm_requests_seconds_count", "endpoint", "GET /v2/model/info", "outcome", "SUCCESS"))
                .as("the sync's GET /v2/model/info").isGreaterThanOrEqualTo(1.0);
        soft.assertThat(after.series("hub_litellm_requests_seconds_count").keySet())
                .as("no id or query value in an endpoint tag").noneMatch(series -> series.contains("?") || series.contains("page="));
        // the sync run and its rows
        soft.assertThat(after.delta(before, "hub_sync_runs_seconds_count", "kind", "MODELS", "status", "SUCCEEDED", "dryRun", "false"))
                .as("hub.sync.runs of the run").isEqualTo(1.0);
        soft.assertThat(after.delta(before, "hub_sync_runs_seconds_sum", "kind", "MODELS", "status", "SUCCEEDED", "dryRun", "false"))
                .as("the run's duration").isPositive();
        soft.assertThat(after.delta(before, "hub_sync_runs_seconds_count", "kind", "MODELS", "status", "FAILED", "dryRun", "true"))
                .as("hub.sync.runs of the failed dry run").isEqualTo(1.0);
        soft.assertThat(after.delta(before, "hub_sync_runs_seconds_count", "kind", "MODELS", "status", "ABANDONED", "dryRun", "false"))
                .as("hub.sync.runs of the run the sweep abandoned").isEqualTo(1.0);
        soft.assertThat(after.delta(before, "hub_sync_runs_seconds_sum", "kind", "MODELS", "status", "ABANDONED", "dryRun", "false"))
                .as("an abandoned run lasted from its start until it was abandoned").isGreaterThan(7000.0);
        soft.assertThat(after.delta(before, "hub_sync_rows_total", "kind", "MODELS", "change", "created", "dryRun", "false"))
                .as("hub.sync.rows created").isEqualTo(run.counts().created());
        soft.assertThat(after.series("hub_sync_rows_total", "kind", "MODELS", "change", "stale", "dryRun", "false"))
                .as("every change kind has its series, zero or not").isNotEmpty();
        // the R2DBC pool (Boot's pool metrics, tagged with the connection factory's name)
        soft.assertThat(after.series("r2dbc_pool_max_allocated_connections")).as("r2dbc.pool.max.allocated").isNotEmpty();
        soft.assertThat(after.series("r2dbc_pool_acquired_connections")).as("r2dbc.pool.acquired").isNotEmpty();
        // every subscription field has its gauge from the start
        soft.assertThat(after.series("hub_subscriptions_active").keySet()).as("subscription gauges")
                .anyMatch(s -> s.contains("operation=\"syncProgress\"")).anyMatch(s -> s.contains("operation=\"budgetAlerts\""));
        soft.assertAll();
    }

    @Test
    void aSubscriptionCountsWhileItIsServedHoweverItEnds() {
        sim.seedRealisticCatalog();
        String finished = finishedRunJustNow("MODELS");
        WebSocketGraphQlClient client = ws(port);
        try {
            assertThat(scrape().value("hub_subscriptions_active", "operation", "syncEvents")).isZero();
            // the client completes it (graphql-ws "complete" on a socket that stays open)
            try (Recording events = new Recording(events(client, "MODELS"))) {
                events.await(finished, e -> true, DEADLINE, "the replayed event of run " + finished);
                assertThat(scrape().value("hub_subscriptions_active", "operation", "syncEvents")).isEqualTo(1.0);
            }
            awaitGauge("syncEvents", 0.0);

            // the socket closes under it
            Recording cut = new Recording(events(client, "MODELS"));
            cut.await(finished, e -> true, DEADLINE, "the replayed event of run " + finished);
            awaitGauge("syncEvents", 1.0);
            client.stop().block(Duration.ofSeconds(10));
            awaitGauge("syncEvents", 0.0);
            cut.close();
        } finally {
            client.stop().block(Duration.ofSeconds(10));
        }

        // and one the server completes: syncProgress of a run held at its commit, then let go
        try (CommitGate gate = new CommitGate()) {
            String runId = startModels(false);
            gate.awaitHeld();
            try (Recording progress = new Recording(progress(runId))) {
                progress.await(runId, e -> true, DEADLINE, "the first progress event of run " + runId);
                awaitGauge("syncProgress", 1.0);
                gate.open();
                progress.awaitPhase(runId, "COMPLETED", DEADLINE);
                awaitGauge("syncProgress", 0.0);
            }
        }
    }

    @Test
    void aMutationsLogLinesNameItsExecutionId() {
        sim.seedRealisticCatalog();
        try (Logs logs = new Logs(SyncEngine.class)) {
            String first = startModels(true);
            await(first);
            String second = startModels(true);
            await(second);

            String firstId = executionId(logs, "Sync run " + first + " (MODELS, dry run) started by");
            String secondId = executionId(logs, "Sync run " + second + " (MODELS, dry run) started by");
            assertThat(firstId).as("the executionId of the syncModels mutation that started run %s", first).isNotBlank();
            assertThat(secondId).as("another request, another id").isNotBlank().isNotEqualTo(firstId);
            // the run goes on after its mutation answered: its own lines belong to no request
            assertThat(line(logs, "Sync run " + first + " (MODELS) SUCCEEDED").getMDCPropertyMap()).doesNotContainKey("executionId");
        }
    }

    private static String executionId(Logs logs, String prefix) {
        return line(logs, prefix).getMDCPropertyMap().get("executionId");
    }

    private static ILoggingEvent line(Logs logs, String prefix) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            for (ILoggingEvent event : logs.events()) {
                if (event.getFormattedMessage().startsWith(prefix)) {
                    return event;
                }
            }
            assertThat(System.nanoTime()).as("a line starting %s among %s", prefix, logs.all()).isLessThan(deadline);
            sleep(20);
        }
    }

    private void awaitGauge(String operation, double expected) {
        long deadline = System.nanoTime() + GAUGE_WITHIN.toNanos();
        while (true) {
            double value = scrape().value("hub_subscriptions_active", "operation", operation);
            if (value == expected) {
                return;
            }
            assertThat(System.nanoTime()).as("hub_subscriptions_active{operation=%s} is %s, not %s", operation, value, expected)
                    .isLessThan(deadline);
            sleep(50);
        }
    }

    /** GET /actuator/prometheus without a token, as Prometheus scrapes it. */
    private Scrape scrape() {
        String text = http().get().uri("/actuator/prometheus").accept(MediaType.TEXT_PLAIN).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return Scrape.parse(text);
    }

    /** The samples of one scrape: series (name and labels, as written) to value. */
    record Scrape(Map<String, Double> samples) {

        private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})?\\s+(\\S+)$");

        static Scrape parse(String text) {
            Map<String, Double> samples = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                Matcher sample = SAMPLE.matcher(line.trim());
                if (!line.startsWith("#") && sample.matches()) {
                    samples.put(sample.group(1) + (sample.group(2) == null ? "" : sample.group(2)), Double.parseDouble(sample.group(3)));
                }
            }
            return new Scrape(samples);
        }

        /** Series of the metric that carry every given label (name, value, name, value...). */
        Map<String, Double> series(String name, String... labels) {
            Map<String, Double> found = new LinkedHashMap<>();
            samples.forEach((series, value) -> {
                if (!series.equals(name) && !series.startsWith(name + "{")) {
                    return;
                }
                for (int i = 0; i < labels.length; i += 2) {
                    if (!series.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                        return;
                    }
                }
                found.put(series, value);
            });
            return found;
        }

        /** The sum over the matching series; 0 when there is none yet. */
        double value(String name, String... labels) {
            return series(name, labels).values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double delta(Scrape before, String name, String... labels) {
            return value(name, labels) - before.value(name, labels);
        }
    }
}
