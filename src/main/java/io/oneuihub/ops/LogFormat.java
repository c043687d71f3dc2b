package io.oneuihub.ops;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * HUB_LOG_FORMAT ({@code hub.log.format}): {@code text} (the default) keeps Boot's console lines, with the
 * execution id in brackets on lines logged for a GraphQL request; {@code json} turns on Boot's structured console
 * logging in the Elastic Common Schema, one JSON object per line, the execution id in its {@code executionId}
 * field. Boot's own format names ({@code ecs}, {@code logstash}, {@code gelf}) are taken as they are. Anything
 * else stops the start: a typo would otherwise silently log text where a collector expects JSON. Runs after the
 * configuration files are read and before the logging system starts; Boot's own logging.* properties, when set,
 * outrank what this adds.
 */
public class LogFormat implements EnvironmentPostProcessor {

    static final String PROPERTY = "hub.log.format";
    private static final Set<String> BOOT_FORMATS = Set.of("ecs", "logstash", "gelf");
    /** "[id] " on lines that have an execution id, nothing on the others. */
    static final String TEXT_CORRELATION = "%replace(%X{" + ExecutionIdAccessor.MDC_KEY + "}){'^(.+)$','[$1] '}";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String format = environment.getProperty(PROPERTY, "text").trim().toLowerCase(Locale.ROOT);
        Map<String, Object> properties;
        if (format.isEmpty() || format.equals("text")) {
            properties = Map.of("logging.pattern.correlation", TEXT_CORRELATION);
        } else if (format.equals("json")) {
            properties = Map.of("logging.structured.format.console", "ecs");
        } else if (BOOT_FORMATS.contains(format)) {
            properties = Map.of("logging.structured.format.console", format);
        } else {
            throw new IllegalStateException("HUB_LOG_FORMAT is '" + format + "': use text (the default) or json "
                    + "(or one of Boot's structured formats: ecs, logstash, gelf)");
        }
        environment.getPropertySources().addLast(new MapPropertySource("hubLogFormat", properties));
    }
}
