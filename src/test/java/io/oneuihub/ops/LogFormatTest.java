package io.oneuihub.ops;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What HUB_LOG_FORMAT (hub.log.format) turns into before Boot's logging starts. */
class LogFormatTest {

    @Test
    void textIsTheDefaultWithTheExecutionIdInBracketsAndJsonIsEcs() {
        StandardEnvironment text = environment(Map.of());
        assertThat(text.getProperty("logging.structured.format.console")).isNull();
        assertThat(text.getProperty("logging.pattern.correlation")).isEqualTo(LogFormat.TEXT_CORRELATION);

        assertThat(environment(Map.of("hub.log.format", "JSON")).getProperty("logging.structured.format.console")).isEqualTo("ecs");
        assertThat(environment(Map.of("hub.log.format", "logstash")).getProperty("logging.structured.format.console")).isEqualTo("logstash");
        // Boot's own property, set explicitly, outranks HUB_LOG_FORMAT
        assertThat(environment(Map.of("hub.log.format", "json", "logging.structured.format.console", "gelf"))
                .getProperty("logging.structured.format.console")).isEqualTo("gelf");
    }

    @Test
    void aTypoStopsTheStartInsteadOfLoggingText() {
        assertThatThrownBy(() -> environment(Map.of("hub.log.format", "jsno")))
                .hasMessageContaining("HUB_LOG_FORMAT is 'jsno'").hasMessageContaining("json");
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        new LogFormat().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }
}
