package io.oneuihub.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.oneuihub.IntegrationTest;
import io.oneuihub.dev.LocalIssuer;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The application as deployed with an audience check and an unreachable LiteLLM, plus the test-only admin subscription
 * {@link SecurityProbe}. Every class with this annotation shares one cached context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@IntegrationTest
@Import(SecurityProbe.class)
@TestPropertySource(properties = {
        "hub.security.audience=" + LocalIssuer.AUDIENCE,
        // Nothing listens on the discard port: live LiteLLM views fail fast with an upstream error.
        "hub.litellm.base-url=http://127.0.0.1:9",
        "hub.litellm.max-retries=0"})
public @interface SecuredApplicationTest {
}
