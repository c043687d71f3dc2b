package io.oneuihub.db;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Flyway needs a JDBC URL while the application speaks R2DBC. Deriving one from
 * SPRING_R2DBC_URL means operators configure the database once; SPRING_FLYWAY_URL still wins.
 */
public class FlywayUrlFromR2dbc implements EnvironmentPostProcessor {

    static final String PROPERTY = "hub.flyway.derived-url";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String r2dbc = environment.getProperty("spring.r2dbc.url");
        if (r2dbc != null) {
            environment.getPropertySources().addLast(new MapPropertySource("flywayUrlFromR2dbc",
                    Map.of(PROPERTY, toJdbc(r2dbc))));
        }
    }

    static String toJdbc(String r2dbcUrl) {
        String url = r2dbcUrl.replaceFirst("^r2dbcs?:(pool:)?", "");
        int query = url.indexOf('?');
        return "jdbc:" + (query < 0 ? url : url.substring(0, query));
    }
}
