package io.oneuihub;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.oneuihub.budget.BudgetRepository;
import io.oneuihub.catalog.CompanyRepository;
import io.oneuihub.catalog.DeploymentRepository;
import io.oneuihub.catalog.ModelRepository;
import io.oneuihub.dev.DevCatalog;
import io.oneuihub.dev.LocalIssuer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** GraphQL clients over real HTTP, as anonymous, a plain user and an admin with real signed JWTs. */
public abstract class GraphQlTestSupport {

    @LocalServerPort
    protected int port;

    @Autowired
    protected DatabaseClient db;

    protected WebTestClient http() {
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60))
                .build();
    }

    protected HttpGraphQlTester anonymous() {
        return HttpGraphQlTester.create(http().mutate().baseUrl("http://127.0.0.1:" + port + "/graphql").build());
    }

    protected HttpGraphQlTester withToken(String token) {
        return anonymous().mutate().header("Authorization", "Bearer " + token).build();
    }

    protected HttpGraphQlTester admin() {
        return withToken(LocalIssuer.adminToken());
    }

    protected HttpGraphQlTester user() {
        return withToken(LocalIssuer.userToken());
    }

    @Autowired
    private org.springframework.context.ApplicationContext context;

    /** Replaces whatever is in the database with the realistic dev catalog. */
    protected void seedDevCatalog() {
        clearDatabase();
        DevCatalog.seed(context.getBean(CompanyRepository.class), context.getBean(ModelRepository.class),
                context.getBean(DeploymentRepository.class), context.getBean(BudgetRepository.class)).block();
    }

    /** Content checksum of every catalog and budget table: equal iff byte-for-byte the same rows. */
    protected Map<String, String> tableChecksums() {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String table : List.of("company", "model", "deployment", "budget")) {
            sums.put(table, db.sql("SELECT coalesce(md5(string_agg(t::text, ',' ORDER BY id)), 'empty') AS s FROM " + table + " t")
                    .map(row -> row.get("s", String.class)).one().block());
        }
        sums.put("company_provider", db.sql("SELECT coalesce(md5(string_agg(t::text, ',' ORDER BY provider)), 'empty') AS s FROM company_provider t")
                .map(row -> row.get("s", String.class)).one().block());
        return sums;
    }

    /** Empties every table so a test class starts from a known state whatever ran before it. */
    protected void clearDatabase() {
        db.sql("TRUNCATE company, company_provider, model, deployment, budget, sync_run CASCADE").then().block();
    }
}
