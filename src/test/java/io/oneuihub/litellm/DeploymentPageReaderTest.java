package io.oneuihub.litellm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import io.oneuihub.dev.litellm.LiteLlmSimulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;

/**
 * The one-pass page reader against the tree decoding it stands in for: on every shape it reads it must answer
 * exactly what the tree decoding answers (same rows, same exact numbers, same masked params), and the shapes
 * LiteLLM really sends must take the one-pass path rather than quietly falling back.
 */
class DeploymentPageReaderTest {

    /** Shapes LiteLLM sends (fixtures, API.md's variations): read in one pass. */
    static Stream<Arguments> sentShapes() {
        return Stream.of(
                Arguments.of("fixture v2 page", fixture("model_info_v2.200_page1.json")),
                Arguments.of("fixture unpaginated legacy v2", fixture("model_info_v2.200_unpaginated_legacy.json")),
                Arguments.of("fixture /model/info list", fixture("model_info.200_list.json")),
                Arguments.of("fixture /model/info by id", fixture("model_info.200_by_litellm_model_id.json")),
                Arguments.of("columns as JSON strings, numbers as strings and floats, a single data object", """
                        {"data": {"model_name": "solo",
                          "litellm_params": "{\\"model\\": \\"ollama/llama3\\", \\"rpm\\": \\"500\\", \\"tpm\\": 1000.0, \\"api_key\\": \\"plain-secret-value\\"}",
                          "model_info": "{\\"id\\": \\"abc\\", \\"db_model\\": \\"true\\", \\"max_input_tokens\\": 128000.0}"},
                         "total_count": "1", "current_page": 1.0, "total_pages": 1}
                        """),
                Arguments.of("bare list with nulls, unknown fields, nested params, exact decimals", """
                        [null, {"model_name": "a", "extra": {"x": [1, 2, {"y": null}]},
                                "litellm_params": {"model": "openai/gpt-4o", "input_cost_per_token": 2.50E-6, "rpm": 12,
                                  "extra_headers": {"Authorization": "Bearer abcdefghijkl"}, "tags": ["a", 1, 1.50, true, null]},
                                "model_info": {"id": "m1", "supports_vision": "yes", "max_tokens": "8192", "updated_at": "2025-11-04 14:02:09"}},
                         {"model_name": "no id", "model_info": {"mode": "chat"}},
                         {"model_name": "no info"}]
                        """),
                Arguments.of("team model, custom provider, null columns", """
                        {"data": [{"model_name": "model_name_team1_0f0f", "litellm_params": {"model": "my-gw/x", "custom_llm_provider": "openai"},
                                   "model_info": {"id": "t1", "team_public_model_name": "team-gpt"}},
                                  {"model_name": "n", "litellm_params": null, "model_info": {"id": "t2"}}],
                         "total_count": 2, "current_page": 1, "total_pages": 1, "size": 50}
                        """),
                Arguments.of("a string column that is not JSON", """
                        {"data": [{"model_name": "x", "litellm_params": "not json", "model_info": {"id": "s1"}},
                                  {"model_name": "y", "litellm_params": {"model": "a/b"}, "model_info": "{broken"}]}
                        """),
                Arguments.of("null body", "null"));
    }

    /** Shapes outside what the reader takes: the tree decoding decides, so the client still answers as before. */
    static Stream<Arguments> otherShapes() {
        return Stream.of(
                Arguments.of("a number as model name", "{\"data\": [{\"model_name\": 7, \"model_info\": {\"id\": \"a\"}}]}"),
                Arguments.of("a list as litellm_params", "{\"data\": [{\"model_name\": \"a\", \"litellm_params\": [1], \"model_info\": {\"id\": \"a\"}}]}"),
                Arguments.of("a string as data", "{\"data\": \"nothing\"}"),
                Arguments.of("a number as a data row", "{\"data\": [1]}"),
                Arguments.of("a number as the provider", "{\"data\": [{\"model_name\": \"a\", \"litellm_params\": {\"model\": 5}, \"model_info\": {\"id\": \"a\"}}]}"),
                Arguments.of("a bare string", "\"hello\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sentShapes")
    void readsWhatLiteLlmSendsInOnePassExactlyAsTheTreeDecodingDoes(String name, String body) {
        DeploymentPage onePass = DeploymentPageReader.read(bytes(body), 3);
        assertThat(onePass).as("taken by the one-pass reader").isNotNull();
        assertThat(onePass).isEqualTo(tree(body, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherShapes")
    void leavesOtherShapesToTheTreeDecoding(String name, String body) {
        assertThat(DeploymentPageReader.read(bytes(body), 1)).isNull();
    }

    @Test
    void theSimulatorsLargeCatalogPagesReadTheSameBothWays() throws Exception {
        String key = SimulatorSupport.newMasterKey();
        LiteLlmSimulator sim = LiteLlmSimulator.start(0, key).generateLargeCatalog(1200, 12);
        try {
            HttpClient http = HttpClient.newHttpClient();
            int rows = 0;
            for (int page = 1; page <= 3; page++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v2/model/info?page=" + page + "&size=500"))
                        .header("Authorization", "Bearer " + key).build();
                String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                DeploymentPage read = DeploymentPageReader.read(bytes(body), page);
                assertThat(read).isNotNull().isEqualTo(tree(body, page));
                rows += read.deployments().size();
            }
            assertThat(rows).isEqualTo(1200);
        } finally {
            sim.stop();
        }
    }

    @Test
    void malformedAndTruncatedJsonFailAsReadErrors() {
        String page = fixture("model_info_v2.200_page1.json");
        assertThatThrownBy(() -> DeploymentPageReader.read(bytes(page.substring(0, page.length() / 2)), 1))
                .isInstanceOf(StreamReadException.class);
        assertThatThrownBy(() -> DeploymentPageReader.read(bytes("{\"data\": [{\"model_name\": }]}"), 1))
                .isInstanceOf(StreamReadException.class);
    }

    private static DeploymentPage tree(String body, int page) {
        JsonNode node = WireJson.readTree(bytes(body));
        return node.isNull() ? new DeploymentPage(page, null, null, List.of()) : WireDecoder.deploymentPage(node, page);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String fixture(String file) {
        try (InputStream in = DeploymentPageReaderTest.class.getResourceAsStream("/litellm/fixtures/" + file)) {
            if (in == null) {
                throw new AssertionError("fixture copy missing: " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
