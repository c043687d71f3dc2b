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
 * The floor under a models sync: fetch the same /v2/model/info pages the hub fetches (same page size and order)
 * from the simulator and parse each into a Jackson tree, touching every deployment's id, and nothing more (no
 * diff, no database). Prints one JSON line: the first (cold JVM) pass and the median of the warm passes.
 *
 * Run: java -cp target/classes:target/test-classes:CP bench/FetchParse.java SIM_URL PAGE_SIZE [WARM_PASSES]
 * with LITELLM_MASTER_KEY set.
 */
public class FetchParse {

    record Pass(long nanos, int pages, int deployments, long bytes) {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int size = Integer.parseInt(args[1]);
        int warm = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        String key = System.getenv("LITELLM_MASTER_KEY");
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
