package io.oneuihub.catalog;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import io.oneuihub.db.Binds;
import io.oneuihub.db.Recordset;
import io.oneuihub.db.Rows;
import io.oneuihub.db.Written;
import org.springframework.graphql.data.ArgumentValue;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The company statements: the company mutations', and the models sync's creation of companies for provider
 * keys it meets for the first time. Callers run them inside one transaction; the row lock taken by
 * {@link #update} or {@link #lock} serializes concurrent mutations of the same company.
 */
@Component
public class CompanyWriter {

    /** A company the models sync creates for a new provider key. */
    public record CompanyRow(UUID id, String slug, String name) {
    }

    /** A provider key mapped to a company. */
    public record ProviderRow(String provider, UUID companyId) {
    }

    /** Record components = recordset columns; checked when this class loads. */
    static final Recordset<CompanyRow> COMPANY_ROWS = Recordset.of(CompanyRow.class, "id uuid, slug text, name text");
    static final Recordset<ProviderRow> PROVIDER_ROWS = Recordset.of(ProviderRow.class, "provider text, \"companyId\" uuid");

    /** Validated values of the columns a mutation sets; an omitted one is left as it is. */
    record Columns(ArgumentValue<String> slug, ArgumentValue<String> name, ArgumentValue<String> description,
            ArgumentValue<String> logoUrl, ArgumentValue<String> website) {
    }

    /** pg_advisory_xact_lock key of "company_provider is being changed". */
    private static final long PROVIDER_KEYS_LOCK = 0x6f6e6575_69687562L;

    private final DatabaseClient db;
    private final JsonMapper json;

    CompanyWriter(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Inserts companies in one statement; answers the ids inserted. */
    public Mono<Written> insertDiscovered(List<CompanyRow> rows) {
        if (rows.isEmpty()) {
            return Mono.just(Written.NONE);
        }
        return COMPANY_ROWS.bindRows(db.sql("""
                        INSERT INTO company (id, slug, name)
                        SELECT r.id, r.slug, r.name FROM %s
                        RETURNING id""".formatted(COMPANY_ROWS.fromItem())), json, rows)
                .map(row -> Rows.uuid(row, "id"))
                .all()
                .collect(HashSet<UUID>::new, Set::add)
                .map(Written::ids);
    }

    /** Maps provider keys to companies; a key mapped already keeps its company (ON CONFLICT DO NOTHING). */
    public Mono<Written> mapProviders(List<ProviderRow> rows) {
        if (rows.isEmpty()) {
            return Mono.just(Written.NONE);
        }
        return PROVIDER_ROWS.bindRows(db.sql("""
                        INSERT INTO company_provider (provider, company_id)
                        SELECT r.provider, r."companyId" FROM %s
                        ON CONFLICT (provider) DO NOTHING""".formatted(PROVIDER_ROWS.fromItem())), json, rows)
                .fetch().rowsUpdated()
                .map(n -> new Written(n.intValue(), Set.of()));
    }

    /**
     * Serializes the mutations that change provider keys, until the transaction ends: each re-assigns models
     * from the whole key mapping, which must not change under it. Taken before any row lock, so two such
     * mutations wait here and never on each other's rows.
     */
    Mono<Void> lockProviderKeys() {
        return db.sql("SELECT pg_advisory_xact_lock(:key)").bind("key", PROVIDER_KEYS_LOCK).then();
    }

    /** Provider key -> slug of the company that owns it, for the keys owned by a company other than {@code except}. */
    Mono<Map<String, String>> owners(Collection<String> keys, UUID except) {
        if (keys.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql("""
                        SELECT p.provider, c.slug FROM company_provider p JOIN company c ON c.id = p.company_id
                        WHERE p.provider = ANY(:keys) AND (CAST(:except AS uuid) IS NULL OR p.company_id <> :except)""")
                .bind("keys", keys.toArray(String[]::new))
                .bind("except", Binds.orNull(except, UUID.class))
                .map(row -> Map.entry(Rows.text(row, "provider"), Rows.text(row, "slug")))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    Mono<Boolean> slugTaken(String slug, UUID except) {
        return db.sql("SELECT count(*) AS n FROM company WHERE slug = :slug AND (CAST(:except AS uuid) IS NULL OR id <> :except)")
                .bind("slug", slug)
                .bind("except", Binds.orNull(except, UUID.class))
                .map(row -> row.get("n", Long.class) > 0)
                .one();
    }

    Mono<UUID> insert(String slug, String name, String description, String logoUrl, String website) {
        return db.sql("""
                        INSERT INTO company (slug, name, description, logo_url, website)
                        VALUES (:slug, :name, :description, :logoUrl, :website) RETURNING id""")
                .bind("slug", slug)
                .bind("name", name)
                .bind("description", Binds.text(description))
                .bind("logoUrl", Binds.text(logoUrl))
                .bind("website", Binds.text(website))
                .map(row -> Rows.uuid(row, "id"))
                .one();
    }

    /**
     * Sets the given columns and updated_at, only while the row is still the version the caller expects
     * (when it says which): PostgreSQL re-checks the WHERE on the latest committed row, so two updates based
     * on the same version cannot both land. False when no row matched.
     */
    Mono<Boolean> update(UUID id, Columns columns, OffsetDateTime expectedUpdatedAt) {
        StringBuilder sql = new StringBuilder("UPDATE company SET updated_at = now()");
        Map<String, Object> binds = new LinkedHashMap<>();
        binds.put("id", id);
        set(sql, binds, "slug", "slug", columns.slug());
        set(sql, binds, "name", "name", columns.name());
        set(sql, binds, "description", "description", columns.description());
        set(sql, binds, "logo_url", "logoUrl", columns.logoUrl());
        set(sql, binds, "website", "website", columns.website());
        sql.append(" WHERE id = :id");
        if (expectedUpdatedAt != null) {
            sql.append(" AND updated_at = :expected");
            binds.put("expected", expectedUpdatedAt);
        }
        return db.sql(sql.append(" RETURNING id").toString())
                .bindValues(binds)
                .map(row -> Rows.uuid(row, "id"))
                .all()
                .hasElements();
    }

    private static void set(StringBuilder sql, Map<String, Object> binds, String column, String name, ArgumentValue<String> value) {
        if (!value.isOmitted()) {
            sql.append(", ").append(column).append(" = :").append(name);
            binds.put(name, Binds.text(value.value()));
        }
    }

    /** Touches updated_at, e.g. when a company's provider keys changed. */
    Mono<Void> touch(UUID id) {
        return db.sql("UPDATE company SET updated_at = now() WHERE id = :id").bind("id", id).then();
    }

    Mono<Boolean> exists(UUID id) {
        return db.sql("SELECT count(*) AS n FROM company WHERE id = :id").bind("id", id)
                .map(row -> row.get("n", Long.class) > 0).one();
    }

    /** Locks the companies that exist among {@code ids}, in id order (two deletes moving into each other cannot deadlock). */
    Mono<Set<UUID>> lock(Collection<UUID> ids) {
        return db.sql("SELECT id FROM company WHERE id = ANY(:ids) ORDER BY id FOR UPDATE")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(row -> Rows.uuid(row, "id"))
                .all()
                .collect(LinkedHashSet::new, Set::add);
    }

    Mono<String> slugOf(UUID id) {
        return db.sql("SELECT slug FROM company WHERE id = :id").bind("id", id).map(row -> Rows.text(row, "slug")).one();
    }

    Mono<List<String>> keys(UUID company) {
        return db.sql("SELECT provider FROM company_provider WHERE company_id = :id ORDER BY provider")
                .bind("id", company)
                .map(row -> Rows.text(row, "provider"))
                .all()
                .collectList();
    }

    /** Makes {@code keys} the company's provider keys; a key another company owns fails on the primary key. */
    Mono<Void> replaceKeys(UUID company, Collection<String> current, Collection<String> keys) {
        Mono<Void> removed = db.sql("DELETE FROM company_provider WHERE company_id = :id AND provider <> ALL(:keys)")
                .bind("id", company)
                .bind("keys", keys.toArray(String[]::new))
                .then();
        List<String> added = keys.stream().filter(k -> !current.contains(k)).toList();
        Mono<Void> inserted = added.isEmpty() ? Mono.empty() : db.sql("""
                        INSERT INTO company_provider (provider, company_id) SELECT k, :id FROM unnest(CAST(:keys AS text[])) AS k""")
                .bind("id", company)
                .bind("keys", added.toArray(String[]::new))
                .then();
        return removed.then(inserted);
    }

    Mono<Long> modelCount(UUID company) {
        return db.sql("SELECT count(*) AS n FROM model WHERE company_id = :id AND deleted_at IS NULL").bind("id", company)
                .map(row -> row.get("n", Long.class)).one();
    }

    /**
     * Moves every model (company_manual as it is) and every provider key of {@code from} to {@code to}. The
     * models are stamped as written by a mutation, so a sync that read LiteLLM before this does not move them back.
     */
    Mono<Void> moveModelsAndKeys(UUID from, UUID to) {
        return db.sql("UPDATE model SET company_id = :to, updated_at = now(), local_write_at = now() "
                        + "WHERE company_id = :from AND deleted_at IS NULL")
                .bind("from", from).bind("to", to).then()
                .then(db.sql("UPDATE company_provider SET company_id = :to WHERE company_id = :from")
                        .bind("from", from).bind("to", to).then());
    }

    Mono<Void> delete(UUID id) {
        return db.sql("DELETE FROM company WHERE id = :id").bind("id", id).then();
    }

    /**
     * Gives the models that follow any of {@code changedKeys} (a deployment of theirs has that provider) the
     * company the models sync would give them now, by the sync's own choice over their ACTIVE deployments.
     * Models whose company an admin chose (company_manual) are left alone, checked again in SQL. A provider that
     * maps to no company casts no vote. Returns how many models changed company.
     */
    Mono<Integer> reassignModels(Collection<String> changedKeys) {
        if (changedKeys.isEmpty()) {
            return Mono.just(0);
        }
        Set<String> changed = Set.copyOf(changedKeys);
        Mono<Map<String, UUID>> mapping = db.sql("SELECT provider, company_id FROM company_provider")
                .map(row -> Map.entry(Rows.text(row, "provider"), Rows.uuid(row, "company_id")))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
        record Following(UUID company, List<String> providers) {
        }
        Mono<Map<UUID, Following>> models = db.sql("""
                        SELECT m.id, m.company_id, d.provider FROM model m JOIN deployment d ON d.model_id = m.id
                        WHERE NOT m.company_manual AND d.status = 'ACTIVE' AND m.deleted_at IS NULL AND d.deleted_at IS NULL
                        ORDER BY m.id, d.external_id""")
                .map(row -> new Object[] {Rows.uuid(row, "id"), Rows.uuid(row, "company_id"), Rows.text(row, "provider")})
                .all()
                .collect(LinkedHashMap::new, (Map<UUID, Following> byModel, Object[] r) -> byModel
                        .computeIfAbsent((UUID) r[0], id -> new Following((UUID) r[1], new ArrayList<>()))
                        .providers().add((String) r[2]));
        return Mono.zip(mapping, models).flatMap(t -> {
            Map<String, UUID> companyOfKey = t.getT1();
            List<UUID> ids = new ArrayList<>();
            List<UUID> companies = new ArrayList<>();
            t.getT2().forEach((model, following) -> {
                boolean follows = following.providers().stream().map(CompanyChoice::providerKey).anyMatch(changed::contains);
                if (!follows) {
                    return;
                }
                UUID company = CompanyChoice.choose(following.providers(),
                        provider -> companyOfKey.get(CompanyChoice.providerKey(provider)));
                if (!Objects.equals(company, following.company())) {
                    ids.add(model);
                    companies.add(company);
                }
            });
            if (ids.isEmpty()) {
                return Mono.just(0);
            }
            return db.sql("""
                            UPDATE model m SET company_id = r.company_id, updated_at = now(), local_write_at = now()
                            FROM unnest(CAST(:ids AS uuid[]), CAST(:companies AS uuid[])) AS r(id, company_id)
                            WHERE m.id = r.id AND NOT m.company_manual AND m.deleted_at IS NULL""")
                    .bind("ids", ids.toArray(UUID[]::new))
                    .bind("companies", companies.toArray(UUID[]::new))
                    .fetch()
                    .rowsUpdated()
                    .map(Long::intValue);
        });
    }
}
