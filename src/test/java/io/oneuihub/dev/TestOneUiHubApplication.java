package io.oneuihub.dev;

import java.util.Map;

import io.oneuihub.OneUiHubApplication;
import io.oneuihub.budget.BudgetRepository;
import io.oneuihub.catalog.CompanyRepository;
import io.oneuihub.catalog.DeploymentRepository;
import io.oneuihub.catalog.ModelRepository;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.scheduler.Schedulers;

/**
 * The dev launcher behind {@code mvn spring-boot:test-run}: embedded PostgreSQL, a local OAuth2
 * issuer that prints ready-to-paste tokens, then the real application on :8080.
 */
public final class TestOneUiHubApplication {

    private TestOneUiHubApplication() {
    }

    public static void main(String[] args) {
        String database = EmbeddedDatabase.createDatabase("hub_dev");
        LocalIssuer.server();
        // System properties outrank application.yml; command-line arguments still outrank these.
        Map.of("spring.r2dbc.url", EmbeddedDatabase.r2dbcUrl(database),
                "spring.r2dbc.username", "postgres",
                "spring.r2dbc.password", "postgres",
                "spring.security.oauth2.resourceserver.jwt.issuer-uri", LocalIssuer.issuerUri())
                .forEach(System::setProperty);
        ConfigurableApplicationContext context = SpringApplication.run(OneUiHubApplication.class, args);

        DevCatalog.seed(context.getBean(CompanyRepository.class), context.getBean(ModelRepository.class),
                        context.getBean(DeploymentRepository.class), context.getBean(BudgetRepository.class))
                .subscribeOn(Schedulers.boundedElastic())
                .block();
        String port = context.getEnvironment().getProperty("local.server.port", "8080");
        System.out.println();
        System.out.println("OneUIHub GraphQL is up: http://localhost:" + port + "/graphiql (endpoint /graphql)");
        System.out.println("Seeded " + DevCatalog.COMPANIES.size() + " companies and " + DevCatalog.MODELS.size() + " models.");
        System.out.println("Paste a token into GraphiQL's Headers tab as {\"Authorization\": \"Bearer <token>\"}");
        System.out.println("Admin token: " + LocalIssuer.adminToken());
        System.out.println("User token: " + LocalIssuer.userToken());
        System.out.println();
    }
}
