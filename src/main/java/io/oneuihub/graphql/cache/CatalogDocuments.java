package io.oneuihub.graphql.cache;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.language.AstPrinter;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.parser.Parser;

/**
 * What a query text is, as far as the cache cares: its compact form (whitespace, comments and commas do not split
 * entries) and, per operation, whether it is a query, a mutation/subscription, and whether all its root fields are
 * public catalog fields. Memoised by raw text in a bounded map, so a hit parses nothing.
 */
final class CatalogDocuments {

    /**
     * Root fields whose answers depend only on the catalog tables (company, company_provider, model, deployment),
     * which bump catalog_version, and on the caller's role, which is part of the key. Not here: budgets, spend,
     * sync runs and the live LiteLLM views (other tables or LiteLLM itself), and __schema/__type (they depend on
     * the introspection switch, and are cheap enough uncached).
     */
    static final Set<String> CATALOG_ROOTS = Set.of("models", "model", "companies", "company", "__typename");

    enum Kind { CATALOG_QUERY, OTHER_QUERY, NOT_A_QUERY }

    /** One query text: its compact form and each operation's kind by name (the one unnamed operation under ""). */
    record Analysis(String normalised, Map<String, Kind> operations) {

        static final Analysis UNPARSEABLE = new Analysis(null, Map.of());

        /**
         * The kind of the operation a request selects; null when graphql-java will refuse the request
         * (no such operation, or several without a name), so it never executes.
         */
        Kind select(String operationName) {
            if (operationName == null || operationName.isEmpty()) {
                return operations.size() == 1 ? operations.values().iterator().next() : null;
            }
            return operations.get(operationName);
        }
    }

    private final Cache<String, Analysis> analyses;
    private final int maxQueryLength;

    CatalogDocuments(int entries, int maxQueryLength) {
        this.analyses = Caffeine.newBuilder().maximumSize(entries).build();
        this.maxQueryLength = maxQueryLength;
    }

    /** Null when the text is too long to be worth remembering (the request then executes uncached). */
    Analysis analyse(String query) {
        if (query.length() > maxQueryLength) {
            return null;
        }
        return analyses.get(query, CatalogDocuments::parse);
    }

    static Analysis parse(String query) {
        Document document;
        try {
            document = Parser.parse(query);
        } catch (RuntimeException e) {
            // graphql-java reports the same syntax error when the request executes
            return Analysis.UNPARSEABLE;
        }
        Map<String, FragmentDefinition> fragments = new HashMap<>();
        for (FragmentDefinition fragment : document.getDefinitionsOfType(FragmentDefinition.class)) {
            fragments.put(fragment.getName(), fragment);
        }
        Map<String, Kind> operations = new HashMap<>();
        for (OperationDefinition operation : document.getDefinitionsOfType(OperationDefinition.class)) {
            Kind kind;
            if (operation.getOperation() != OperationDefinition.Operation.QUERY) {
                kind = Kind.NOT_A_QUERY;
            } else {
                kind = catalogOnly(operation.getSelectionSet(), fragments, new HashSet<>()) ? Kind.CATALOG_QUERY : Kind.OTHER_QUERY;
            }
            String name = operation.getName() == null ? "" : operation.getName();
            // two operations of one name: graphql-java refuses the document; never cache it
            operations.merge(name, kind, (a, b) -> Kind.NOT_A_QUERY);
        }
        return new Analysis(AstPrinter.printAstCompact(document), Map.copyOf(operations));
    }

    private static boolean catalogOnly(SelectionSet selections, Map<String, FragmentDefinition> fragments, Set<String> seen) {
        if (selections == null) {
            return false;
        }
        List<Selection> list = selections.getSelections();
        for (Selection<?> selection : list) {
            boolean ok;
            if (selection instanceof Field field) {
                ok = CATALOG_ROOTS.contains(field.getName());
            } else if (selection instanceof InlineFragment inline) {
                ok = catalogOnly(inline.getSelectionSet(), fragments, seen);
            } else if (selection instanceof FragmentSpread spread) {
                FragmentDefinition fragment = fragments.get(spread.getName());
                // a fragment spread twice was checked the first time (a cycle makes the document invalid anyway)
                ok = fragment != null && (!seen.add(spread.getName()) || catalogOnly(fragment.getSelectionSet(), fragments, seen));
            } else {
                ok = false;
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
