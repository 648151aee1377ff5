package dev.quarry.worker.testing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The spans the worker's real OpenTelemetry SDK finishes, kept in memory for assertions; Spring Boot's
 * tracing auto-configuration adds every span exporter bean to the SDK.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestSpans {
    @Bean
    InMemorySpanExporter inMemorySpanExporter() {
        return InMemorySpanExporter.create();
    }
}
