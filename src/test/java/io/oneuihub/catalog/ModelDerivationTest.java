package io.oneuihub.catalog;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The model values a group of deployments gives, whichever order the group comes in. */
class ModelDerivationTest {

    private static DeploymentRow d(String id, String mode, String in, Integer maxInput, Long rpm, ModelCapability... caps) {
        return new DeploymentRow(UUID.randomUUID(), id, null, "x/" + id, "openai", mode, in == null ? null : new BigDecimal(in),
                null, null, maxInput, null, rpm, null, List.of(caps), true, Map.of(), RecordStatus.ACTIVE);
    }

    @Test
    void modeByMajorityPricesLowestLimitsLargestRatesSummedCapabilitiesUnitedSmallestId() {
        List<DeploymentRow> group = List.of(
                d("c", "embedding", "0.000003", 8000, 100L, ModelCapability.VISION),
                d("a", "chat", "0.000002", null, null),
                d("b", "chat", null, 128000, 50L, ModelCapability.FUNCTION_CALLING, ModelCapability.VISION));
        UUID id = UUID.randomUUID();
        UUID company = UUID.randomUUID();
        ModelRow row = ModelDerivation.derive(id, "m", company, group);
        assertThat(row.id()).isEqualTo(id);
        assertThat(row.companyId()).isEqualTo(company);
        assertThat(row.mode()).isEqualTo("chat");
        assertThat(row.inputCostPerToken()).isEqualByComparingTo("0.000002");
        assertThat(row.outputCostPerToken()).isNull();
        assertThat(row.maxInputTokens()).isEqualTo(128000);
        assertThat(row.rpm()).isEqualTo(150L);
        assertThat(row.tpm()).isNull();
        assertThat(row.capabilities()).containsExactly(ModelCapability.FUNCTION_CALLING, ModelCapability.VISION);
        assertThat(row.externalId()).isEqualTo("a");
        assertThat(row.status()).isEqualTo(RecordStatus.ACTIVE);
        assertThat(ModelDerivation.derive(id, "m", company, List.of(group.get(2), group.get(0), group.get(1)))).isEqualTo(row);
    }

    @Test
    void aModeTieGoesToTheAlphabeticallyFirst() {
        assertThat(ModelDerivation.derive(UUID.randomUUID(), "m", null,
                List.of(d("1", "embedding", null, null, null), d("2", "chat", null, null, null))).mode()).isEqualTo("chat");
    }

    @Test
    void anEmptyGroupHasNothingToDeriveFrom() {
        assertThatThrownBy(() -> ModelDerivation.derive(UUID.randomUUID(), "m", null, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
