package io.oneuihub.sync;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.oneuihub.budget.BudgetAlertBus;
import io.oneuihub.dev.LocalIssuer;
import io.oneuihub.security.GraphQlWsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import reactor.core.Disposable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * budgetAlerts end to end: LiteLLM (the simulator) moves a budget's spend, a real budgets sync sees it, and real
 * graphql-ws subscribers with admin tokens, on this instance and on second instances on the same database, get one
 * alert per crossing. A subscriber connects (connection_ack), subscribes, and the test waits until the instance
 * counts it as a subscriber before it triggers a sync: graphql-ws has no acknowledgement of a subscribe, and only an
 * alert committed after that point is promised to it.
 */
class BudgetAlertTest extends SyncTestSupport {

    private static final DateTimeFormatter PRISMA = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    @Autowired
    BudgetAlertBus bus;

    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    /** What a subscriber sees of an alert; money as exact decimals. */
    record AlertView(String id, String kind, boolean overdue, BigDecimal spend, BigDecimal maxBudget, BigDecimal softBudget,
            String resetAt, String at, String runId, BudgetView budget) {
    }

    record BudgetView(String id, String scope, String externalId, BigDecimal spend, String status) {
    }

    @BeforeEach
    void noSubscriberLeft() {
        awaitSubscribers(bus, 0);
    }

    @AfterEach
    void stopInstances() {
        instances.forEach(ConfigurableApplicationContext::close);
        instances.clear();
        db.sql("DROP TRIGGER IF EXISTS test_fail_budget_run ON sync_run").then().block();
        db.sql("DROP FUNCTION IF EXISTS test_fail_budget_run()").then().block();
    }

    // ================================================================== crossings

