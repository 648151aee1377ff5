package dev.quarry.telemetry;

import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Exports the spans of both processes to a Zipkin server in Zipkin's JSON v2 format, when the standard
 * OpenTelemetry variable {@code OTEL_EXPORTER_ZIPKIN_ENDPOINT} names its spans URL (e.g.
 * {@code http://localhost:9411/api/v2/spans}); off when unset. Zipkin's released server takes no OTLP (its
 * OpenTelemetry collector is an unreleased module), so this is how a local Zipkin ({@code bin/quarry monitoring},
 * {@code ZipkinTraceIT}) gets Quarry's traces; it may run beside the OTLP export of {@link OtlpTraceExport}.
 * Spring Boot's own Zipkin configuration is excluded in both processes' configuration: it would export to
 * {@code localhost:9411} whenever nothing says otherwise.
 */
@Configuration(proxyBeanMethods = false)
class ZipkinTraceExport {
    static final String ENDPOINT = "otel.exporter.zipkin.endpoint";

    @Bean
    @ConditionalOnExpression("'${" + ENDPOINT + ":}' != ''")
    ZipkinSpanExporter quarryZipkinSpanExporter(Environment env) {
        return ZipkinSpanExporter.builder().setEndpoint(env.getProperty(ENDPOINT, "").trim()).build();
    }
}
