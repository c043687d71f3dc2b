package io.oneuihub.security;

import java.util.regex.Pattern;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The one place that decides what counts as a secret in text leaving the service: the LiteLLM
 * master key (whatever its shape), anything shaped like a LiteLLM/OpenAI key ({@code sk-...}),
 * bearer tokens and JWTs. Every GraphQL error message passes through it before it is sent.
 */
@Component
public class SecretRedactor {

    public static final String REDACTED = "[REDACTED]";

    // "sk-" plus a long token; LiteLLM's own abbreviation "sk-...Zq4w" is left alone.
    private static final Pattern KEY_SHAPED = Pattern.compile("sk-[A-Za-z0-9_\\-]{6,}");
    private static final Pattern JWT_SHAPED = Pattern.compile("eyJ[A-Za-z0-9_\\-]{5,}\\.[A-Za-z0-9_\\-]{5,}(\\.[A-Za-z0-9_\\-]*)?");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+[A-Za-z0-9\\-._~+/]+=*");

    private final String masterKey;

    public SecretRedactor(@Value("${hub.litellm.master-key:}") String masterKey) {
        this.masterKey = masterKey == null || masterKey.isBlank() ? null : masterKey;
    }

    public String redact(String text) {
        return redact(text, masterKey);
    }

    /** For code outside Spring's wiring (the LiteLLM client's exceptions) that knows the key itself. */
    public static String redact(String text, String masterKey) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = masterKey == null || masterKey.isBlank() ? text : text.replace(masterKey, REDACTED);
        out = BEARER.matcher(out).replaceAll("Bearer " + REDACTED);
        out = JWT_SHAPED.matcher(out).replaceAll(REDACTED);
        return KEY_SHAPED.matcher(out).replaceAll(REDACTED);
    }
}
