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
 * The application as deployed with an audience check, plus the test-only admin subscription
 * {@link SecurityProbe}. Every class with this annotation shares one cached context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@IntegrationTest
@Import(SecurityProbe.class)
@TestPropertySource(properties = "hub.security.audience=" + LocalIssuer.AUDIENCE)
public @interface SecuredApplicationTest {
}
