package io.oneuihub.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.oneuihub.catalog.UpstreamChange.Expectation;
import io.oneuihub.graphql.UserError;
import io.oneuihub.litellm.LiteLlmDeployment;
import io.oneuihub.litellm.Secrets;
import org.springframework.graphql.data.ArgumentValue;

/**
 * The model mutations' input checks, made before LiteLLM or the database is called; every failure is collected
 * with its input path. Also collects the secret values of the input (apiKey, secret-named params), which no
 * message may repeat.
 */
final class ModelInputChecks {

    /** litellm_params keys a typed input field sets: giving them in params as well would be two answers to one question. */
    static final Set<String> TYPED_PARAMS = Set.of("model", "api_base", "api_key", "api_version", "input_cost_per_token",
            "output_cost_per_token", "rpm", "tpm");
    private static final Pattern MODE = Pattern.compile("^[a-z][a-z0-9_]*$");
    private static final Pattern ENV_REFERENCE = Pattern.compile("^os\\.environ/[A-Za-z_][A-Za-z0-9_]*$");
    /** A price per token above this is a typo (a per-million price sent per token), not a price. */
    private static final BigDecimal MAX_PRICE_PER_TOKEN = new BigDecimal("1000");
    /** The price columns' scale: a finer price cannot be stored. */
    private static final int PRICE_SCALE = 18;
    private static final int MAX_NAME = 256;

    final List<UserError> errors = new ArrayList<>();
    final Set<String> secrets = new LinkedHashSet<>();

    boolean failed() {
        return !errors.isEmpty();
    }

