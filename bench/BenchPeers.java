import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.oneuihub.dev.LocalIssuer;
import io.oneuihub.dev.litellm.LiteLlmSimulator;

/**
 * The hub's peers for bench/run, on the test class path: the LiteLLM simulator with the large synthetic catalog
 * and a real OAuth2 issuer (mock-oauth2-server), as PackagedJarIT starts them. Writes what the hub and the
 * load clients need (URLs, an admin token) to a shell-sourceable file, then runs until killed or until its
 * standard input closes, so it never outlives bench/run.
 *
 * Run: java -cp target/classes:target/test-classes:CP bench/BenchPeers.java OUT_FILE DEPLOYMENTS PROVIDERS
 * with LITELLM_MASTER_KEY set (bench/run generates one per run); SIM_PAGE_LATENCY_MS delays every page of
 * /v2/model/info by that long.
 */
public class BenchPeers {

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int deployments = Integer.parseInt(args[1]);
        int providers = Integer.parseInt(args[2]);
        String key = System.getenv("LITELLM_MASTER_KEY");
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("LITELLM_MASTER_KEY is not set");
        }
        LiteLlmSimulator sim = LiteLlmSimulator.start(0, key).generateLargeCatalog(deployments, providers);
        // a real proxy takes its time per page (Python, its own database); the local simulator answers at once
        long pageLatencyMs = Long.parseLong(System.getenv().getOrDefault("SIM_PAGE_LATENCY_MS", "0"));
        if (pageLatencyMs > 0) {
            sim.inject(io.oneuihub.dev.litellm.Fault.latency(Duration.ofMillis(pageLatencyMs)), "/v2/model/info");
        }
        String admin = LocalIssuer.token("admin@example.com", Map.of("roles", List.of("admin")), Duration.ofHours(24));
        String user = LocalIssuer.token("user@example.com", Map.of("roles", List.of("user")), Duration.ofHours(24));
        String env = String.join("\n",
                "SIM_URL=" + sim.baseUrl(),
                "ISSUER_URI=" + LocalIssuer.issuerUri(),
                "JWKS_URI=" + LocalIssuer.jwkSetUri(),
                "AUDIENCE=" + LocalIssuer.AUDIENCE,
                "ADMIN_TOKEN=" + admin,
                "USER_TOKEN=" + user,
                "");
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.writeString(tmp, env);
        Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("peers ready: simulator " + sim.baseUrl() + " (" + deployments + " deployments, " + providers
                + " providers, " + pageLatencyMs + " ms a model page), issuer " + LocalIssuer.issuerUri());
        // bench/run keeps a pipe open to our stdin; EOF means it is gone
        while (System.in.read() >= 0) {
            // discard
        }
        sim.stop();
        System.exit(0);
    }
}
