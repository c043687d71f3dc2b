package io.oneuihub.budget;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.oneuihub.db.Recordset;
import io.oneuihub.db.Rows;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Budget alerts in the database (V6): {@link #evaluate} computes and records them inside the budgets sync's apply
 * transaction; {@link BudgetAlertBus} reads them back in {@code seq} order to deliver them.
 */
@Component
public class BudgetAlertStore {

    /** The NOTIFY channel: a wake-up only (the payload is the highest new seq, for the logs). */
    public static final String CHANNEL = "hub_budget_alerts";

    /**
     * The transaction-scoped advisory lock every alert-writing transaction holds from before its first seq until
     * its commit: seq values then become visible in ascending order, so a reader that delivered up to seq n never
     * finds an n - 1 committed later. Budgets syncs run one at a time anyway; this also covers a run that lost its
     * lease but has not rolled back yet. The two-key form: its keys never meet the one-key locks the budget
     * mutations take (BudgetLocks).
     */
    private static final int LOCK_SPACE = 0x68756221;
    private static final int LOCK = 1;

    private record StateRow(UUID budgetId, Boolean softReached, Boolean exhausted, BigDecimal observedSpend,
            OffsetDateTime overdueFor) {
    }

    private record AlertRow(Integer ord, UUID budgetId, String kind, Boolean overdue, BigDecimal spend,
            BigDecimal maxBudget, BigDecimal softBudget, OffsetDateTime resetAt) {
    }

    private static final Recordset<StateRow> STATES = Recordset.of(StateRow.class, """
            "budgetId" uuid, "softReached" boolean, exhausted boolean, "observedSpend" numeric, "overdueFor" timestamptz""");

    private static final Recordset<AlertRow> ALERTS = Recordset.of(AlertRow.class, """
            ord integer, "budgetId" uuid, kind text, overdue boolean, spend numeric, "maxBudget" numeric,
            "softBudget" numeric, "resetAt" timestamptz""");

    /** A live ACTIVE budget as the sync left it, and what was remembered of it. */
    private record Evaluated(UUID budgetId, BudgetAlertRules.Observed observed, BudgetAlertRules.Memory memory) {
    }

    private final DatabaseClient db;
    private final JsonMapper json;
    private final BudgetAlertProperties properties;

    BudgetAlertStore(DatabaseClient db, JsonMapper json, BudgetAlertProperties properties) {
        this.db = db;
        this.json = json;
        this.properties = properties;
    }

    /**
     * Evaluates {@link BudgetAlertRules} for every live ACTIVE budget ({@code deleted_at IS NULL}, status ACTIVE) as
     * stored now, records the alerts (at = clock_timestamp(), run = {@code runId}) and what to remember, and
     * NOTIFYs {@link #CHANNEL} when there are alerts. Must run inside the sync's apply transaction, after its budget
     * writes: PostgreSQL delivers the NOTIFY at commit and drops it on rollback, so a failed run sends nothing and
     * remembers nothing. Answers the number of alerts.
     */
    public Mono<Integer> evaluate(UUID runId, int batchSize) {
        return db.sql("SELECT pg_advisory_xact_lock(:space, :lock)").bind("space", LOCK_SPACE).bind("lock", LOCK).then()
                .then(db.sql("SELECT clock_timestamp() AS now").map(row -> Rows.time(row, "now")).one())
                .flatMap(now -> live().collectList().flatMap(budgets -> record(runId, now, budgets, batchSize)));
    }

    private Mono<Integer> record(UUID runId, OffsetDateTime now, List<Evaluated> budgets, int batchSize) {
        List<StateRow> changed = new ArrayList<>();
        List<AlertRow> alerts = new ArrayList<>();
        for (Evaluated budget : budgets) {
            BudgetAlertRules.Observed seen = budget.observed();
            BudgetAlertRules.Outcome outcome = BudgetAlertRules.evaluate(seen, budget.memory(), now, properties.resetGrace());
            for (BudgetAlertRules.Crossing crossing : outcome.alerts()) {
                alerts.add(new AlertRow(alerts.size(), budget.budgetId(), crossing.kind().name(), crossing.overdue(),
                        seen.spend(), seen.maxBudget(), seen.softBudget(), seen.resetAt()));
            }
            BudgetAlertRules.Memory memory = outcome.memory();
            if (!memory.sameAs(budget.memory())) {
                changed.add(new StateRow(budget.budgetId(), memory.softReached(), memory.exhausted(), memory.observedSpend(),
                        memory.overdueFor()));
            }
        }
        Mono<Void> remember = Flux.fromIterable(batches(changed, batchSize)).concatMap(batch -> remember(batch, now)).then();
        return remember.then(alerts.isEmpty() ? Mono.just(0) : insert(runId, now, alerts)
                .flatMap(last -> db.sql("SELECT pg_notify(:channel, :seq)").bind("channel", CHANNEL)
                        .bind("seq", Long.toString(last)).then())
                .thenReturn(alerts.size()));
    }

    private Flux<Evaluated> live() {
        return db.sql("""
                        SELECT b.id, b.spend, b.max_budget, b.soft_budget, b.reset_at,
                          s.soft_reached, s.exhausted, s.observed_spend, s.overdue_for
                        FROM budget b LEFT JOIN budget_alert_state s ON s.budget_id = b.id
                        WHERE b.deleted_at IS NULL AND b.status = 'ACTIVE'
                        ORDER BY b.scope, coalesce(b.external_id, ''), b.id""")
                .map(row -> new Evaluated(Rows.uuid(row, "id"),
                        new BudgetAlertRules.Observed(Rows.decimal(row, "spend"), Rows.decimal(row, "max_budget"),
                                Rows.decimal(row, "soft_budget"), Rows.time(row, "reset_at")),
                        new BudgetAlertRules.Memory(Rows.bool(row, "soft_reached"), Rows.bool(row, "exhausted"),
                                Rows.decimal(row, "observed_spend"), Rows.time(row, "overdue_for"))))
                .all();
    }

    /** Upserts what to remember; a budget a mutation removed meanwhile (a dropped tombstone) is left out. */
    private Mono<Void> remember(List<StateRow> rows, OffsetDateTime now) {
        return STATES.bindRows(db.sql("""
                        INSERT INTO budget_alert_state (budget_id, soft_reached, exhausted, observed_spend, overdue_for, updated_at)
                        SELECT r."budgetId", r."softReached", r.exhausted, r."observedSpend", r."overdueFor", :now
                        FROM %s
                        WHERE EXISTS (SELECT 1 FROM budget b WHERE b.id = r."budgetId")
                        ON CONFLICT (budget_id) DO UPDATE SET soft_reached = EXCLUDED.soft_reached,
                          exhausted = EXCLUDED.exhausted, observed_spend = EXCLUDED.observed_spend,
                          overdue_for = EXCLUDED.overdue_for, updated_at = EXCLUDED.updated_at""".formatted(STATES.fromItem())), json, rows)
                .bind("now", now)
                .then();
    }

    /** Inserts the alerts in evaluation order (so seq follows it) and answers the highest seq. */
    private Mono<Long> insert(UUID runId, OffsetDateTime now, List<AlertRow> alerts) {
        return ALERTS.bindRows(db.sql("""
                        INSERT INTO budget_alert (budget_id, run_id, kind, overdue, spend, max_budget, soft_budget, reset_at, at)
                        SELECT r."budgetId", :run, r.kind, r.overdue, r.spend, r."maxBudget", r."softBudget", r."resetAt", :now
                        FROM %s
                        WHERE EXISTS (SELECT 1 FROM budget b WHERE b.id = r."budgetId")
                        ORDER BY r.ord
                        RETURNING seq""".formatted(ALERTS.fromItem())), json, alerts)
                .bind("run", runId)
                .bind("now", now)
                .map(row -> row.get("seq", Long.class))
                .all()
                .reduce(0L, Math::max);
    }

    private static <T> List<List<T>> batches(List<T> rows, int size) {
        List<List<T>> batches = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += size) {
            batches.add(rows.subList(i, Math.min(rows.size(), i + size)));
        }
        return batches;
    }

    // ------------------------------------------------------------------ reads

    /** The highest seq stored (0 for none): where a starting instance begins to deliver. */
    public Mono<Long> lastSeq() {
        return db.sql("SELECT coalesce(max(seq), 0) AS seq FROM budget_alert").map(row -> row.get("seq", Long.class)).one();
    }

    /** Up to {@code limit} alerts after {@code seq}, in seq order. */
    public Flux<BudgetAlert> after(long seq, int limit) {
        return db.sql("SELECT * FROM budget_alert WHERE seq > :seq ORDER BY seq LIMIT :limit")
                .bind("seq", seq).bind("limit", limit)
                .map(BudgetAlertStore::alert)
                .all();
    }

    /**
     * The budgets with these ids, tombstoned ones included (an alert names a budget that may have been deleted
     * since), in one statement.
     */
    public Mono<Map<UUID, Budget>> budgets(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql("SELECT " + BudgetRepository.COLUMNS + " FROM budget b WHERE b.id = ANY(:ids)")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(row -> BudgetRepository.map(row, json))
                .all()
                .collect(Collectors.toMap(Budget::id, Function.identity()));
    }

    private static BudgetAlert alert(Readable row) {
        return new BudgetAlert(Rows.uuid(row, "id"), row.get("seq", Long.class), Rows.uuid(row, "budget_id"),
                BudgetAlertKind.valueOf(Rows.text(row, "kind")), Rows.bool(row, "overdue"), Rows.decimal(row, "spend"),
                Rows.decimal(row, "max_budget"), Rows.decimal(row, "soft_budget"), Rows.time(row, "reset_at"),
                Rows.time(row, "at"), Rows.uuid(row, "run_id"));
    }
}
