package io.oneuihub.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.IntegrationTest;
import io.oneuihub.catalog.CatalogJson.CompanyNode;
import io.oneuihub.catalog.CatalogJson.Page;
import io.oneuihub.dev.DevCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.test.tester.HttpGraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompanyQueryTest extends GraphQlTestSupport {

    private static final ParameterizedTypeReference<Page<CompanyNode>> COMPANY_PAGE = new ParameterizedTypeReference<>() {
    };


    @Autowired CompanyRepository companies;

    @BeforeAll
    void seed() {
        seedDevCatalog();
        db.sql("UPDATE model SET enabled = false WHERE name = 'claude-opus-4'").then().block();
    }

    @Test
    void companiesPageForwardAndBackwardWithTheirProviderKeys() {
        List<CompanyNode> forward = pageThrough(anonymous(), 5, false);
        List<CompanyNode> backward = pageThrough(anonymous(), 4, true);

        assertThat(forward).hasSize(DevCatalog.COMPANIES.size());
        assertThat(backward).extracting(CompanyNode::id).containsExactlyElementsOf(forward.stream().map(CompanyNode::id).toList());
        assertThat(forward).filteredOn(c -> c.slug().equals("google")).singleElement()
                .satisfies(google -> assertThat(google.providers()).containsExactly("gemini", "vertex_ai", "vertex_ai-language-models"));
        Page<CompanyNode> first = page(anonymous(), Map.of("first", 3));
        assertThat(first.totalCount()).isEqualTo(DevCatalog.COMPANIES.size());
    }

    @Test
    void companiesCanBeSearchedAndOrderedByCreation() {
        Page<CompanyNode> found = page(anonymous(), Map.of("filter", Map.of("search", "ai")));
        assertThat(found.nodes()).extracting(CompanyNode::slug)
                .containsExactlyInAnyOrder("openai", "mistral", "xai");
        Page<CompanyNode> newestFirst = page(anonymous(), Map.of("orderBy", Map.of("field", "CREATED_AT", "direction", "DESC")));
        assertThat(newestFirst.nodes().get(0).slug()).isEqualTo("perplexity");
    }

    @Test
    void companyBySlugOrIdListsOnlyVisibleModelsToThePublic() {
        String id = anonymous().documentName("companyWithModels").variable("slug", "anthropic").execute()
                .path("company.models[*].name").entityList(String.class)
                .contains("claude-sonnet-4").doesNotContain("claude-opus-4")
                .path("company.id").entity(String.class).get();
        admin().documentName("companyWithModels").variable("id", id).execute()
                .path("company.slug").entity(String.class).isEqualTo("anthropic")
                .path("company.models[*].name").entityList(String.class).contains("claude-opus-4").hasSize(5);
        anonymous().documentName("companyWithModels").variable("slug", "no-such-company").execute()
                .path("company").valueIsNull();
        anonymous().documentName("companyWithModels").execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.BAD_REQUEST).verify();
    }

    @Test
    void constraintViolationsSurfaceAsCleanErrors() {
        // The database, not the application, keeps slugs unique; the driver error must never reach a caller verbatim.
        assertThatThrownBy(() -> companies.insert("openai", "OpenAI again", null, null, null, List.of()).block())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> companies.insert("Not A Slug!", "Bad", null, null, null, List.of()).block())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> db.sql("INSERT INTO model (name, external_id) VALUES ('empty-external-id', '')").then().block())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> db.sql("INSERT INTO budget (scope, external_id, max_budget) VALUES ('SHARED', 'neg', -1)").then().block())
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    private List<CompanyNode> pageThrough(HttpGraphQlTester tester, int size, boolean backward) {
        List<CompanyNode> all = new ArrayList<>();
        String cursor = null;
        while (true) {
            Map<String, Object> vars = new java.util.HashMap<>();
            vars.put(backward ? "last" : "first", size);
            if (cursor != null) {
                vars.put(backward ? "before" : "after", cursor);
            }
            Page<CompanyNode> page = page(tester, vars);
            all.addAll(backward ? 0 : all.size(), page.nodes());
            if (!(backward ? page.pageInfo().hasPreviousPage() : page.pageInfo().hasNextPage())) {
                return all;
            }
            cursor = backward ? page.pageInfo().startCursor() : page.pageInfo().endCursor();
        }
    }

    private Page<CompanyNode> page(HttpGraphQlTester tester, Map<String, Object> vars) {
        return tester.documentName("companies").variables(vars).execute().path("companies").entity(COMPANY_PAGE).get();
    }
}
