package io.oneuihub.budget;

import java.util.List;
import java.util.Map;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.IntegrationTest;
import io.oneuihub.dev.DevCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.ErrorType;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BudgetQueryTest extends GraphQlTestSupport {


    @BeforeAll
    void seed() {
        seedDevCatalog();
        db.sql("UPDATE budget SET status = 'STALE' WHERE external_id = 'pro_tier'").then().block();
    }

    @Test
    void adminsPageThroughActiveBudgetsWithSpendAndRemaining() {
        admin().documentName("budgets").variable("first", 2).execute()
                .path("budgets.totalCount").entity(Integer.class).isEqualTo(4)
                .path("budgets.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(true)
                .path("budgets.nodes[*].scope").entityList(String.class).containsExactly("CUSTOMER", "SHARED");
        admin().documentName("budgets").variable("filter", Map.of("scopes", List.of("TEAM"))).execute()
                .path("budgets.nodes[0].externalId").entity(String.class).isEqualTo("team-research")
                .path("budgets.nodes[0].remaining").entity(java.math.BigDecimal.class)
                .satisfies(remaining -> assertThat(remaining).isEqualByComparingTo("609.5"))
                .path("budgets.nodes[0].modelBudgets[0].model").entity(String.class).isEqualTo("gpt-4o");
        admin().documentName("budgets").variable("filter", Map.of("statuses", List.of("STALE"))).execute()
                .path("budgets.nodes[*].externalId").entityList(String.class).containsExactly("pro_tier");
        admin().documentName("budgets").variable("filter", Map.of("search", "ACME")).execute()
                .path("budgets.nodes[*].name").entityList(String.class).containsExactly("ACME Corp");
    }

    @Test
    void budgetByIdForAdmins() {
        String id = admin().documentName("budgets").variable("filter", Map.of("scopes", List.of("USER"))).execute()
                .path("budgets.nodes[0].id").entity(String.class).get();
        admin().documentName("budget").variable("id", id).execute()
                .path("budget.externalId").entity(String.class).isEqualTo("alice@example.com");
        admin().documentName("budget").variable("id", "00000000-0000-0000-0000-000000000000").execute()
                .path("budget").valueIsNull();
    }

    @Test
    void budgetsAreHiddenFromEveryoneElse() {
        anonymous().documentName("budgets").execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.UNAUTHORIZED).verify();
        user().documentName("budgets").execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.FORBIDDEN).verify();
        user().documentName("budget").variable("id", "00000000-0000-0000-0000-000000000000").execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.FORBIDDEN).verify()
                .path("budget").valueIsNull();
        // Authorization is decided before the arguments are looked at, so nothing leaks through validation errors.
        user().documentName("budgets").variable("first", 5000).execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.FORBIDDEN).verify();
    }
}
