package io.oneuihub.db;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Mono;

/**
 * What a write statement wrote: the row count and, for rows with a uuid key, their ids. A row the caller
 * passed whose id is missing here was left alone (a guard, a conflict or a tombstone stopped it).
 */
public record Written(int count, Set<UUID> ids) {

    public static final Written NONE = new Written(0, Set.of());

    public Written {
        ids = Set.copyOf(ids);
    }

    public static Written ids(Set<UUID> ids) {
        return new Written(ids.size(), ids);
    }

    /** Runs a statement whose rows are the written rows' ids ({@code RETURNING id}). */
    public static Mono<Written> returningIds(GenericExecuteSpec statement) {
        return statement.map(row -> row.get("id", UUID.class)).all().collect(HashSet<UUID>::new, Set::add).map(Written::ids);
    }

    public boolean contains(UUID id) {
        return ids.contains(id);
    }

    public Written plus(Written other) {
        Set<UUID> all = new HashSet<>(ids);
        all.addAll(other.ids);
        return new Written(count + other.count, all);
    }
}
