package io.oneuihub.budget;

import java.time.OffsetDateTime;

import io.oneuihub.db.Rows;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** The stored side of the spend overview: what the last budgets sync brought in. */
@Repository
class SpendRepository {

    /** What users see as budgets: live (not tombstoned) and still in LiteLLM (ACTIVE). */
    private static final String CURRENT = "b.status = 'ACTIVE' AND b.deleted_at IS NULL";

    private final DatabaseClient db;
    private final JsonMapper json;

    SpendRepository(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    Mono<BudgetCounts> counts() {
        return db.sql("""
                        SELECT count(*) AS total, count(*) FILTER (WHERE %s) AS over_soft, count(*) FILTER (WHERE %s) AS exhausted
                        FROM budget b WHERE %s""".formatted(BudgetFilter.OVER_SOFT_BUDGET, BudgetFilter.EXHAUSTED, CURRENT))
                .map(row -> new BudgetCounts(Rows.bigint(row, "total").intValue(), Rows.bigint(row, "over_soft").intValue(),
                        Rows.bigint(row, "exhausted").intValue()))
                .one();
    }

    /** Highest spend first; id breaks ties so the same data always gives the same list. */
    Flux<Budget> topSpenders(int first) {
        return db.sql("SELECT " + BudgetRepository.COLUMNS + " FROM budget b WHERE " + CURRENT
                        + " AND b.spend > 0 ORDER BY b.spend DESC, b.id LIMIT :first")
                .bind("first", first)
                .map(row -> BudgetRepository.map(row, json))
                .all();
    }

    /** The end of the last budgets sync that stored what it read (dry runs store nothing). */
    Mono<OffsetDateTime> budgetsSyncedAt() {
        return db.sql("SELECT max(finished_at) AS at FROM sync_run WHERE kind = 'BUDGETS' AND status = 'SUCCEEDED' AND NOT dry_run")
                .map(row -> java.util.Optional.ofNullable(Rows.time(row, "at")))
                .one()
                .flatMap(Mono::justOrEmpty);
    }
}
