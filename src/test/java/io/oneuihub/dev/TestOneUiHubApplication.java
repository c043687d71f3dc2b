package io.oneuihub.dev;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.oneuihub.OneUiHubApplication;
import io.oneuihub.dev.litellm.LiteLlmSimulator;
import io.oneuihub.sync.SyncEngine;
import io.oneuihub.sync.SyncRun;
import io.oneuihub.sync.SyncRunRepository;
import io.oneuihub.sync.SyncStatus;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The dev launcher behind {@code mvn spring-boot:test-run}: embedded PostgreSQL, a local OAuth2 issuer that
 * prints ready-to-paste tokens, the LiteLLM simulator (seeded with a realistic catalog, on :4000 or a free port)
 * unless {@code LITELLM_BASE_URL} points at a real proxy, then the real application on :8080, whose catalog and
 * budgets come from LiteLLM through a real sync at start-up.
 */
public final class TestOneUiHubApplication {

    private static final int SIMULATOR_PORT = 4000;

    private TestOneUiHubApplication() {
    }

    public static void main(String[] args) {
        String database = EmbeddedDatabase.createDatabase("hub_dev");
        LocalIssuer.server();
        // System properties outrank application.yml; command-line arguments still outrank these.
        Map.of("spring.r2dbc.url", EmbeddedDatabase.r2dbcUrl(database),
                "spring.r2dbc.username", "postgres",
                "spring.r2dbc.password", "postgres",
                "spring.security.oauth2.resourceserver.jwt.issuer-uri", LocalIssuer.issuerUri(),
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri", LocalIssuer.jwkSetUri(),
                // the printed tokens carry this audience: bound to the hub, as production should be
                "hub.security.audience", LocalIssuer.AUDIENCE)
                .forEach(System::setProperty);
        String upstream = System.getenv("LITELLM_BASE_URL");
        String litellm;
        if (upstream == null || upstream.isBlank()) {
            // generated per start: no key-shaped literal in the sources
            String key = "sk-dev-" + UUID.randomUUID().toString().replace("-", "");
            LiteLlmSimulator sim = startSimulator(key).seedRealisticCatalog();
            Runtime.getRuntime().addShutdownHook(new Thread(sim::stop));
            System.setProperty("hub.litellm.base-url", sim.baseUrl());
            System.setProperty("hub.litellm.master-key", key);
            litellm = "LiteLLM simulator at " + sim.baseUrl() + " (" + sim.deploymentCount() + " deployments)";
        } else {
            litellm = "LiteLLM at " + upstream + " (LITELLM_BASE_URL; key from LITELLM_MASTER_KEY)";
        }
        ConfigurableApplicationContext context = SpringApplication.run(OneUiHubApplication.class, args);

        SyncEngine engine = context.getBean(SyncEngine.class);
        SyncRunRepository runs = context.getBean(SyncRunRepository.class);
        List<SyncEngine.Started> started = engine.both("startup").block(Duration.ofSeconds(30));
        String port = context.getEnvironment().getProperty("local.server.port", "8080");
        System.out.println();
        System.out.println("OneUIHub GraphQL is up: http://localhost:" + port + "/graphiql (endpoint /graphql)");
        System.out.println(litellm);
        for (SyncEngine.Started s : started == null ? List.<SyncEngine.Started>of() : started) {
            SyncRun run = awaitEnd(runs, s.run().id());
            System.out.println("Start-up " + run.kind().name().toLowerCase() + " sync " + run.status()
                    + (run.status() == SyncStatus.SUCCEEDED ? ": " + run.counts() : ": " + run.error()));
        }
        System.out.println("Paste a token into GraphiQL's Bearer token field (http://localhost:" + port + "/graphiql)");
        System.out.println("Admin token: " + LocalIssuer.adminToken());
        System.out.println("User token: " + LocalIssuer.userToken());
        System.out.println();
    }

    private static LiteLlmSimulator startSimulator(String key) {
        try {
            return LiteLlmSimulator.start(SIMULATOR_PORT, key);
        } catch (RuntimeException portTaken) {
            return LiteLlmSimulator.start(0, key);
        }
    }

    private static SyncRun awaitEnd(SyncRunRepository runs, UUID id) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            SyncRun run = runs.findById(id).block();
            if (run == null || run.status() != SyncStatus.RUNNING || System.nanoTime() > deadline) {
                return run;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return run;
            }
        }
    }
}