    UUID id(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            errors.add(UserError.invalid("'" + field + "' is not a valid id.", "input", field));
            return null;
        }
    }

    /** The model_info.id of a new deployment: the given UUID (a retry) or a new one. */
    String externalId(String value) {
        if (value == null) {
            return UUID.randomUUID().toString();
        }
        try {
            return UUID.fromString(value.strip()).toString();
        } catch (IllegalArgumentException e) {
            errors.add(UserError.invalid("externalId must be a UUID, e.g. one the hub returned as Deployment.externalId.",
                    "input", "externalId"));
            return null;
        }
    }

    String name(String value) {
        if (value == null || value.isBlank()) {
            errors.add(UserError.invalid("A model needs a name that is not blank.", "input", "name"));
            return null;
        }
        String name = value.strip();
        if (name.length() > MAX_NAME) {
            errors.add(UserError.invalid("A model name has at most " + MAX_NAME + " characters.", "input", "name"));
        }
        return name;
    }

    String description(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    ArgumentValue<String> description(ArgumentValue<String> value) {
        return value.isOmitted() ? value : ArgumentValue.ofNullable(description(value.value()));
    }

    ArgumentValue<Boolean> flag(String field, ArgumentValue<Boolean> value) {
        if (!value.isOmitted() && value.value() == null) {
            errors.add(UserError.invalid("'" + field + "' is true or false; it cannot be cleared.", "input", field));
        }
        return value;
    }

    /** Omitted: unchanged; null: follow the providers again; an id: chosen by hand. */
    ArgumentValue<UUID> companyId(ArgumentValue<String> value) {
        if (value.isOmitted()) {
            return ArgumentValue.omitted();
        }
        return value.value() == null ? ArgumentValue.ofNullable(null) : ArgumentValue.ofNullable(id("companyId", value.value()));
    }

    // ------------------------------------------------------------------ LiteLLM-owned fields

    /** Builds the LiteLLM side of a mutation field by field. */
    final class Upstream {

        private final Map<String, Object> params = new LinkedHashMap<>();
        private final Map<String, Object> info = new LinkedHashMap<>();
        private final List<Expectation> expectations = new ArrayList<>();
        private final boolean update;

        Upstream(boolean update) {
            this.update = update;
        }

        UpstreamChange build() {
            return new UpstreamChange(params, info, expectations);
        }

        Upstream litellmModel(String field, ArgumentValue<String> value) {
            if (value.isOmitted()) {
                return this;
            }
            String model = value.value() == null ? null : value.value().strip();
            if (model == null || model.isEmpty() || model.chars().anyMatch(Character::isWhitespace)) {
                errors.add(UserError.invalid("litellmModel is LiteLLM's provider/model, e.g. openai/gpt-4o: not blank, no spaces.",
                        "input", field));
                return this;
            }
            params.put("model", model);
            expectations.add(Expectation.value(List.of("input", field), "litellmModel", model, false, LiteLlmDeployment::litellmModel));
            return this;
        }

        Upstream apiBase(ArgumentValue<String> value) {
            if (value.isOmitted() || (!update && value.value() == null)) {
                return this;
            }
            String base = value.value() == null ? null : value.value().strip();
            if (base == null) {
                errors.add(UserError.invalid("LiteLLM cannot remove a param: apiBase cannot be cleared, only replaced.", "input", "apiBase"));
            } else if (!HttpUrls.valid(base) && !ENV_REFERENCE.matcher(base).matches()) {
                errors.add(UserError.invalid("apiBase must be an http or https URL, or an os.environ/NAME reference.", "input", "apiBase"));
            } else {
                params.put("api_base", base);
            }
            return this;
        }

        Upstream apiVersion(ArgumentValue<String> value) {
            if (value.isOmitted() || (!update && value.value() == null)) {
                return this;
            }
            if (value.value() == null || value.value().isBlank()) {
                errors.add(UserError.invalid("apiVersion cannot be blank" + (update ? " or cleared (LiteLLM cannot remove a param)" : "") + ".",
                        "input", "apiVersion"));
            } else {
                params.put("api_version", value.value().strip());
            }
            return this;
        }

        Upstream apiKey(ArgumentValue<String> value) {
            if (value.isOmitted() || (!update && value.value() == null)) {
                return this;
            }
            if (value.value() == null || value.value().isBlank()) {
                errors.add(UserError.invalid("apiKey cannot be blank" + (update ? " or cleared (LiteLLM cannot remove a param)" : "") + ".",
                        "input", "apiKey"));
            } else {
                secrets.add(value.value());
                params.put("api_key", value.value());
            }
            return this;
        }

        @SuppressWarnings("unchecked")
        Upstream params(ArgumentValue<Object> value) {
            if (value.isOmitted() || value.value() == null) {
                if (update && !value.isOmitted()) {
                    errors.add(UserError.invalid("LiteLLM cannot remove params: leave params out to keep them.", "input", "params"));
                }
                return this;
            }
            if (!(value.value() instanceof Map<?, ?> given)) {
                errors.add(UserError.invalid("params is a JSON object of litellm_params.", "input", "params"));
                return this;
            }
            ((Map<Object, Object>) given).forEach((rawKey, param) -> {
                String key = String.valueOf(rawKey);
                if (key.isBlank()) {
                    errors.add(UserError.invalid("A param needs a name.", "input", "params"));
                } else if (TYPED_PARAMS.contains(key)) {
                    errors.add(UserError.invalid("Set '" + key + "' with its own input field (litellmModel, apiBase, apiKey, apiVersion, "
                            + "pricing, limits), not in params.", "input", "params", key));
                } else if (param == null) {
                    errors.add(UserError.invalid("LiteLLM cannot remove a param: leave '" + key + "' out to keep it.", "input", "params", key));
                } else {
                    collectSecrets(key, param);
                    params.put(key, param);
                }
            });
            return this;
        }

        Upstream mode(ArgumentValue<String> value) {
            if (value.isOmitted() || (!update && value.value() == null)) {
                return this;
            }
            String mode = value.value() == null ? null : value.value().strip().toLowerCase(Locale.ROOT);
            if (mode == null) {
                errors.add(UserError.invalid("LiteLLM cannot clear a deployment's mode; set another one.", "input", "mode"));
            } else if (!MODE.matcher(mode).matches()) {
                errors.add(UserError.invalid("mode is one of LiteLLM's modes, e.g. chat, embedding, completion, image_generation.",
                        "input", "mode"));
            } else {
                info.put("mode", mode);
                expectations.add(Expectation.value(List.of("input", "mode"), "mode", mode, true, LiteLlmDeployment::mode));
            }
            return this;
        }

        Upstream pricing(ArgumentValue<PricingInput> value) {
            if (value.isOmitted() || (!update && value.value() == null)) {
                return this;
            }
            PricingInput pricing = value.value();
            if (pricing == null) { // update: remove both custom prices
                clearPrice(List.of("input", "pricing"), "input_cost_per_token", "inputCostPerToken");
                clearPrice(List.of("input", "pricing"), "output_cost_per_token", "outputCostPerToken");
                return this;
            }
            boolean perToken = given(pricing.inputCostPerToken()) || given(pricing.outputCostPerToken());
            boolean perMillion = given(pricing.inputCostPerMillionTokens()) || given(pricing.outputCostPerMillionTokens());
            if (perToken && perMillion) {
                errors.add(UserError.invalid("Give prices per token or per million tokens, not both.", "input", "pricing"));
                return this;
            }
            price(pricing.inputCostPerToken(), "inputCostPerToken", "input_cost_per_token", 0, LiteLlmDeployment::inputCostPerToken);
            price(pricing.outputCostPerToken(), "outputCostPerToken", "output_cost_per_token", 0, LiteLlmDeployment::outputCostPerToken);
            price(pricing.inputCostPerMillionTokens(), "inputCostPerMillionTokens", "input_cost_per_token", 6,
                    LiteLlmDeployment::inputCostPerToken);
            price(pricing.outputCostPerMillionTokens(), "outputCostPerMillionTokens", "output_cost_per_token", 6,
                    LiteLlmDeployment::outputCostPerToken);
            return this;
        }

        private void price(ArgumentValue<BigDecimal> value, String field, String param, int perPower,
                Function<LiteLlmDeployment, Object> reported) {
            if (!given(value)) {
                return;
            }
            List<String> path = List.of("input", "pricing", field);
            if (value.value() == null) {
                if (update) {
                    clearPrice(path, param, field);
                }
                return;
            }
            BigDecimal perToken = value.value().movePointLeft(perPower);
            BigDecimal stripped = perToken.stripTrailingZeros();
            if (perToken.signum() < 0) {
                errors.add(UserError.invalid("A price cannot be negative.", path.toArray(String[]::new)));
            } else if (perToken.compareTo(MAX_PRICE_PER_TOKEN) > 0) {
                errors.add(UserError.invalid("A price above " + MAX_PRICE_PER_TOKEN.movePointRight(perPower).toPlainString()
                        + " USD is not a price (per-million prices belong in the PerMillionTokens fields).", path.toArray(String[]::new)));
            } else if (stripped.scale() > PRICE_SCALE) {
                errors.add(UserError.invalid("A price per token has at most " + PRICE_SCALE + " decimals.", path.toArray(String[]::new)));
            } else {
                BigDecimal plain = stripped.scale() < 0 ? stripped.setScale(0) : stripped;
                params.put(param, plain);
                expectations.add(Expectation.value(path, field, plain, false, reported));
            }
        }

        private void clearPrice(List<String> path, String param, String label) {
            params.put(param, null);
            expectations.add(Expectation.cleared(path, label, param));
        }

        Upstream limits(ArgumentValue<LimitsInput> value) {
            if (value.isOmitted() || (!update && value.value() == null)) {
                return this;
            }
            LimitsInput limits = value.value();
            if (limits == null) {
                errors.add(UserError.invalid("LiteLLM cannot clear limits; leave limits out to keep them.", "input", "limits"));
                return this;
            }
            limit(limits.maxTokens(), "maxTokens", info, "max_tokens", true, LiteLlmDeployment::maxTokens);
            limit(limits.maxInputTokens(), "maxInputTokens", info, "max_input_tokens", true, LiteLlmDeployment::maxInputTokens);
            limit(limits.maxOutputTokens(), "maxOutputTokens", info, "max_output_tokens", true, LiteLlmDeployment::maxOutputTokens);
            limit(limits.rpm(), "rpm", params, "rpm", false, LiteLlmDeployment::rpm);
            limit(limits.tpm(), "tpm", params, "tpm", false, LiteLlmDeployment::tpm);
            return this;
        }

        private void limit(ArgumentValue<? extends Number> value, String field, Map<String, Object> target, String key,
                boolean inModelInfo, Function<LiteLlmDeployment, Object> reported) {
            if (value == null || value.isOmitted() || (!update && value.value() == null)) {
                return;
            }
            String[] path = {"input", "limits", field};
            if (value.value() == null) {
                errors.add(UserError.invalid("LiteLLM cannot clear " + field + "; set another value.", path));
            } else if (value.value().longValue() < 0) {
                errors.add(UserError.invalid(field + " cannot be negative.", path));
            } else {
                target.put(key, value.value());
                expectations.add(Expectation.value(List.of(path), field, value.value(), inModelInfo, reported));
            }
        }
    }

    Upstream upstream(boolean update) {
        return new Upstream(update);
    }

    // ------------------------------------------------------------------ helpers

    private static boolean given(ArgumentValue<?> value) {
        return value != null && !value.isOmitted();
    }

    /** Values under secret-named keys (and every extra_headers value) are write-only. */
    @SuppressWarnings("unchecked")
    private void collectSecrets(String key, Object value) {
        if ("extra_headers".equals(key) && value instanceof Map<?, ?> headers) {
            headers.values().forEach(header -> {
                if (header instanceof String text && !text.isBlank()) {
                    secrets.add(text);
                }
            });
            return;
        }
        if (Secrets.isSecretName(key)) {
            addSecretValues(value);
        } else if (value instanceof Map<?, ?> nested) {
            ((Map<Object, Object>) nested).forEach((k, v) -> collectSecrets(String.valueOf(k), v));
        }
    }

    private void addSecretValues(Object value) {
        if (value instanceof String text && !text.isBlank()) {
            secrets.add(text);
        } else if (value instanceof Map<?, ?> nested) {
            nested.values().forEach(this::addSecretValues);
        } else if (value instanceof List<?> list) {
            list.forEach(this::addSecretValues);
        }
    }

    /** Replaces every secret of the input in a message that leaves the service. */
    String scrub(String message) {
        if (message == null) {
            return null;
        }
        String out = message;
        for (String secret : secrets) {
            if (secret.length() >= 4) {
                out = out.replace(secret, io.oneuihub.security.SecretRedactor.REDACTED);
            }
        }
        return out;
    }

    UserError scrub(UserError error) {
        return new UserError(error.field(), scrub(error.message()), error.code());
    }
}
