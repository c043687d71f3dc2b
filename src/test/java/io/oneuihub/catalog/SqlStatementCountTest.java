package io.oneuihub.catalog;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.IntegrationTest;
import io.r2dbc.proxy.ProxyConnectionFactory;
import io.r2dbc.proxy.core.QueryExecutionInfo;
import io.r2dbc.proxy.listener.ProxyExecutionListener;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Company and deployments are batch-loaded: a page costs the same number of SQL statements
 * whether it holds 1, 10 or 100 models.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlStatementCountTest extends GraphQlTestSupport {

    static final AtomicInteger statements = new AtomicInteger();

    /** The text of every statement but the sync's bookkeeping, in order. */
    static final List<String> texts = new CopyOnWriteArrayList<>();

    @TestConfiguration
    static class CountStatements {

        @Bean
        static BeanPostProcessor statementCounter() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (bean instanceof ConnectionFactory factory && name.equals("connectionFactory")) {
                        return ProxyConnectionFactory.builder(factory).listener(new ProxyExecutionListener() {
                            @Override
                            public void afterQuery(QueryExecutionInfo execution) {
                                // the sync engine's own bookkeeping (sweeps, event catch-up after LISTEN) runs in the
                                // background on the same pool and is no part of a page's cost
                                List<String> page = execution.getQueries().stream().map(query -> query.getQuery())
                                        .filter(query -> !query.contains("sync_run")).toList();
                                statements.addAndGet(page.size());
                                texts.addAll(page);
                            }
                        }).build();
                    }
                    return bean;
                }
            };
        }
    }

    @BeforeAll
    void seed() {
        clearDatabase();
        // 12 companies, 120 models with two deployments each.
        db.sql("""
                INSERT INTO company (slug, name) SELECT 'company-' || i, 'Company ' || i FROM generate_series(1, 12) i;
                INSERT INTO model (name, company_id, input_cost_per_token)
                  SELECT 'model-' || lpad(i::text, 4, '0'), (SELECT id FROM company WHERE slug = 'company-' || (i % 12 + 1)), i / 1e9
                  FROM generate_series(1, 120) i;
                UPDATE model SET capabilities = '{REASONING,VISION}' WHERE name = 'model-0001';
                INSERT INTO deployment (model_id, external_id, litellm_model, provider)
                  SELECT m.id, m.name || '-' || d, 'openai/' || m.name, 'openai' FROM model m, generate_series(1, 2) d;
                """).then().block();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100})
    void aPageCostsAConstantNumberOfStatements(int pageSize) {
        statements.set(0);
        admin().documentName("modelsWithRelations").variable("first", pageSize).execute()
                .path("models.nodes").entityList(Object.class).hasSize(pageSize)
                .path("models.nodes[0].company.name").hasValue()
                .path("models.nodes[0].deployments").entityList(Object.class).hasSize(2);

        // one page query (its companies joined, totalCount in it), one batch of deployments
        assertThat(statements.get()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 100})
    void aRepeatedAnonymousPageRunsOnlyTheVersionCheck(int pageSize) {
        String query = "query($first: Int) { models(first: $first) { totalCount nodes { name company { name } } } }";
        statements.set(0);
        anonymous().document(query).variable("first", pageSize).execute().path("models.nodes").entityList(Object.class).hasSize(pageSize);
        // the catalog version check, then the page (models, totalCount, companies)
        int first = statements.get();
        assertThat(first).isGreaterThan(1);

        statements.set(0);
        anonymous().document(query).variable("first", pageSize).execute().path("models.nodes").entityList(Object.class).hasSize(pageSize);
        // served from the catalog response cache: only the version check (SELECT version FROM catalog_version)
        assertThat(statements.get()).isEqualTo(1);
    }

    /** The array the page does not show is not read: the driver decodes no capabilities for it (issue 12's profile). */
    @Test
    void thePageStatementReadsCapabilitiesOnlyWhenTheyAreSelected() {
        texts.clear();
        anonymous().document("{ models(first: 3) { totalCount nodes { name company { name } pricing { inputCostPerToken } } } }")
                .execute().errors().verify().path("models.nodes[0].name").entity(String.class).isEqualTo("model-0001");
        assertThat(pageStatements()).singleElement().asString().doesNotContain("capabilities").doesNotContain("created_at");

        texts.clear();
        var response = anonymous().document("{ models(first: 3) { nodes { name capabilities company { name } } } }")
                .execute().errors().verify();
        response.path("models.nodes[0].capabilities").entityList(String.class).containsExactly("REASONING", "VISION");
        response.path("models.nodes[1].capabilities").entityList(String.class).hasSize(0);
        response.path("models.nodes[0].company.name").entity(String.class).isEqualTo("Company 2");
        assertThat(pageStatements()).singleElement().asString().contains("m.capabilities");
    }

    private static List<String> pageStatements() {
        return texts.stream().filter(sql -> sql.contains("FROM model m")).toList();
    }
}
