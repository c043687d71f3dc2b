package io.oneuihub.catalog;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.IntegrationTest;
import io.oneuihub.budget.BudgetRepository;
import io.oneuihub.dev.DevCatalog;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class CatalogSmokeTest extends GraphQlTestSupport {

    @Autowired CompanyRepository companies;
    @Autowired ModelRepository models;
    @Autowired DeploymentRepository deployments;
    @Autowired BudgetRepository budgets;

    @Test
    void seededCatalogIsReadable() {
        clearDatabase();
        DevCatalog.seed(companies, models, deployments, budgets).block();
        anonymous().documentName("modelsPage").variable("first", 5).execute()
                .path("models.totalCount").entity(Integer.class).satisfies(n -> assertThat(n).isGreaterThan(50))
                .path("models.edges[0].node.company.slug").entity(String.class).isEqualTo("anthropic");
    }
}