    @Test
    void eachCrossingIsSentOnceWithTheExactFiguresTheSyncSaw() {
        customer("acme", "20.123456789012", "10.5", "1.25");
        try (Subscriber all = new Subscriber(port, bus)) {
            syncBudgets(); // first seen, below both limits: remembered, nothing to say
            spend("acme", "10.5");
            SyncRun soft = syncBudgets();
            syncBudgets(); // nothing new
            spend("acme", "20.123456789013");
            SyncRun exhausted = syncBudgets();
            syncBudgets();
            // LiteLLM's reset job: spend to 0, the next reset a period later
            spend("acme", "0");
            OffsetDateTime next = OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).withNano(0);
            resetAt("acme", next);
            SyncRun reset = syncBudgets();
            spend("acme", "12.000000000001");
            SyncRun softAgain = syncBudgets();
            syncBudgets();

            List<AlertView> alerts = all.await(4);
            assertThat(alerts).extracting(AlertView::kind, AlertView::overdue, AlertView::spend, AlertView::runId).containsExactly(
                    tuple("SOFT_LIMIT_REACHED", false, new BigDecimal("10.5"), soft.id().toString()),
                    tuple("EXHAUSTED", false, new BigDecimal("20.123456789013"), exhausted.id().toString()),
                    tuple("RESET", false, new BigDecimal("0"), reset.id().toString()),
                    tuple("SOFT_LIMIT_REACHED", false, new BigDecimal("12.000000000001"), softAgain.id().toString()));
            assertThat(alerts).extracting(AlertView::maxBudget).containsOnly(new BigDecimal("20.123456789012"));
            assertThat(alerts).extracting(AlertView::softBudget).containsOnly(new BigDecimal("10.5"));
            String budgetId = one("SELECT id::text FROM budget WHERE scope = 'CUSTOMER' AND external_id = 'acme'");
            assertThat(alerts).extracting(a -> a.budget().id(), a -> a.budget().scope(), a -> a.budget().externalId())
                    .containsOnly(tuple(budgetId, "CUSTOMER", "acme"));
            assertThat(OffsetDateTime.parse(alerts.get(2).resetAt()).toInstant()).isEqualTo(next.toInstant());
            assertThat(alerts).extracting(AlertView::id).doesNotHaveDuplicates();
            // what the subscriber got is what is stored, and nothing else is
            assertThat(count("SELECT count(*) FROM budget_alert")).isEqualTo(4);
            for (AlertView alert : alerts) {
                Map<String, Object> stored = db.sql("SELECT * FROM budget_alert WHERE id = :id").bind("id", UUID.fromString(alert.id()))
                        .fetch().one().block();
                assertThat(stored.get("run_id")).hasToString(alert.runId());
                assertThat(stored.get("kind")).isEqualTo(alert.kind());
                assertThat((BigDecimal) stored.get("spend")).isEqualByComparingTo(alert.spend());
                assertThat(((OffsetDateTime) stored.get("at")).toInstant()).isEqualTo(OffsetDateTime.parse(alert.at()).toInstant());
            }
        }
    }

    @Test
    void aBudgetFirstSeenPastItsLimitsAlertsOnceForEachAndKindsFilter() {
        customer("over", "50", "40", "75.5");
        customer("calm", "50", "40", "1");
        try (Subscriber all = new Subscriber(port, bus);
             Subscriber exhaustedOnly = new Subscriber(port, bus, "EXHAUSTED");
             Subscriber resetsAndSoft = new Subscriber(port, bus, "RESET", "SOFT_LIMIT_REACHED")) {
            SyncRun first = syncBudgets();
            syncBudgets();
            spend("over", "0");
            SyncRun reset = syncBudgets();
            spend("over", "50");
            SyncRun back = syncBudgets();

            assertThat(all.await(5)).extracting(AlertView::kind, AlertView::runId, a -> a.budget().externalId()).containsExactly(
                    tuple("SOFT_LIMIT_REACHED", first.id().toString(), "over"),
                    tuple("EXHAUSTED", first.id().toString(), "over"),
                    tuple("RESET", reset.id().toString(), "over"),
                    tuple("SOFT_LIMIT_REACHED", back.id().toString(), "over"),
                    tuple("EXHAUSTED", back.id().toString(), "over"));
            assertThat(exhaustedOnly.await(2)).extracting(AlertView::kind, AlertView::runId).containsExactly(
                    tuple("EXHAUSTED", first.id().toString()), tuple("EXHAUSTED", back.id().toString()));
            assertThat(resetsAndSoft.await(3)).extracting(AlertView::kind, AlertView::runId).containsExactly(
                    tuple("SOFT_LIMIT_REACHED", first.id().toString()), tuple("RESET", reset.id().toString()),
                    tuple("SOFT_LIMIT_REACHED", back.id().toString()));
            assertThat(count("SELECT count(*) FROM budget_alert")).isEqualTo(5);
        }
    }

    /** Sixty alerts of one sync reach the subscriber in the order they were stored, each once. */
    @Test
    void theAlertsOfOneSyncArriveInTheirStoredOrder() {
        for (int i = 0; i < 30; i++) {
            customer("bulk-" + i, "5", "4", "9." + i);
        }
        try (Subscriber all = new Subscriber(port, bus)) {
            SyncRun run = syncBudgets();
            List<AlertView> alerts = all.await(60);
            List<String> stored = db.sql("SELECT id::text FROM budget_alert ORDER BY seq").map(row -> row.get(0, String.class))
                    .all().collectList().block();
            assertThat(alerts).extracting(AlertView::id).containsExactlyElementsOf(stored);
            assertThat(alerts).extracting(AlertView::runId).containsOnly(run.id().toString());
            // per budget: the soft limit first, then the hard one
            assertThat(alerts.subList(0, 2)).extracting(AlertView::kind).containsExactly("SOFT_LIMIT_REACHED", "EXHAUSTED");
        }
    }

    @Test
    void aResetThatIsOverdueIsToldOnceAndTheLateResetToo() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).withNano(0);
        customer("late", "100", null, "3.5");
        resetAt("late", now.minusHours(1));
        customer("in-grace", "100", null, "3.5"); // 5 minutes late: LiteLLM's job may still come (grace 15m)
        resetAt("in-grace", now.minusMinutes(5));
        customer("idle", "100", null, "0"); // nothing spent: nothing to reset
        resetAt("idle", now.minusHours(1));
        try (Subscriber all = new Subscriber(port, bus)) {
            SyncRun first = syncBudgets();
            syncBudgets();
            spend("late", "0");
            resetAt("late", now.plusDays(30));
            SyncRun reset = syncBudgets();
            syncBudgets();

            List<AlertView> alerts = all.await(2);
            assertThat(alerts).extracting(AlertView::kind, AlertView::overdue, AlertView::spend, AlertView::runId,
                            a -> a.budget().externalId())
                    .containsExactly(tuple("RESET", true, new BigDecimal("3.5"), first.id().toString(), "late"),
                            tuple("RESET", false, new BigDecimal("0"), reset.id().toString(), "late"));
            assertThat(OffsetDateTime.parse(alerts.get(0).resetAt()).toInstant()).isEqualTo(now.minusHours(1).toInstant());
            assertThat(count("SELECT count(*) FROM budget_alert")).isEqualTo(2);
        }
    }

    // ================================================================== runs that commit nothing

    @Test
    void aDryRunAndAFailedRunSendAndRememberNothing() {
        customer("dry", "10", null, "11");
        try (Subscriber all = new Subscriber(port, bus)) {
            SyncRun dry = await(startBudgets(true));
            assertThat(dry.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(count("SELECT count(*) FROM budget_alert")).isZero();

            syncBudgetsFailsAtItsEnd();
            SyncRun failed = await(startBudgets(false));
            assertThat(failed.status()).isEqualTo(SyncStatus.FAILED);
            assertThat(count("SELECT count(*) FROM budget_alert")).isZero();
            assertThat(count("SELECT count(*) FROM budget_alert_state")).isZero();
            db.sql("DROP TRIGGER test_fail_budget_run ON sync_run").then().block();

            SyncRun real = syncBudgets();
            // the first alert this subscriber ever gets is the real run's: the others sent nothing
            assertThat(all.await(1)).extracting(AlertView::kind, AlertView::runId)
                    .containsExactly(tuple("EXHAUSTED", real.id().toString()));
            assertThat(count("SELECT count(*) FROM budget_alert")).isEqualTo(1);
        }
    }

    // ================================================================== instances

    /**
     * A fresh instance on the same database (as after a restart) repeats nothing and replays no history; alerts of a
     * sync on either instance reach the subscribers of both.
     */
    @Test
    void aRestartedInstanceRepeatsNothingAndEveryInstanceDeliversEverySyncsAlerts() {
        customer("steady", "10", "5", "7");
        try (Subscriber onA = new Subscriber(port, bus)) {
            SyncRun first = syncBudgets();
            assertThat(onA.await(1)).extracting(AlertView::kind).containsExactly("SOFT_LIMIT_REACHED");

            ConfigurableApplicationContext restarted = instance("alerts-restarted");
            int portB = portOf(restarted);
            BudgetAlertBus busB = restarted.getBean(BudgetAlertBus.class);
            try (Subscriber onB = new Subscriber(portB, busB)) {
                SyncRun same = syncBudgetsOn(portB);
                assertThat(same.instanceId()).isEqualTo("alerts-restarted");
                assertThat(count("SELECT count(*) FROM budget_alert")).as("the restarted instance's sync repeats nothing").isEqualTo(1);

                spend("steady", "10");
                SyncRun exhaustedOnB = syncBudgetsOn(portB);
                spend("steady", "0");
                SyncRun resetOnA = syncBudgets();

                // B's first alert is the new one: it replays nothing from before it started
                assertThat(onB.await(2)).extracting(AlertView::kind, AlertView::runId).containsExactly(
                        tuple("EXHAUSTED", exhaustedOnB.id().toString()), tuple("RESET", resetOnA.id().toString()));
                assertThat(onA.await(3)).extracting(AlertView::kind, AlertView::runId).containsExactly(
                        tuple("SOFT_LIMIT_REACHED", first.id().toString()), tuple("EXHAUSTED", exhaustedOnB.id().toString()),
                        tuple("RESET", resetOnA.id().toString()));
                assertThat(count("SELECT count(*) FROM budget_alert")).isEqualTo(3);
            }
        }
    }

    /**
     * The second instance's LISTEN connection hangs while an alert is committed (its NOTIFY is never read) and the
     * budget is deleted before the alert is delivered; when the connection is replaced, the instance catches up from
     * the stored alerts: the alert arrives once, with its (deleted) budget. The instance's health check is an hour
     * here, so nothing but the closed connection makes it listen again.
     */
    @Test
    void anAlertWhoseNotificationWasLostArrivesOnceAfterTheReconnectWithItsDeletedBudget() {
        customer("gone", "10", null, "1");
        syncBudgets();
        String budgetId = one("SELECT id::text FROM budget WHERE scope = 'CUSTOMER' AND external_id = 'gone'");
        ConfigurableApplicationContext second = instance("alerts-hung", "--hub.sync.listener-check=1h");
        BudgetAlertBus busB = second.getBean(BudgetAlertBus.class);
        try (Subscriber onB = new Subscriber(portOf(second), busB)) {
            assertThat(listenerPids()).as("one LISTEN connection for sync events and budget alerts").hasSize(1);
            List<Integer> pidsB = backends(SyncEventBus.applicationName("alerts-hung"));
            assertThat(pidsB).hasSize(1);
            int listenerB = pidsB.get(0);
            freeze(listenerB);
            SyncRun crossed;
            try {
                spend("gone", "10.25");
                crossed = syncBudgets();
                assertThat(admin().documentName("deleteBudget").variable("input", Map.of("id", budgetId)).execute()
                        .path("deleteBudget.deletedId").entity(String.class).get()).isEqualTo(budgetId);
                assertThat(onB.alerts).as("nothing can arrive while the connection hangs").isEmpty();
                assertThat(one("SELECT pg_terminate_backend(" + listenerB + ")")).isEqualTo("true");
            } finally {
                thaw(listenerB);
            }
            AlertView alert = onB.await(1).get(0);
            assertThat(alert.kind()).isEqualTo("EXHAUSTED");
            assertThat(alert.runId()).isEqualTo(crossed.id().toString());
            assertThat(alert.spend()).isEqualTo(new BigDecimal("10.25"));
            assertThat(alert.budget()).isEqualTo(new BudgetView(budgetId, "CUSTOMER", "gone", new BigDecimal("10.25"), "ACTIVE"));
            assertThat(one("SELECT (deleted_at IS NOT NULL)::text FROM budget WHERE id = '" + budgetId + "'")).isEqualTo("true");

            customer("marker", "1", null, "2");
            SyncRun marker = syncBudgets();
            assertThat(onB.await(2)).extracting(AlertView::runId, a -> a.budget().externalId())
                    .containsExactly(tuple(crossed.id().toString(), "gone"), tuple(marker.id().toString(), "marker"));
        }
    }

    // ================================================================== access

    @Test
    void onlyAdminsMaySubscribeAndKindsMayNotBeEmpty() {
        String document = "subscription { budgetAlerts { id kind } }";
        GraphQlWsClient.Result user = GraphQlWsClient.run(port, LocalIssuer.userToken(), document, 1, Duration.ofSeconds(10));
        assertThat(user.acked()).isTrue();
        assertThat(user.errorClassification()).as(user.messages().toString()).isEqualTo("FORBIDDEN");
        GraphQlWsClient.Result anonymous = GraphQlWsClient.run(port, null, document, 1, Duration.ofSeconds(10));
        assertThat(anonymous.acked()).isFalse();
        assertThat(anonymous.closeCode()).isEqualTo(4401);
        GraphQlWsClient.Result none = GraphQlWsClient.run(port, LocalIssuer.adminToken(),
                "subscription { budgetAlerts(kinds: []) { id } }", 1, Duration.ofSeconds(10));
        assertThat(none.errorClassification()).as(none.messages().toString()).isEqualTo("BAD_REQUEST");
    }

    // ================================================================== LiteLLM

    /** A customer with a budget row of its own ({id}-row): a CUSTOMER budget in the hub. */
    private static void customer(String id, String maxBudget, String softBudget, String spend) {
        sim.putBudget(id + "-row", new BigDecimal(maxBudget), "30d");
        if (softBudget != null) {
            sim.changeBudget(id + "-row", "soft_budget", new BigDecimal(softBudget));
        }
        spend(id, spend);
    }

    private static void spend(String customer, String spend) {
        sim.putCustomer(customer, customer + "-row", new BigDecimal(spend));
    }

    private static void resetAt(String customer, OffsetDateTime at) {
        sim.changeBudget(customer + "-row", "budget_reset_at", at.withOffsetSameInstant(ZoneOffset.UTC).format(PRISMA));
    }

    // ================================================================== the hub

    /** The next budgets run ends with an error at its very end, inside its apply transaction (after the alerts). */
    private void syncBudgetsFailsAtItsEnd() {
        db.sql("""
                CREATE OR REPLACE FUNCTION test_fail_budget_run() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'injected: the run cannot end'; END $$""").then().block();
        db.sql("""
                CREATE TRIGGER test_fail_budget_run BEFORE UPDATE ON sync_run FOR EACH ROW
                WHEN (NEW.kind = 'BUDGETS' AND NEW.status = 'SUCCEEDED') EXECUTE FUNCTION test_fail_budget_run()""").then().block();
    }

    private SyncRun syncBudgetsOn(int port) {
        String id = adminOn(port).documentName("syncBudgets").variable("dryRun", false).execute()
                .path("syncBudgets.userErrors").entityList(Object.class).hasSize(0)
                .path("syncBudgets.run.id").entity(String.class).get();
        SyncRun run = await(id);
        assertThat(run.status()).as("run error: %s", run.error()).isEqualTo(SyncStatus.SUCCEEDED);
        return run;
    }

    /** Another instance on this database, closed after the test. */
    private ConfigurableApplicationContext instance(String instanceId, String... more) {
        ConfigurableApplicationContext instance = startInstance(instanceId, more);
        instances.add(instance);
        return instance;
    }

    private List<Integer> backends(String applicationName) {
        return db.sql("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = :name")
                .bind("name", applicationName).map(row -> row.get("pid", Integer.class)).all().collectList().block();
    }

    private static void awaitSubscribers(BudgetAlertBus bus, int expected) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (bus.subscribers() != expected) {
            assertThat(System.nanoTime()).as("%s budget alert subscribers (now %s)", expected, bus.subscribers()).isLessThan(deadline);
            sleep(10);
        }
    }

    /** A budgetAlerts subscription on a graphql-ws connection of its own, recorded in the background. */
    private final class Subscriber implements AutoCloseable {

        final List<AlertView> alerts = new CopyOnWriteArrayList<>();
        private final WebSocketGraphQlClient client;
        private final Disposable subscription;
        private final BudgetAlertBus bus;
        private volatile Throwable error;

        Subscriber(int port, BudgetAlertBus bus, String... kinds) {
            this.bus = bus;
            client = ws(port);
            client.start().block(DEADLINE); // connection_ack
            int before = bus.subscribers();
            var request = client.document(document("budgetAlerts"));
            if (kinds.length > 0) {
                request = request.variable("kinds", List.of(kinds));
            }
            subscription = request.retrieveSubscription("budgetAlerts").toEntity(AlertView.class)
                    .subscribe(alerts::add, e -> error = e);
            awaitSubscribers(bus, before + 1);
        }

        /** Waits (bounded) until {@code count} alerts came; answers them. */
        List<AlertView> await(int count) {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (alerts.size() < count) {
                assertThat(error).as("the subscription failed; got %s", alerts).isNull();
                assertThat(System.nanoTime()).as("%s alerts; got %s", count, alerts).isLessThan(deadline);
                sleep(20);
            }
            return List.copyOf(alerts);
        }

        @Override
        public void close() {
            subscription.dispose();
            client.stop().block(Duration.ofSeconds(5));
        }
    }
}
