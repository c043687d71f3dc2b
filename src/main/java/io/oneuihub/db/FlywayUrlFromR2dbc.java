package io.oneuihub.db;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Flyway needs a JDBC URL while the application speaks R2DBC. Deriving one from
 * SPRING_R2DBC_URL means operators configure the database once; SPRING_FLYWAY_URL still wins.
 * The value is computed on each read, so a URL set later (by a test initializer) is honoured.
 */
public class FlywayUrlFromR2dbc implements EnvironmentPostProcessor {

    static final String PROPERTY = "hub.flyway.derived-url";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        // The source object must not be the environment itself: Boot adapts every source it finds.
        environment.getPropertySources().addLast(new PropertySource<>("flywayUrlFromR2dbc", new Object()) {
            @Override
            public Object getProperty(String name) {
                if (!PROPERTY.equals(name)) {
                    return null;
                }
                String r2dbc = environment.getProperty("spring.r2dbc.url");
                return r2dbc == null ? null : toJdbc(r2dbc);
            }
        });
    }

    static String toJdbc(String r2dbcUrl) {
        String url = r2dbcUrl.replaceFirst("^r2dbcs?:(pool:)?", "");
        int query = url.indexOf('?');
        return "jdbc:" + (query < 0 ? url : url.substring(0, query));
    }
}
