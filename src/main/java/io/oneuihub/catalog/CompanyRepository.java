package io.oneuihub.catalog;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import io.oneuihub.db.Binds;
import io.oneuihub.db.Rows;
import io.oneuihub.graphql.Connection;
import io.oneuihub.graphql.KeysetPager;
import io.oneuihub.graphql.Ordering;
import io.oneuihub.graphql.PageRequest;
import io.oneuihub.graphql.SqlFilter;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class CompanyRepository {

    /** Everything {@link #map} reads, in its order. */
    private static final String SELECT = "c.id, c.slug, c.name, c.description, c.logo_url, c.website,"
            + " array(SELECT p.provider FROM company_provider p WHERE p.company_id = c.id ORDER BY p.provider) AS providers,"
            + " c.created_at, c.updated_at";

    private final DatabaseClient db;
    private final KeysetPager pager;

    public CompanyRepository(DatabaseClient db) {
        this.db = db;
        this.pager = new KeysetPager(db);
    }

    Mono<Connection<Company>> page(SqlFilter filter, Ordering ordering, PageRequest page, boolean withTotal) {
        return pager.page(SELECT, "company c", filter, ordering, page, withTotal, (row, at) -> map(row, at, true, true));
    }

    public Mono<Company> findById(UUID id) {
        return db.sql("SELECT " + SELECT + " FROM company c WHERE c.id = :id").bind("id", id).map(CompanyRepository::map).one();
    }

    public Mono<Company> findBySlug(String slug) {
        return db.sql("SELECT " + SELECT + " FROM company c WHERE c.slug = :slug").bind("slug", slug).map(CompanyRepository::map).one();
    }

    public Flux<Company> findAllById(Collection<UUID> ids) {
        return db.sql("SELECT " + SELECT + " FROM company c WHERE c.id = ANY(:ids)")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(CompanyRepository::map)
                .all();
    }

    /** Inserts a company with its provider keys; the keys must not belong to another company yet. */
    public Mono<Company> insert(String slug, String name, String description, String logoUrl, String website,
            Collection<String> providers) {
        return db.sql("""
                        WITH inserted AS (
                          INSERT INTO company (slug, name, description, logo_url, website)
                          VALUES (:slug, :name, :description, :logoUrl, :website) RETURNING id),
                        keys AS (
                          INSERT INTO company_provider (provider, company_id)
                          SELECT unnest(:providers::text[]), id FROM inserted)
                        SELECT id FROM inserted""")
                .bind("slug", slug)
                .bind("name", name)
                .bind("description", Binds.text(description))
                .bind("logoUrl", Binds.text(logoUrl))
                .bind("website", Binds.text(website))
                .bind("providers", providers.toArray(String[]::new))
                .map(row -> row.get("id", UUID.class))
                .one()
                .flatMap(this::findById);
    }

    /**
     * The columns {@link #mapJoined} reads, in {@link #map}'s order, for a statement that joins {@code company c}.
     * The providers are a subquery and an array to decode for every row: only when the caller selects them.
     */
    static String joinedColumns(boolean withTimes, boolean withProviders) {
        return "c.id AS c_id, c.slug AS c_slug, c.name AS c_name, c.description AS c_description, c.logo_url AS c_logo_url,"
                + " c.website AS c_website"
                + (withProviders ? ", array(SELECT p.provider FROM company_provider p WHERE p.company_id = c.id"
                        + " ORDER BY p.provider) AS c_providers" : "")
                + (withTimes ? ", c.created_at AS c_created_at, c.updated_at AS c_updated_at" : "");
    }

    /**
     * A company joined into another row under {@link #joinedColumns}, from position {@code at} on; without times,
     * createdAt and updatedAt are null, without providers they are empty.
     */
    static Company mapJoined(Readable row, int at, boolean withTimes, boolean withProviders) {
        return map(row, at, withTimes, withProviders);
    }

    static Company map(Readable row) {
        return map(row, 0, true, true);
    }

    /** By position from {@code at}: id, slug, name, description, logo_url, website, [providers], [created_at, updated_at]. */
    private static Company map(Readable row, int at, boolean withTimes, boolean withProviders) {
        int next = at + 6;
        List<String> providers = withProviders ? Rows.textArray(row, next++) : List.of();
        return new Company(
                Rows.uuid(row, at),
                Rows.text(row, at + 1),
                Rows.text(row, at + 2),
                Rows.text(row, at + 3),
                Rows.text(row, at + 4),
                Rows.text(row, at + 5),
                providers,
                withTimes ? Rows.time(row, next) : null,
                withTimes ? Rows.time(row, next + 1) : null);
    }
}
