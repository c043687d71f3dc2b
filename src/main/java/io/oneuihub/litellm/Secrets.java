package io.oneuihub.litellm;

import java.util.Map;
import java.util.regex.Pattern;

import io.oneuihub.security.SecretRedactor;

/** Keeps the master key (and anything shaped like a LiteLLM key) out of messages and logs. */
public final class Secrets {

    static final String REDACTED = SecretRedactor.REDACTED;

    // /model/info masks secrets as "abcd****wxyz" or "********"
    private static final Pattern MASKED = Pattern.compile("\\*{2,}");

    // compiled once: String.split compiles a multi-character pattern on every call, for every key of every deployment
    private static final Pattern NAME_SEPARATOR = Pattern.compile("[^a-z0-9]+");

    private final String masterKey;

    Secrets(String masterKey) {
        this.masterKey = masterKey == null || masterKey.isBlank() ? null : masterKey;
    }

    String redact(String text) {
        return SecretRedactor.redact(text, masterKey);
    }

    // LiteLLM's own rule for which litellm_params keys hold secrets (API.md 2.2); "cost" keys never do.
    private static final java.util.Set<String> SECRET_SEGMENTS = java.util.Set.of("key", "secret", "token", "auth",
            "password", "passwd", "credential", "credentials", "access", "private", "certificate");

    /**
     * litellm_params as the hub may store and show them. LiteLLM masks most secrets itself, but not
     * extra_headers values (issue #18818) and not on every version: mask whatever it left readable,
     * with its own scheme (first and last 4 characters kept), so values stay stable between syncs.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> maskForDisplay(Map<String, Object> params) {
        if (params == null) {
            return null;
        }
        Map<String, Object> shown = new java.util.LinkedHashMap<>();
        params.forEach((key, value) -> {
            if ("extra_headers".equals(key) && value instanceof Map<?, ?> headers) {
                Map<String, Object> masked = new java.util.LinkedHashMap<>();
                ((Map<String, Object>) headers).forEach((name, header) -> masked.put(name, mask(header)));
                shown.put(key, masked);
            } else {
                shown.put(key, isSecretName(key) ? mask(value) : value);
            }
        });
        return shown;
    }

    /** LiteLLM's rule for a litellm_params key that holds a secret (the model mutations treat those values as write-only). */
    public static boolean isSecretName(String key) {
        java.util.List<String> segments = java.util.Arrays.asList(NAME_SEPARATOR.split(key.toLowerCase(java.util.Locale.ROOT)));
        return !segments.contains("cost") && segments.stream().anyMatch(SECRET_SEGMENTS::contains);
    }

    private static Object mask(Object value) {
        if (!(value instanceof String text) || text.isEmpty() || isMasked(text)) {
            return value;
        }
        if (text.length() <= 8) {
            return "*".repeat(text.length());
        }
        return text.substring(0, 4) + "*".repeat(text.length() - 8) + text.substring(text.length() - 4);
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
