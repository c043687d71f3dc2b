import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fetch-and-parse without applying anything (no diff, no database), the yardstick of a models sync, two ways:
 * <ul>
 * <li>{@code jackson}: the floor. The same /v2/model/info pages the hub fetches (same page size and order), each
 * parsed into a Jackson tree, touching every deployment's id, with the JDK's HTTP client;</li>
 * <li>{@code hub}: the hub's own client ({@code LiteLlmClient.deploymentPages()}, from target/classes, with the
 * hub's defaults), which reads the pages into the records a sync plans from.</li>
 * </ul>
 * Prints one JSON line: the first pass (in this fresh JVM: cold, like a sync right after start-up) and the median
 * of the warm passes.
 *
 * Run: java -cp target/classes:target/test-classes:CP bench/FetchParse.java SIM_URL PAGE_SIZE [WARM_PASSES [jackson|hub]]
 * with LITELLM_MASTER_KEY set.
 */
public class FetchParse {

    record Pass(long nanos, int pages, int deployments, long bytes) {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int size = Integer.parseInt(args[1]);
        int warm = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        String mode = args.length > 3 ? args[3] : "jackson";
        String key = System.getenv("LITELLM_MASTER_KEY");
        if (mode.equals("hub")) {
            hubClient(base, key, size, warm);
            return;
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        JsonMapper json = JsonMapper.builder().build();

        Pass cold = pass(http, json, base, key, size);
        List<Long> warmNanos = new ArrayList<>();
        Pass last = cold;
        for (int i = 0; i < warm; i++) {
            last = pass(http, json, base, key, size);
            warmNanos.add(last.nanos());
        }
        Collections.sort(warmNanos);
        System.out.printf("{\"pages\":%d,\"deployments\":%d,\"bytes\":%d,\"coldMs\":%.1f,\"warmMedianMs\":%.1f,\"warmMinMs\":%.1f,\"warmPasses\":%d}%n",
                last.pages(), last.deployments(), last.bytes(), cold.nanos() / 1e6,
                warmNanos.get(warmNanos.size() / 2) / 1e6, warmNanos.get(0) / 1e6, warm);
    }

    /** The hub's LiteLlmClient as the application builds it from LITELLM_BASE_URL, the key and LITELLM_PAGE_SIZE. */
    static void hubClient(String base, String key, int size, int warm) {
        io.oneuihub.litellm.LiteLlmProperties properties = new io.oneuihub.litellm.LiteLlmProperties(base, key, null, null,
                null, null, null, size);
        io.oneuihub.litellm.LiteLlmClient client = new io.oneuihub.litellm.LiteLlmClient(
                org.springframework.web.reactive.function.client.WebClient.builder(), properties);
        long[] nanos = new long[warm + 1];
        int pages = 0;
        int deployments = 0;
        for (int i = 0; i <= warm; i++) {
            long start = System.nanoTime();
            List<io.oneuihub.litellm.DeploymentPage> read = client.deploymentPages().collectList().block(Duration.ofMinutes(2));
            nanos[i] = System.nanoTime() - start;
            pages = read.size();
            deployments = read.stream().mapToInt(p -> p.deployments().size()).sum();
        }
        List<Long> warmNanos = new ArrayList<>();
        for (int i = 1; i <= warm; i++) {
            warmNanos.add(nanos[i]);
        }
        Collections.sort(warmNanos);
        System.out.printf("{\"client\":\"LiteLlmClient.deploymentPages()\",\"pages\":%d,\"deployments\":%d,\"coldMs\":%.1f,\"warmMedianMs\":%.1f,\"warmMinMs\":%.1f,\"warmPasses\":%d}%n",
                pages, deployments, nanos[0] / 1e6, warmNanos.get(warmNanos.size() / 2) / 1e6, warmNanos.get(0) / 1e6, warm);
        System.exit(0); // reactor-netty's event loop threads are not daemons
    }

    static Pass pass(HttpClient http, JsonMapper json, String base, String key, int size) throws Exception {
        long start = System.nanoTime();
        int page = 1;
        int pages = 0;
        int deployments = 0;
        long bytes = 0;
        while (true) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v2/model/info?page=" + page + "&size=" + size
                            + "&sortBy=model_name&sortOrder=asc"))
                    .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30)).GET().build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("page " + page + ": HTTP " + response.statusCode());
            }
            bytes += response.body().length;
            JsonNode body = json.readTree(response.body());
            JsonNode data = body.path("data");
            for (JsonNode deployment : data) {
                if (deployment.path("model_info").path("id").asString().isEmpty()) {
                    throw new IllegalStateException("deployment without id on page " + page);
                }
                deployments++;
            }
            pages++;
            int totalPages = body.path("total_pages").asInt(page);
            if (page >= totalPages || data.isEmpty()) {
                break;
            }
            page++;
        }
        return new Pass(System.nanoTime() - start, pages, deployments, bytes);
    }
}
