package io.oneuihub.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.oneuihub.sync.SyncChange.Action;
import io.oneuihub.sync.SyncChange.Entity;
import io.oneuihub.sync.SyncChange.FieldChange;

/**
 * What a sync would do: the changes with their before/after values, the counts, and the rows to write,
 * grouped by write statement (applied in insertion order). A dry run reports it; a real run applies it.
 */
final class Plan {

    private final List<SyncChange> changes = new ArrayList<>();
    private final Map<String, List<Map<String, Object>>> writes = new LinkedHashMap<>();
    private int created;
    private int updated;
    private int unchanged;
    private int stale;
    private int failed;

    /** Declares the statements in the order they must run (e.g. companies before models). */
    Plan statements(String... names) {
        for (String name : names) {
            writes.putIfAbsent(name, new ArrayList<>());
        }
        return this;
    }

    void write(String statement, Map<String, Object> row) {
        writes.computeIfAbsent(statement, k -> new ArrayList<>()).add(row);
    }

    void created(Entity entity, String key, Map<String, Object> after) {
        created++;
        List<FieldChange> fields = new ArrayList<>();
        after.forEach((field, value) -> fields.add(new FieldChange(field, null, value)));
        changes.add(new SyncChange(entity, key, Action.CREATE, fields, null));
    }

    /** Compares the LiteLLM-owned fields; answers true (and records the change) when any differs. */
    boolean compare(Entity entity, String key, Map<String, Object> before, Map<String, Object> after, boolean toStale) {
        List<FieldChange> fields = diff(before, after);
        if (fields.isEmpty()) {
            unchanged++;
            return false;
        }
        if (toStale) {
            stale++;
        } else {
            updated++;
        }
        changes.add(new SyncChange(entity, key, toStale ? Action.STALE : Action.UPDATE, fields, null));
        return true;
    }

    void updated(Entity entity, String key, List<FieldChange> fields) {
        updated++;
        changes.add(new SyncChange(entity, key, Action.UPDATE, fields, null));
    }

    void failed(Entity entity, String key, String message) {
        failed++;
        changes.add(new SyncChange(entity, key, Action.FAILED, List.of(), message));
    }

    static List<FieldChange> diff(Map<String, Object> before, Map<String, Object> after) {
        List<FieldChange> fields = new ArrayList<>();
        after.forEach((field, value) -> {
            Object old = before.get(field);
            if (!Objects.equals(old, value)) {
                fields.add(new FieldChange(field, old, value));
            }
        });
        return fields;
    }

    SyncCounts counts() {
        return new SyncCounts(created, updated, unchanged, stale, failed);
    }

    List<SyncChange> changes() {
        return changes;
    }

    Map<String, List<Map<String, Object>>> writes() {
        return writes;
    }

    int rowsToWrite() {
        return writes.values().stream().mapToInt(List::size).sum();
    }
}
