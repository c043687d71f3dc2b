package io.oneuihub.litellm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;

import io.oneuihub.catalog.ModelCapability;
import org.junit.jupiter.api.Test;

/** The variations API.md warns about that the fixtures do not all show. */
@SuppressWarnings("unchecked")
class LenientDecodingTest {

    private static tools.jackson.databind.JsonNode json(String text) {
        return WireJson.readTree(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsFloatsAndNumericStringsJsonStringColumnsAndASingleDataObject() {
        String body = """
                {"data": {"model_name": "solo",
                  "litellm_params": "{\\"model\\": \\"ollama/llama3\\", \\"rpm\\": \\"500\\", \\"tpm\\": 1000.0}",
                  "model_info": {"id": "abc", "db_model": "true", "max_input_tokens": 128000.0, "max_output_tokens": "4096",
                                 "input_cost_per_token": "0.0000025", "supports_vision": true, "unknown_field": [1, 2],
                                 "created_at": "2025-11-03T09:15:42", "updated_at": "2025-11-04T14:02:09+00:00"}}}
                """;
        assertThat(WireDecoder.deployments(json(body))).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo("abc");
            assertThat(d.provider()).isEqualTo("ollama");
            assertThat(d.rpm()).isEqualTo(500L);
            assertThat(d.tpm()).isEqualTo(1000L);
            assertThat(d.maxInputTokens()).isEqualTo(128000);
            assertThat(d.maxOutputTokens()).isEqualTo(4096);
            assertThat(d.inputCostPerToken().toPlainString()).isEqualTo("0.0000025");
            assertThat(d.editable()).isTrue();
            assertThat(d.capabilities()).containsExactly(ModelCapability.VISION);
            assertThat(d.createdAt()).isEqualTo(OffsetDateTime.parse("2025-11-03T09:15:42Z"));
            assertThat(d.updatedAt()).isEqualTo(OffsetDateTime.parse("2025-11-04T14:02:09Z"));
        });
    }

    @Test
    void customProviderWinsOverTheModelPrefixAndTeamNamesAreShown() {
        String body = """
                {"data": [{"model_name": "model_name_team1_0f0f", "litellm_params": {"model": "my-gw/x", "custom_llm_provider": "openai"},
                           "model_info": {"id": "t1", "team_public_model_name": "team-gpt"}}]}
                """;
        assertThat(WireDecoder.deployments(json(body))).singleElement().satisfies(d -> {
            assertThat(d.provider()).isEqualTo("openai");
            assertThat(d.modelName()).isEqualTo("team-gpt");
        });
    }

    @Test
    void modelBudgetsAcceptTheOldPlainNumberForm() {
        assertThat(WireDecoder.modelBudgets(json("{\"gpt-4o\": 12.5}"))).singleElement()
                .satisfies(b -> assertThat(b.maxBudget()).isEqualByComparingTo("12.5"));
        assertThat(WireDecoder.modelBudgets(json("\"{\\\"gpt-4o\\\": {\\\"max_budget\\\": 3}}\""))).hasSize(1);
    }

    @Test
    void maskedValuesAreRecognisedAndStripped() {
        assertThat(Secrets.isMasked("FwoG****************Ab12")).isTrue();
        assertThat(Secrets.isMasked("********")).isTrue();
        assertThat(Secrets.isMasked("openai/*")).isFalse();
        assertThat(Secrets.withoutMaskedValues(Map.of("aws_session_token", "FwoG****Ab12", "rpm", 5,
                "nested", Map.of("secret", "ab**cd", "plain", "x"))))
                .containsEntry("rpm", 5).doesNotContainKey("aws_session_token")
                .containsEntry("nested", Map.of("plain", "x"));
    }

    @Test
    void secretsLiteLlmLeftReadableAreMaskedBeforeTheyLeaveTheClient() {
        String body = """
                {"data": [{"model_name": "gw", "litellm_params": {"model": "openai/gpt-4o", "api_base": "https://gw.internal",
                           "input_cost_per_token": 0.000001, "aws_session_token": "FwoGZXIvYXdzEBYaDH7abc123",
                           "extra_headers": {"X-Api-Key": "live-header-secret-1234", "X-Trace": "on"},
                           "vertex_credentials_path": "short"},
                           "model_info": {"id": "m1"}}]}
                """;
        assertThat(WireDecoder.deployments(json(body))).singleElement().satisfies(d -> {
            assertThat(d.params()).containsEntry("model", "openai/gpt-4o").containsEntry("api_base", "https://gw.internal")
                    .containsEntry("aws_session_token", "FwoG*****************c123")
                    .containsEntry("vertex_credentials_path", "*****");
            assertThat(d.params().get("input_cost_per_token")).isNotInstanceOf(String.class);
            // any header may carry a credential, whatever its name: all values are masked
            assertThat((Map<String, Object>) d.params().get("extra_headers"))
                    .containsEntry("X-Api-Key", "live***************1234").containsEntry("X-Trace", "**");
            assertThat(d.params().toString()).doesNotContain("live-header-secret", "EBYaDH7abc");
        });
    }
}
