package io.oneuihub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.oneuihub.dev.EmbeddedDatabase;
import io.oneuihub.dev.LocalIssuer;
import io.oneuihub.dev.litellm.LiteLlmSimulator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The product is the repackaged jar: this starts it the way an operator does ({@code java -jar}, configured only
 * through the documented environment variables) in a process of its own, against a real PostgreSQL, a real
 * issuer and the LiteLLM simulator running in this JVM. Every other test shares the application's class path
 * with the test classes and cannot notice a jar that does not start.
 */
class PackagedJarIT {

    private static final Duration READY_WITHIN = Duration.ofSeconds(90);
    private static final Duration SYNC_WITHIN = Duration.ofSeconds(60);
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(30);
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final JsonMapper json = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void theBuiltJarStartsServesTheCatalogRunsASyncAndStopsOnSigterm() throws Exception {
        // generated per run: no key-shaped literal in the sources
        String key = "sk-it-" + UUID.randomUUID().toString().replace("-", "");
        try (LiteLlmSimulator sim = LiteLlmSimulator.start(0, key).seedRealisticCatalog()) {
            Set<String> upstreamModels = modelNames(sim, key);
            String database = EmbeddedDatabase.createDatabase("hub_jar");
            int port = freePort();
            Path log = TARGET.resolve("packaged-jar-it.log");
            Path errors = TARGET.resolve("packaged-jar-it.stderr.log");

            ProcessBuilder builder = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", builtJar().toString())
                    .directory(TARGET.toFile())
                    .redirectOutput(log.toFile())
                    .redirectError(errors.toFile());
            Map<String, String> env = builder.environment();
            // the developer's shell must not configure the jar under test
            env.keySet().removeIf(name -> name.startsWith("SPRING_") || name.startsWith("HUB_")
                    || name.startsWith("LITELLM_") || name.equals("PORT"));
            env.put("SPRING_R2DBC_URL", EmbeddedDatabase.r2dbcUrl(database));
            env.put("SPRING_R2DBC_USERNAME", "postgres");
            env.put("SPRING_R2DBC_PASSWORD", "postgres");
            env.put("LITELLM_BASE_URL", sim.baseUrl());
            env.put("LITELLM_MASTER_KEY", key);
            env.put("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI", LocalIssuer.issuerUri());
            env.put("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWK_SET_URI", LocalIssuer.jwkSetUri());
            env.put("HUB_SECURITY_AUDIENCE", LocalIssuer.AUDIENCE);
            env.put("PORT", Integer.toString(port));
            // the structured console log an operator's collector reads: one JSON object per stdout line
            env.put("HUB_LOG_FORMAT", "json");

            Process hub = builder.start();
            try {
                URI base = URI.create("http://127.0.0.1:" + port);
                awaitReady(hub, base);

                Map<String, Object> empty = models(base, 5);
                assertThat(empty.get("totalCount")).as("catalog before any sync").isEqualTo(0);
                assertThat(edges(empty)).isEmpty();

                String admin = LocalIssuer.adminToken();
                Map<String, Object> started = graphql(base, admin, document("syncModels"), Map.of("dryRun", false));
                assertThat((List<?>) at(started, "syncModels", "userErrors")).isEmpty();
                String runId = (String) at(started, "syncModels", "run", "id");
                Map<String, Object> run = awaitRunEnd(hub, base, admin, runId);
                assertThat(run.get("status")).as("sync run %s: %s", runId, run.get("error")).isEqualTo("SUCCEEDED");
                assertThat((Integer) at(run, "counts", "created")).isPositive();

                Map<String, Object> page = models(base, 5);
                assertThat(page.get("totalCount")).as("one public model per LiteLLM model_name")
                        .isEqualTo(upstreamModels.size());
                List<Map<String, Object>> nodes = edges(page).stream().map(e -> asMap(e.get("node"))).toList();
                assertThat(nodes).hasSize(5);
                assertThat(nodes).allSatisfy(node -> {
                    assertThat(upstreamModels).contains((String) node.get("name"));
                    assertThat(node.get("status")).isEqualTo("ACTIVE");
                });
                assertThat(at(page, "pageInfo", "hasNextPage")).isEqualTo(true);
                System.out.printf("PackagedJarIT: %s served %s models after sync %s (counts %s)%n",
                        builder.command().get(2), page.get("totalCount"), runId, run.get("counts"));

                hub.destroy(); // SIGTERM, as docker stop and Kubernetes send it
                assertThat(hub.waitFor(EXIT_WITHIN.toSeconds(), TimeUnit.SECONDS))
                        .as("the hub exits within %s of SIGTERM", EXIT_WITHIN).isTrue();
                assertThat(Files.readString(log)).as("the LiteLLM master key in the hub's output").doesNotContain(key);
                assertThat(Files.readString(errors)).as("the LiteLLM master key in the hub's stderr").doesNotContain(key);
                assertJsonLog(log, runId);
            } catch (Throwable t) {
                throw new AssertionError(t.getMessage() + "\n--- last lines of " + log + " ---\n" + tail(log, 60)
                        + "\n--- last lines of " + errors + " ---\n" + tail(errors, 20), t);
            } finally {
                hub.destroyForcibly();
            }
        }
    }

