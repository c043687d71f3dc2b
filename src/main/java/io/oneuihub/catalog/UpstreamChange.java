package io.oneuihub.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.oneuihub.graphql.UserError;
import io.oneuihub.litellm.DeploymentUpdate;
import io.oneuihub.litellm.LiteLlmDeployment;

/**
 * The LiteLLM-owned part of a model mutation, checked and in LiteLLM's terms: litellm_params (model, api_base,
 * api_key, prices, rpm, tpm, further params) and model_info (mode, token limits). A key mapped to null clears
 * it (only prices can be cleared). {@link #expectations} say what LiteLLM must report afterwards, so a write it
 * accepted without applying (a proxy whose /model/update ignores model_info) is noticed and reported.
 */
record UpstreamChange(Map<String, Object> litellmParams, Map<String, Object> modelInfo, List<Expectation> expectations) {

    UpstreamChange {
        litellmParams = Collections.unmodifiableMap(new LinkedHashMap<>(litellmParams));
        modelInfo = Collections.unmodifiableMap(new LinkedHashMap<>(modelInfo));
        expectations = List.copyOf(expectations);
    }

    boolean isEmpty() {
        return litellmParams.isEmpty() && modelInfo.isEmpty();
    }

    DeploymentUpdate asUpdate() {
        return new DeploymentUpdate(null, litellmParams.isEmpty() ? null : litellmParams, modelInfo.isEmpty() ? null : modelInfo);
    }

    /** The fields LiteLLM reports other than asked, as userErrors (UPSTREAM_REJECTED) naming the deployment. */
    List<UserError> unapplied(LiteLlmDeployment reported) {
        List<UserError> errors = new ArrayList<>();
        for (Expectation expectation : expectations) {
            if (!expectation.met(reported)) {
                errors.add(new UserError(expectation.field(), expectation.explain(reported), "UPSTREAM_REJECTED"));
            }
        }
        return errors;
    }

    /**
     * One field LiteLLM must report after the write: a value (numbers compared as LiteLLM stores them, doubles),
     * or, for a cleared price, the custom price gone from litellm_params.
     */
    record Expectation(List<String> field, String label, Object expected, String clearedParam, boolean inModelInfo,
            Function<LiteLlmDeployment, Object> reported) {

        Expectation {
            field = List.copyOf(field);
        }

        static Expectation value(List<String> field, String label, Object expected, boolean inModelInfo,
                Function<LiteLlmDeployment, Object> reported) {
            return new Expectation(field, label, expected, null, inModelInfo, reported);
        }

        static Expectation cleared(List<String> field, String label, String param) {
            return new Expectation(field, label, null, param, false, d -> d.params().get(param));
        }

        boolean met(LiteLlmDeployment d) {
            if (clearedParam != null) {
                return !d.params().containsKey(clearedParam);
            }
            Object actual = reported.apply(d);
            if (expected instanceof BigDecimal e && actual instanceof BigDecimal a) {
                return Double.compare(e.doubleValue(), a.doubleValue()) == 0;
            }
            if (expected instanceof Number e && actual instanceof Number a) {
                return e.longValue() == a.longValue();
            }
            return Objects.equals(expected, actual);
        }

        String explain(LiteLlmDeployment d) {
            if (clearedParam != null) {
                return "LiteLLM accepted the write to deployment " + d.id() + " but kept its custom " + label
                        + " (proxies without PATCH /model/{id}/update cannot clear a price); the hub shows what LiteLLM reports.";
            }
            Object actual = reported.apply(d);
            return "LiteLLM accepted the write to deployment " + d.id() + " but reports " + label + " = "
                    + (actual instanceof BigDecimal b ? b.toPlainString() : actual) + ", not "
                    + (expected instanceof BigDecimal b ? b.toPlainString() : expected)
                    + (inModelInfo ? " (proxies without PATCH /model/{id}/update ignore model_info: mode and token limits)" : "")
                    + "; the hub shows what LiteLLM reports.";
        }
    }
}
