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

    private static final String SELECT = "c.*, array(SELECT p.provider FROM company_provider p "
            + "WHERE p.company_id = c.id ORDER BY p.provider) AS providers";

    private final DatabaseClient db;
    private final KeysetPager pager;

    public CompanyRepository(DatabaseClient db) {
        this.db = db;
        this.pager = new KeysetPager(db);
    }

    Mono<Connection<Company>> page(SqlFilter filter, Ordering ordering, PageRequest page, boolean withTotal) {
        return pager.page(SELECT, "company c", filter, ordering, page, withTotal, (row, i) -> map(row));
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
     * The columns {@link #mapJoined} reads, for a statement that joins {@code company c}. The providers are a
     * subquery and an array to decode for every row: only when the caller selects them.
     */
    static String joinedColumns(boolean withTimes, boolean withProviders) {
        return "c.id AS c_id, c.slug AS c_slug, c.name AS c_name, c.description AS c_description, c.logo_url AS c_logo_url,"
                + " c.website AS c_website"
                + (withProviders ? ", array(SELECT p.provider FROM company_provider p WHERE p.company_id = c.id"
                        + " ORDER BY p.provider) AS c_providers" : "")
                + (withTimes ? ", c.created_at AS c_created_at, c.updated_at AS c_updated_at" : "");
    }

    /** The column names a company is read from: its own table's, or those {@link #joinedColumns} aliases. */
    private record Columns(String id, String slug, String name, String description, String logoUrl, String website,
            String providers, String createdAt, String updatedAt) {

        static Columns prefixed(String prefix) {
            return new Columns(prefix + "id", prefix + "slug", prefix + "name", prefix + "description",
                    prefix + "logo_url", prefix + "website", prefix + "providers", prefix + "created_at",
                    prefix + "updated_at");
        }
    }

    private static final Columns OWN = Columns.prefixed("");
    private static final Columns JOINED = Columns.prefixed("c_");

    /**
     * A company joined into another row under {@link #joinedColumns}; without times, createdAt and updatedAt are
     * null, without providers they are empty.
     */
    static Company mapJoined(Readable row, boolean withTimes, boolean withProviders) {
        return map(row, JOINED, withTimes, withProviders);
    }

    static Company map(Readable row) {
        return map(row, OWN, true, true);
    }

    private static Company map(Readable row, Columns c, boolean withTimes, boolean withProviders) {
        return new Company(
                Rows.uuid(row, c.id()),
                Rows.text(row, c.slug()),
                Rows.text(row, c.name()),
                Rows.text(row, c.description()),
                Rows.text(row, c.logoUrl()),
                Rows.text(row, c.website()),
                withProviders ? Rows.textArray(row, c.providers()) : List.of(),
                withTimes ? Rows.time(row, c.createdAt()) : null,
                withTimes ? Rows.time(row, c.updatedAt()) : null);
    }
}