    /**
     * HUB_LOG_FORMAT=json: every stdout line, from the first, is a JSON object (Elastic Common Schema); the line the
     * syncModels mutation logged while it ran names that request's executionId, lines of no request name none.
     */
    private static void assertJsonLog(Path log, String runId) throws IOException {
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).as("stdout lines").isNotEmpty();
        List<Map<String, Object>> entries = new ArrayList<>();
        for (String line : lines) {
            Object entry;
            try {
                entry = json.readValue(line, Object.class);
            } catch (RuntimeException notJson) {
                throw new AssertionError("a stdout line that is not JSON: " + line, notJson);
            }
            assertThat(entry).as("stdout line %s", line).isInstanceOf(Map.class);
            entries.add(asMap(entry));
        }
        assertThat(entries).allSatisfy(entry -> assertThat(entry).containsKeys("@timestamp", "log", "message"));
        Map<String, Object> started = entries.stream()
                .filter(entry -> String.valueOf(entry.get("message")).startsWith("Sync run " + runId + " (MODELS) started by"))
                .findFirst().orElseThrow(() -> new AssertionError("no line says sync run " + runId + " started"));
        assertThat(started.get("executionId")).as("executionId of %s", started).isInstanceOf(String.class)
                .asString().isNotBlank();
        assertThat(at(started, "log", "logger")).isEqualTo("io.oneuihub.sync.SyncEngine");
        Map<String, Object> ready = entries.stream()
                .filter(entry -> String.valueOf(entry.get("message")).startsWith("Started OneUiHubApplication"))
                .findFirst().orElseThrow(() -> new AssertionError("no start-up line"));
        assertThat(ready).as("a line of no request").doesNotContainKey("executionId");
    }

    /** The repackaged jar (the one Dockerfile copies), not the plain {@code .jar.original}. */
    private static Path builtJar() throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(TARGET, "oneuihub-graphql-*.jar")) {
            found.forEach(jars::add);
        }
        assertThat(jars).as("jars in %s (run after package)", TARGET).hasSize(1);
        return jars.get(0);
    }

    private void awaitReady(Process hub, URI base) throws Exception {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!hub.isAlive()) {
                fail("the jar exited with code " + hub.exitValue() + " before it was ready");
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200 && "UP".equals(asMap(json.readValue(response.body(), Map.class)).get("status"))) {
                    return;
                }
            } catch (IOException notListeningYet) {
                last = notListeningYet.toString();
            }
            Thread.sleep(250);
        }
        fail("not ready within " + READY_WITHIN + "; last readiness answer: " + last);
    }

    private Map<String, Object> awaitRunEnd(Process hub, URI base, String admin, String runId) throws Exception {
        long deadline = System.nanoTime() + SYNC_WITHIN.toNanos();
        while (true) {
            assertThat(hub.isAlive()).as("the hub is running").isTrue();
            Map<String, Object> run = asMap(at(graphql(base, admin, document("syncRun"), Map.of("id", runId)), "syncRun"));
            if (!"RUNNING".equals(run.get("status"))) {
                return run;
            }
            assertThat(System.nanoTime()).as("sync run %s still RUNNING after %s", runId, SYNC_WITHIN).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private Map<String, Object> models(URI base, int first) throws Exception {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("first", first);
        return asMap(graphql(base, null, document("modelsPage"), variables).get("models"));
    }

    /** POSTs a GraphQL request, anonymous when token is null; answers {@code data}, failing on any error. */
    private Map<String, Object> graphql(URI base, String token, String query, Map<String, Object> variables) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/graphql"))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .header("Accept", "application/graphql-response+json, application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("query", query, "variables", variables))));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("HTTP status of %s", response.body()).isEqualTo(200);
        Map<String, Object> body = asMap(json.readValue(response.body(), Map.class));
        assertThat(body.get("errors")).as("GraphQL errors").isNull();
        return asMap(body.get("data"));
    }

    /** The distinct {@code model_name}s LiteLLM reports, read as the hub reads them: over HTTP with the key. */
    private Set<String> modelNames(LiteLlmSimulator sim, String key) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/model/info"))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Set<String> names = new TreeSet<>();
        for (Object deployment : (List<?>) asMap(json.readValue(response.body(), Map.class)).get("data")) {
            names.add((String) asMap(deployment).get("model_name"));
        }
        assertThat(names).hasSizeGreaterThan(5);
        return names;
    }

    private static String document(String name) {
        try (var in = PackagedJarIT.class.getResourceAsStream("/graphql-test/" + name + ".graphql")) {
            assertThat(in).as("document %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Map<String, Object>> edges(Map<String, Object> connection) {
        return ((List<?>) connection.get("edges")).stream().map(PackagedJarIT::asMap).toList();
    }

    private static Object at(Map<String, Object> root, String... path) {
        Object node = root;
        for (String step : path) {
            node = asMap(node).get(step);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
