import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.oneuihub.dev.EmbeddedDatabase;
import io.oneuihub.graphql.Connection;
import io.oneuihub.graphql.Cursor;
import io.oneuihub.graphql.KeysetPager;
import io.oneuihub.graphql.Ordering;
import io.oneuihub.graphql.PageRequest;
import io.oneuihub.graphql.SortKey;
import io.oneuihub.graphql.SqlFilter;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import org.flywaydb.core.Flyway;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Keyset paging (what the API does) against OFFSET paging (the usual baseline) on the same
 * embedded PostgreSQL, same data, same page size, in one run. Reports ratios, not absolute claims.
 *
 * Run: bench/run-paging.sh [models]
 */
public class PagingBenchmark {

    static final int PAGE = 100;

    public static void main(String[] args) {
        int models = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String database = EmbeddedDatabase.createDatabase("bench");
        int port = EmbeddedDatabase.server().getPort();
        Flyway.configure().dataSource("jdbc:postgresql://localhost:" + port + "/" + database, "postgres", "postgres")
                .locations("classpath:db/migration").load().migrate();
        ConnectionFactory factory = ConnectionFactories.get(EmbeddedDatabase.r2dbcUrl(database)
                .replace("r2dbc:postgresql://", "r2dbc:pool:postgresql://postgres:postgres@"));
        DatabaseClient db = DatabaseClient.create(factory);
        db.sql("INSERT INTO model (name, input_cost_per_token) SELECT 'model-' || md5(i::text), i / 1e9 FROM generate_series(1, "
                + models + ") i").then().block();
        db.sql("ANALYZE model").then().block();

        KeysetPager pager = new KeysetPager(db);
        Ordering byName = new Ordering("models:NAME:ASC", List.of(new SortKey("m.name", SortKey.Type.TEXT), SortKey.id("m")), false);
        SqlFilter visible = new SqlFilter().and("m.enabled").and("m.status = 'ACTIVE'");

        // Warm up both paths (JIT, plan cache, buffers).
        walkKeyset(pager, byName, visible, 50);
        walkOffset(db, 50);

        int pages = models / PAGE;
        long keyset = time(() -> walkKeyset(pager, byName, visible, pages));
        long offset = time(() -> walkOffset(db, pages));

        int deep = (models / PAGE) * 9 / 10;
        String deepCursor = cursorAtPage(pager, byName, visible, deep);
        List<Long> keysetDeep = new ArrayList<>();
        List<Long> offsetDeep = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            keysetDeep.add(time(() -> pager.page("m.*", "model m", visible, byName,
                    new PageRequest(PAGE, Cursor.decode("after", deepCursor), false), false, (row, n) -> row.get("name", String.class)).block()));
            offsetDeep.add(time(() -> offsetPage(db, deep)));
        }

        System.out.printf("catalog: %d models, page size %d, PostgreSQL %s%n", models, PAGE, "embedded (zonky)");
        System.out.printf("walk all %d pages   keyset %6d ms   offset %6d ms   offset/keyset = %.1fx%n",
                pages, ms(keyset), ms(offset), (double) offset / keyset);
        System.out.printf("page at 90%% depth   keyset %6.2f ms   offset %6.2f ms   offset/keyset = %.1fx (median of 30)%n",
                median(keysetDeep) / 1e6, median(offsetDeep) / 1e6, (double) median(offsetDeep) / median(keysetDeep));
        System.exit(0);
    }

    static void walkKeyset(KeysetPager pager, Ordering ordering, SqlFilter filter, int pages) {
        Cursor cursor = null;
        for (int i = 0; i < pages; i++) {
            Connection<String> page = pager.page("m.*", "model m", filter, ordering, new PageRequest(PAGE, cursor, false), false,
                    (row, n) -> row.get("name", String.class)).block(Duration.ofSeconds(30));
            if (!page.pageInfo().hasNextPage()) {
                return;
            }
            cursor = Cursor.decode("after", page.pageInfo().endCursor());
        }
    }

    static String cursorAtPage(KeysetPager pager, Ordering ordering, SqlFilter filter, int pageNumber) {
        Cursor cursor = null;
        String end = null;
        for (int i = 0; i < pageNumber; i++) {
            end = pager.page("m.*", "model m", filter, ordering, new PageRequest(PAGE, cursor, false), false,
                    (row, n) -> row.get("name", String.class)).block().pageInfo().endCursor();
            cursor = Cursor.decode("after", end);
        }
        return end;
    }

    static void walkOffset(DatabaseClient db, int pages) {
        for (int i = 0; i < pages; i++) {
            offsetPage(db, i);
        }
    }

    static List<String> offsetPage(DatabaseClient db, int page) {
        return db.sql("SELECT m.* FROM model m WHERE m.enabled AND m.status = 'ACTIVE' ORDER BY m.name, m.id LIMIT "
                        + (PAGE + 1) + " OFFSET " + ((long) page * PAGE))
                .map(row -> row.get("name", String.class)).all().collectList().block(Duration.ofSeconds(30));
    }

    static long time(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
