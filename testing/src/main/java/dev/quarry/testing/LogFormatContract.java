package dev.quarry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Boots a whole application (the api, the worker) with each value of QUARRY_LOG_FORMAT that
 * docker-compose.yml and the README document, and one they do not. The API used to stop at startup on
 * both documented values ("Unknown format": it read them as Spring Boot structured-logging formats).
 * Each application runs this contract through a subclass.
 */
@ExtendWith(OutputCaptureExtension.class)
public abstract class LogFormatContract {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The application class to boot. */
    protected abstract Class<?> application();

    /** Its spring.application.name, which JSON lines carry as {@code service}. */
    protected abstract String service();

    /** What the application needs beyond the test services, e.g. a JWT secret. */
    protected abstract Map<String, String> properties();

    private ConfigurableApplicationContext boot(String[] arguments) {
        // A test context cached earlier in this JVM has marked Logback as configured, and Spring Boot would
        // then skip configuring it for this boot: the format under test would never be applied.
        LoggingSystem.get(getClass().getClassLoader()).cleanUp();
        return new SpringApplicationBuilder(application()).run(arguments);
    }

    /** Command-line arguments, as a deployment's environment would: they outrank application.yml. */
    private String[] arguments(String format) {
        Map<String, String> properties = new TreeMap<>(TestServices.springProperties());
        properties.putAll(properties());
        properties.put("QUARRY_LOG_FORMAT", format);
        properties.put("server.port", "0");
        return properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new);
    }

    @Test
    void json_boots_and_writes_one_json_object_per_line_with_the_trace_id(CapturedOutput output) throws Exception {
        String[] arguments = arguments("json"); // before the mark: finding the test services logs too
        int mark = output.getOut().length();
        try (ConfigurableApplicationContext application = boot(arguments)) {
            assertThat(application.isRunning()).isTrue();
            MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
            try {
                LoggerFactory.getLogger(getClass()).info("a line for collectors");
            } finally {
                MDC.remove("traceId");
            }
        }

        List<String> lines = output.getOut().substring(mark).lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
        JsonNode ours = null;
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            if ("a line for collectors".equals(node.path("message").asText())) ours = node;
        }
        assertThat(ours).as("our line among %s", lines).isNotNull();
        assertThat(ours.path("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(ours.path("service").asText()).isEqualTo(service());
        assertThat(ours.path("level").asText()).isEqualTo("INFO");
    }

    @Test
    void plain_boots_and_writes_lines_for_people(CapturedOutput output) {
        String[] arguments = arguments("plain");
        int mark = output.getOut().length();
        try (ConfigurableApplicationContext application = boot(arguments)) {
            assertThat(application.isRunning()).isTrue();
            LoggerFactory.getLogger(getClass()).info("a line for people");
        }

        String logged = output.getOut().substring(mark);
        assertThat(logged).containsPattern(
                "INFO \\[[^]]+] " + getClass().getName().replace(".", "\\.") + " +- a line for people");
        assertThat(logged.lines()).noneMatch(line -> line.startsWith("{"));
    }

    @Test
    void an_undocumented_value_stops_the_application_at_startup_instead_of_silencing_it() {
        assertThatThrownBy(() -> boot(arguments("logstash")).close())
                .hasMessageContaining("QUARRY_LOG_FORMAT").hasMessageContaining("logstash");
    }
}
