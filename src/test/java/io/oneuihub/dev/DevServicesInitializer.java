package io.oneuihub.dev;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points an application context at the embedded services: a fresh database on the shared embedded
 * PostgreSQL and the local OAuth2 issuer.
 */
public class DevServicesInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String database = EmbeddedDatabase.createDatabase("hub");
        TestPropertyValues.of(
                "spring.r2dbc.url=" + EmbeddedDatabase.r2dbcUrl(database),
                "spring.r2dbc.username=postgres",
                "spring.r2dbc.password=postgres",
                "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + LocalIssuer.issuerUri(),
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + LocalIssuer.jwkSetUri())
                .applyTo(context);
    }
}
