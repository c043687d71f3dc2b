package io.oneuihub.graphql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A WHERE clause assembled from optional filter arguments, with every value bound as a parameter
 * (never concatenated into the SQL).
 */
public final class SqlFilter {

    private final List<String> clauses = new ArrayList<>();
    private final Map<String, Object> binds = new LinkedHashMap<>();

    /** Adds {@code clause}, where {@code ?} stands for the bound {@code value}. Skipped when value is null. */
    public SqlFilter and(String clause, Object value) {
        if (value != null) {
            String name = "p" + binds.size();
            binds.put(name, value);
            clauses.add(clause.replace("?", ":" + name));
        }
        return this;
    }

    public SqlFilter and(String clause) {
        clauses.add(clause);
        return this;
    }

    public String where() {
        return clauses.isEmpty() ? "TRUE" : String.join(" AND ", clauses);
    }

    public DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec) {
        for (Map.Entry<String, Object> bind : binds.entrySet()) {
            spec = spec.bind(bind.getKey(), bind.getValue());
        }
        return spec;
    }

    /** Escapes LIKE wildcards so a search for "50%" matches the text "50%". */
    public static String containsPattern(String search) {
        String escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }
}
