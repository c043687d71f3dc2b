package io.oneuihub.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.oneuihub.dev.litellm.Fault;
import io.oneuihub.dev.litellm.Rejection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every budget mutation of every scope meets every way LiteLLM fails: 5xx with a JSON body, a plain-text 500,
 * malformed JSON, a connection reset, no answer in time, and refusals in LiteLLM's error shapes (400
 * ProxyException, 403 detail, 403 problem document, 422 validation list, 404). Each time the payload carries
 * the matching userError (inside the HTTP 200 of the GraphQL request) and the hub's tables stay byte-for-byte
 * as they were. A create that got no readable answer is looked up by its own id; a local write that fails after
 * LiteLLM accepted is left to the next sync, which then stores it.
 */
class BudgetMutationFaultTest extends SyncTestSupport {

    private static final String TEAM = "9c4e2a1f-6b8d-4f0e-a3c5-7d9b1e2f4a60";

    record Failure(String name, Fault fault, Rejection rejection, String code) {

        boolean ambiguous() {
            return fault != null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final Failure TIMEOUT = new Failure("no answer in time", Fault.latency(Duration.ofMillis(2500)), null,
            "UPSTREAM_UNAVAILABLE");

    private static final List<Failure> FAILURES = List.of(
            new Failure("5xx JSON", Fault.serverErrorJson(), null, "UPSTREAM_UNAVAILABLE"),
            new Failure("text/plain 500", Fault.plainText500(), null, "UPSTREAM_UNAVAILABLE"),
            new Failure("malformed JSON", Fault.malformedJson(), null, "UPSTREAM_UNAVAILABLE"),
            new Failure("connection reset", Fault.connectionClosed(), null, "UPSTREAM_UNAVAILABLE"),
            new Failure("400 ProxyException", null, Rejection.proxyError(400, "Authentication Error, Not connected to DB!"), "UPSTREAM_REJECTED"),
            new Failure("403 detail", null, Rejection.detail(403, "Admin-only endpoint. Not allowed to access this."), "UPSTREAM_REJECTED"),
            new Failure("403 problem", null, Rejection.problem(403, "Only proxy admins can do this."), "UPSTREAM_REJECTED"),
            new Failure("422 validation", null, Rejection.validation("max_budget", "Input should be a valid number"), "UPSTREAM_REJECTED"),
            new Failure("404 detail", null, Rejection.detail(404, "Entity not found in db"), "NOT_FOUND"));

    /**
     * A mutation, the LiteLLM route its write goes to, for a create the route of its look-up by its own id (reads of
     * it before the write are served), and whether it also meets the timeout (each costs the client's response
     * timeout; the code path is shared).
     */
    enum Case {
        CREATE_SHARED("createBudget", true, "/budget/new", "/budget/info", 0),
        CREATE_CUSTOMER("createBudget", false, "/customer/new", "/customer/info", 1),
        CREATE_USER("createBudget", false, "/user/update"),
        CREATE_TEAM("createBudget", false, "/team/update"),
        UPDATE_SHARED("updateBudget", false, "/budget/update"),
        UPDATE_CUSTOMER("updateBudget", true, "/budget/update"),
        UPDATE_USER("updateBudget", false, "/user/update"),
        UPDATE_TEAM("updateBudget", false, "/team/update"),
        DELETE_SHARED("deleteBudget", true, "/budget/delete"),
        DELETE_CUSTOMER("deleteBudget", false, "/customer/delete"),
        DELETE_USER("deleteBudget", false, "/user/update"),
        DELETE_TEAM("deleteBudget", false, "/team/update");

        final String mutation;
        final boolean timeout;
        final String write;
        final String lookup;
        final int readsBefore;

        Case(String mutation, boolean timeout, String write, String lookup, int readsBefore) {
            this.mutation = mutation;
            this.timeout = timeout;
            this.write = write;
            this.lookup = lookup;
            this.readsBefore = readsBefore;
        }

        Case(String mutation, boolean timeout, String write) {
            this(mutation, timeout, write, null, 0);
        }
    }

    @BeforeEach
    void upstreamAndFirstSync() {
        sim.seedRealisticCatalog();
        sim.putTeam("7f1c9a2e-0d4b-4c3a-8e6f-5b2a1c0d9e8f", "ops", null, java.math.BigDecimal.ONE, null);
        syncBudgets();
    }

    private Map<String, Object> input(Case c) {
        return switch (c) {
            case CREATE_SHARED -> Map.of("scope", "SHARED", "externalId", "team-tier", "maxBudget", 50, "duration", "30d");
            case CREATE_CUSTOMER -> Map.of("scope", "CUSTOMER", "externalId", "initech-42", "maxBudget", 15);
            case CREATE_USER -> Map.of("scope", "USER", "externalId", "omar@acme.example", "maxBudget", 12);
            case CREATE_TEAM -> Map.of("scope", "TEAM", "externalId", "7f1c9a2e-0d4b-4c3a-8e6f-5b2a1c0d9e8f", "maxBudget", 250);
            case UPDATE_SHARED -> Map.of("id", hubId("SHARED", "pro_tier"), "maxBudget", 150);
            case UPDATE_CUSTOMER -> Map.of("id", hubId("CUSTOMER", "globex-ops"), "maxBudget", 6000);
            case UPDATE_USER -> Map.of("id", hubId("USER", "jane@acme.example"), "maxBudget", 25);
            case UPDATE_TEAM -> Map.of("id", hubId("TEAM", TEAM), "tpmLimit", 1);
            case DELETE_SHARED -> Map.of("id", hubId("SHARED", "pro_tier"), "force", true);
            case DELETE_CUSTOMER -> Map.of("id", hubId("CUSTOMER", "globex-ops"));
            case DELETE_USER -> Map.of("id", hubId("USER", "jane@acme.example"));
            case DELETE_TEAM -> Map.of("id", hubId("TEAM", TEAM));
        };
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void everyFailureLeavesTheHubUnchangedAndSaysWhy(Case c) {
        Map<String, String> before = checksums();
        Map<String, Object> input = input(c);
        List<Failure> failures = new ArrayList<>(FAILURES);
        if (c.mutation.equals("deleteBudget")) {
            // LiteLLM has no such entry: the delete's outcome (deleting what LiteLLM no longer has succeeds)
            failures.removeIf(f -> f.code().equals("NOT_FOUND"));
        }
        if (c.timeout) {
            failures.add(TIMEOUT);
        }
        List<String> outcomes = new ArrayList<>();
        for (Failure failure : failures) {
            sim.reset().seedRealisticCatalog();
            sim.putTeam("7f1c9a2e-0d4b-4c3a-8e6f-5b2a1c0d9e8f", "ops", null, java.math.BigDecimal.ONE, null);
            sim.clearFaults();
            if (failure.fault() != null) {
                sim.inject(failure.fault(), c.write);
                if (c.lookup != null) {
                    sim.failAfter(c.readsBefore, failure.fault(), c.lookup); // the look-up fails too
                }
            } else {
                sim.reject(failure.rejection(), c.write);
            }
            Map<String, Object> payload = payload(c.mutation, input);
            outcomes.add(failure + " -> " + payload.get("userErrors"));
            assertThat(payload.get(c.mutation.equals("deleteBudget") ? "deletedId" : "budget")).as("%s: %s", failure, payload).isNull();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> errors = (List<Map<String, Object>>) payload.get("userErrors");
            assertThat(errors).as("%s", failure).singleElement().satisfies(e -> {
                assertThat(e.get("code")).as("%s: %s", failure, e).isEqualTo(failure.code());
                String message = (String) e.get("message");
                if (failure.ambiguous()) {
                    assertThat(message).as("%s", failure).contains("next budgets sync");
                } else if (failure.code().equals("UPSTREAM_REJECTED")) {
                    assertThat(message).as("LiteLLM's own words").startsWith("LiteLLM refused the change: ")
                            .contains(messageOf(failure.rejection()));
                }
                assertThat(message).doesNotContain(KEY);
            });
            assertThat(checksums()).as("after %s", failure).isEqualTo(before);
        }
        sim.clearFaults();
        assertThat(outcomes).hasSize(failures.size());
    }

    @Test
    void aCreateWithoutAReadableAnswerIsLookedUpByItsOwnId() {
        for (Fault fault : List.of(Fault.malformedJson(), Fault.truncatedJson(), Fault.latency(Duration.ofMillis(2500)))) {
            sim.clearFaults();
            sim.inject(fault, "/budget/new");
            String id = "tier-" + fault.kind().name().toLowerCase();
            Map<String, Object> payload = payload("createBudget", Map.of("scope", "SHARED", "externalId", id, "maxBudget", 7));
            assertThat((List<?>) payload.get("userErrors")).as("%s", fault).isEmpty();
            assertThat(((Map<?, ?>) payload.get("budget")).get("externalId")).isEqualTo(id);

            sim.inject(fault, "/customer/new");
            payload = payload("createBudget", Map.of("scope", "CUSTOMER", "externalId", "c-" + id, "maxBudget", 3));
            assertThat((List<?>) payload.get("userErrors")).as("%s", fault).isEmpty();
        }
        sim.clearFaults();
        SyncRun run = syncBudgets();
        assertThat(run.counts().created() + run.counts().updated() + run.counts().stale()).as("%s", run.changes()).isZero();
    }

    /**
     * Every call answered just inside the client's response timeout, but the mutation needs several: the upstream
     * deadline (60 % of the request timeout) ends it as UPSTREAM_UNAVAILABLE in the payload, not as an HTTP 503.
     */
    @Test
    void aSlowLiteLlmEndsInsideTheRequestTimeoutWithAPayload() {
        Map<String, String> before = checksums();
        String pro = hubId("SHARED", "pro_tier");
        sim.inject(Fault.latency(Duration.ofMillis(1500)));
        long started = System.nanoTime();
        try {
            // reads the customer, relinks it, reads it back and reads the tier: four calls of 1.5 s
            Map<String, Object> payload = payload("updateBudget", Map.of("id", hubId("CUSTOMER", "acme-user-8812"), "sharedBudgetId", pro));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(payload.get("budget")).isNull();
            assertThat(payload.get("userErrors")).asString().contains("UPSTREAM_UNAVAILABLE").contains("no answer within 6000 ms")
                    .contains("next budgets sync");
            assertThat(took).isLessThan(Duration.ofSeconds(10));
        } finally {
            sim.clearFaults();
        }
        assertThat(checksums()).isEqualTo(before);
    }

    @Test
    void aLocalWriteThatFailsAfterLiteLlmAcceptedIsLeftToTheNextSync() {
        db.sql("""
                CREATE OR REPLACE FUNCTION test_refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'disk full (simulated)'; END $$""").then().block();
        db.sql("""
                CREATE TRIGGER test_refuse_doomed BEFORE INSERT OR UPDATE ON budget FOR EACH ROW
                WHEN (NEW.external_id = 'doomed') EXECUTE FUNCTION test_refuse_doomed()""").then().block();
        try {
            Map<String, String> before = checksums();
            Map<String, Object> payload = payload("createBudget", Map.of("scope", "SHARED", "externalId", "doomed", "maxBudget", 5));
            assertThat(payload.get("budget")).isNull();
            assertThat(payload.get("userErrors")).asString().contains("LiteLLM accepted the change").contains("next budgets sync")
                    .contains("LOCAL_WRITE_FAILED");
            assertThat(sim.budget("doomed")).isNotNull();
            assertThat(checksums()).isEqualTo(before);
        } finally {
            db.sql("DROP TRIGGER test_refuse_doomed ON budget").then().block();
            db.sql("DROP FUNCTION test_refuse_doomed()").then().block();
        }
        SyncRun run = syncBudgets();
        assertThat(run.counts().created()).isOne();
        assertThat(hubId("SHARED", "doomed")).isNotNull();
    }

    @Test
    void theMasterKeyIsInNoResponseAndNoLogLine() {
        Logger root = (Logger) LoggerFactory.getLogger("io.oneuihub");
        Level level = root.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.DEBUG);
        try {
            // a LiteLLM that quotes the key back (as its 401 bodies quote a key's tail)
            sim.reject(Rejection.detail(400, "Invalid key " + KEY + " for this route"), "/budget/new");
            Map<String, Object> payload = payload("createBudget", Map.of("scope", "SHARED", "externalId", "k", "maxBudget", 1));
            assertThat(payload.get("userErrors")).asString().contains("UPSTREAM_REJECTED").doesNotContain(KEY);
            sim.inject(Fault.serverErrorJson(), "/budget/update");
            payload = payload("updateBudget", Map.of("id", hubId("SHARED", "pro_tier"), "maxBudget", 2));
            assertThat(payload.toString()).doesNotContain(KEY);
            assertThat(one("SELECT string_agg(t::text, '') FROM budget t")).doesNotContain(KEY);
        } finally {
            root.detachAppender(logs);
            root.setLevel(level);
            sim.clearFaults();
        }
        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(line -> line.contains(KEY));
    }

    // ------------------------------------------------------------------ helpers

    private static String messageOf(Rejection r) {
        Map<String, Object> body = r.body();
        if (body.get("error") instanceof Map<?, ?> error) {
            return String.valueOf(error.get("message"));
        }
        if (body.get("detail") instanceof List<?> items) {
            return String.valueOf(((Map<?, ?>) items.get(0)).get("msg"));
        }
        if (body.get("detail") instanceof Map<?, ?> detail) {
            return String.valueOf(detail.get("error"));
        }
        return String.valueOf(body.get("detail"));
    }

    private String hubId(String scope, String externalId) {
        return db.sql("SELECT id::text FROM budget WHERE scope = :scope AND external_id = :ext AND deleted_at IS NULL")
                .bind("scope", scope).bind("ext", externalId).map(r -> r.get(0, String.class)).one().block();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> payload(String mutation, Map<String, Object> input) {
        return admin().documentName(mutation).variable("input", new HashMap<>(input)).execute()
                .errors().verify()
                .path(mutation).entity(Map.class).get();
    }
}
