package io.oneuihub.graphql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;

import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.r2dbc.spi.Readable;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Runs one page of a keyset-paginated query and its optional count, and assembles the Relay
 * connection. Costs one statement per page, totalCount included (a second one only for a page without rows).
 */
public final class KeysetPager {

    private final DatabaseClient db;

    public KeysetPager(DatabaseClient db) {
        this.db = db;
    }

    /**
     * @param select  select list, e.g. {@code "m.*"}
     * @param from    FROM clause with aliases, e.g. {@code "model m"}
     * @param mapper  maps a row to the node; its second argument is the position of the first column of
     *                {@code select} (the pager's own columns come before it), so the mapper can read by position
     */
    public <T> Mono<Connection<T>> page(String select, String from, SqlFilter filter, Ordering ordering,
            PageRequest page, boolean withTotal, BiFunction<Readable, Integer, T> mapper) {
        return page(select, from, "", filter, ordering, page, withTotal, mapper);
    }

    /**
     * @param join joins for the select list only, e.g. {@code "LEFT JOIN company c ON c.id = m.company_id"}: the
     *             filter and the count see {@code from} alone
     */
    public <T> Mono<Connection<T>> page(String select, String from, String join, SqlFilter filter, Ordering ordering,
            PageRequest page, boolean withTotal, BiFunction<Readable, Integer, T> mapper) {
        if (page.size() == 0) {
            return (withTotal ? count(from, filter) : Mono.just(-1)).map(total -> assemble(List.of(), page, total));
        }
        return rows(select, from, join, filter, ordering, page, withTotal, mapper).flatMap(fetched -> {
            // the count rides on the page's rows; a page without rows has to ask for it
            if (withTotal && fetched.isEmpty()) {
                return count(from, filter).map(total -> assemble(List.of(), page, total));
            }
            return Mono.just(assemble(fetched, page, withTotal ? fetched.get(0).total() : -1));
        });
    }

    /** A fetched row: its edge and, when asked for, the count of all rows the filter matches. */
    private record Fetched<T>(Edge<T> edge, int total) {
    }

    private <T> Mono<List<Fetched<T>>> rows(String select, String from, String join, SqlFilter filter, Ordering ordering,
            PageRequest page, boolean withTotal, BiFunction<Readable, Integer, T> mapper) {
        List<SortKey> keys = ordering.keys();
        // Backwards pages read in reverse order from the cursor, then flip.
        boolean descending = ordering.descending() != page.backward();
        // The pager's own columns first, so that each is at a known position whatever the select list holds:
        // the sort keys (the cursor's values, cheap short texts) and the count.
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < keys.size(); i++) {
            sql.append('(').append(keys.get(i).expression()).append(")::text AS k_").append(i).append(", ");
        }
        // an uncorrelated subquery: PostgreSQL runs it once (an InitPlan), in the same statement and round trip
        if (withTotal) {
            sql.append("(SELECT count(*) FROM ").append(from).append(" WHERE ").append(filter.where()).append(") AS total_n, ");
        }
        int first = keys.size() + (withTotal ? 1 : 0);
        sql.append(select).append(" FROM ").append(from);
        if (!join.isEmpty()) {
            sql.append(' ').append(join);
        }
        sql.append(" WHERE ").append(filter.where());
        List<String> cursorValues = cursorValues(page, ordering);
        if (cursorValues != null) {
            sql.append(" AND (");
            for (int i = 0; i < keys.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(keys.get(i).expression());
            }
            sql.append(descending ? ") < (" : ") > (");
            for (int i = 0; i < keys.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(":c_").append(i).append("::").append(keys.get(i).type().sqlType());
            }
            sql.append(")");
        }
        sql.append(" ORDER BY ");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(keys.get(i).expression()).append(descending ? " DESC" : " ASC");
        }
        sql.append(" LIMIT ").append(page.size() + 1);

        DatabaseClient.GenericExecuteSpec spec = filter.bind(db.sql(sql.toString()));
        if (cursorValues != null) {
            for (int i = 0; i < cursorValues.size(); i++) {
                spec = spec.bind("c_" + i, cursorValues.get(i));
            }
        }
        int keyCount = keys.size();
        return spec.map(row -> {
            String[] values = new String[keyCount];
            for (int i = 0; i < keyCount; i++) {
                values[i] = row.get(i, String.class);
            }
            Edge<T> edge = new Edge<>(new Cursor(ordering.name(), Arrays.asList(values)), mapper.apply(row, first));
            return new Fetched<>(edge, withTotal ? row.get(keyCount, Long.class).intValue() : -1);
        }).all().collectList().contextWrite(KeysetPager::forStatement);
    }

    private static List<String> cursorValues(PageRequest page, Ordering ordering) {
        Cursor cursor = page.cursor();
        if (cursor == null) {
            return null;
        }
        String argument = page.backward() ? "before" : "after";
        if (!cursor.ordering().equals(ordering.name())) {
            throw new InvalidInputException(argument,
                    "The cursor in '" + argument + "' belongs to another ordering; restart paging without it.");
        }
        List<SortKey> keys = ordering.keys();
        if (cursor.values().size() != keys.size()) {
            throw Cursor.invalid(argument);
        }
        for (int i = 0; i < keys.size(); i++) {
            if (!keys.get(i).type().accepts(cursor.values().get(i))) {
                throw Cursor.invalid(argument);
            }
        }
        return cursor.values();
    }

    private Mono<Integer> count(String from, SqlFilter filter) {
        return filter.bind(db.sql("SELECT count(*) AS n FROM " + from + " WHERE " + filter.where()))
                .map(row -> row.get("n", Long.class).intValue())
                .one()
                .contextWrite(KeysetPager::forStatement);
    }

    /** spring-graphql's accessor restores the thread-local SecurityContext under this key. */
    private static final String THREAD_LOCAL_SECURITY_CONTEXT = SecurityContext.class.getName();

    /**
     * The Reactor context a page's statement runs with: without the current observation and the thread-local
     * security context. Reactor restores every registered ThreadLocalAccessor whose key the context holds around each
     * {@code handle} in the driver, for every message of every row (issue 12's profile: 5-6 % of a catalog page's CPU,
     * an observation scope opened and closed each time). A statement needs neither, no database observation exists
     * and no access check runs below the repository, so only the execution id its log lines carry is restored. The
     * rest of the request (what runs after the page completes, every data fetcher) keeps its whole context.
     */
    private static Context forStatement(Context context) {
        return context.delete(ObservationThreadLocalAccessor.KEY).delete(THREAD_LOCAL_SECURITY_CONTEXT);
    }

    private static <T> Connection<T> assemble(List<Fetched<T>> fetched, PageRequest page, int total) {
        boolean more = fetched.size() > page.size();
        int kept = more ? page.size() : fetched.size();
        List<Edge<T>> edges = new ArrayList<>(kept);
        for (int i = 0; i < kept; i++) {
            edges.add(fetched.get(i).edge());
        }
        if (page.backward()) {
            Collections.reverse(edges);
        }
        boolean fromCursor = page.cursor() != null;
        PageInfo info = new PageInfo(
                page.backward() ? fromCursor : more,
                page.backward() ? more : fromCursor,
                edges.isEmpty() ? null : edges.get(0).cursor(),
                edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor());
        return new Connection<>(List.copyOf(edges), info, total < 0 ? null : total);
    }
}
