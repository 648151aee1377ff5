package dev.quarry.telemetry;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Exports the spans of both processes over OTLP (HTTP/protobuf), configured by the standard OpenTelemetry
 * variables an operator already knows, instead of Spring's own property names: {@code OTEL_EXPORTER_OTLP_ENDPOINT}
 * (the collector's base URL; {@code /v1/traces} is appended, as the specification says) or
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (the full URL), and {@code OTEL_EXPORTER_OTLP_HEADERS} or
 * {@code OTEL_EXPORTER_OTLP_TRACES_HEADERS} ({@code key=value,key=value}). With neither endpoint set nothing is
 * exported; spans are still made, so trace and span ids reach the logs and the jobs. Spring Boot's tracing
 * auto-configuration adds this exporter to its OpenTelemetry SDK.
 */
@Configuration(proxyBeanMethods = false)
class OtlpTraceExport {
    static final String TRACES_ENDPOINT = "otel.exporter.otlp.traces.endpoint";
    static final String ENDPOINT = "otel.exporter.otlp.endpoint";

    @Bean
    @ConditionalOnExpression("'${" + TRACES_ENDPOINT + ":${" + ENDPOINT + ":}}' != ''")
    OtlpHttpSpanExporter quarryOtlpSpanExporter(Environment env) {
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder().setEndpoint(endpoint(env));
        headers(env.getProperty("otel.exporter.otlp.traces.headers", env.getProperty("otel.exporter.otlp.headers", "")))
                .forEach(builder::addHeader);
        return builder.build();
    }

    static String endpoint(Environment env) {
        String traces = env.getProperty(TRACES_ENDPOINT, "");
        if (!traces.isBlank()) return traces.trim();
        String base = env.getProperty(ENDPOINT, "").trim();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces";
    }

    static java.util.Map<String, String> headers(String list) {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (String pair : list.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) headers.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return headers;
    }
}
