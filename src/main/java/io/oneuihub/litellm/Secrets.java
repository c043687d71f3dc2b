package io.oneuihub.litellm;

import java.util.Map;
import java.util.regex.Pattern;

import io.oneuihub.security.SecretRedactor;

/** Keeps the master key (and anything shaped like a LiteLLM key) out of messages and logs. */
final class Secrets {

    static final String REDACTED = SecretRedactor.REDACTED;

    // /model/info masks secrets as "abcd****wxyz" or "********"
    private static final Pattern MASKED = Pattern.compile("\\*{2,}");

    private final String masterKey;

    Secrets(String masterKey) {
        this.masterKey = masterKey == null || masterKey.isBlank() ? null : masterKey;
    }

    String redact(String text) {
        return SecretRedactor.redact(text, masterKey);
    }

    /** True for values LiteLLM masked on the way out; sending them back would overwrite the real secret. */
    static boolean isMasked(Object value) {
        if (!(value instanceof String s) || s.isEmpty()) {
            return false;
        }
        return MASKED.matcher(s).find() || s.chars().allMatch(c -> c == '*');
    }

    /** Copy of params without masked values, recursing into nested objects. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withoutMaskedValues(Map<String, Object> params) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>();
        params.forEach((key, value) -> {
            if (isMasked(value)) {
                return;
            }
            copy.put(key, value instanceof Map<?, ?> nested ? withoutMaskedValues((Map<String, Object>) nested) : value);
        });
        return copy;
    }
}
