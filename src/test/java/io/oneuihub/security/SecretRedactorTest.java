package io.oneuihub.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretRedactorTest {

    @Test
    void masterKeyKeyShapedStringsTokensAreRedacted() {
        SecretRedactor redactor = new SecretRedactor("my-master-key-42");
        assertThat(redactor.redact("LiteLLM said: bad key my-master-key-42")).doesNotContain("my-master-key-42");
        assertThat(redactor.redact("value 'sk-abcdefgh12345'")).isEqualTo("value '[REDACTED]'");
        assertThat(redactor.redact("Authorization: Bearer abc.def-ghi")).doesNotContain("abc.def-ghi");
        assertThat(redactor.redact("token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl end"))
                .isEqualTo("token [REDACTED] end");
        assertThat(redactor.redact("LiteLLM's abbreviation sk-...Zq4w stays")).contains("sk-...Zq4w");
        assertThat(new SecretRedactor("").redact("plain text")).isEqualTo("plain text");
    }
}
