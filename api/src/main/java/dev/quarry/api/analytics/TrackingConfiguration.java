package dev.quarry.api.analytics;

import dev.quarry.analytics.PgApiRequests;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Request tracking, on unless {@code quarry.analytics.tracking.enabled=false} ({@code QUARRY_ANALYTICS_TRACKING}):
 * the timing filter outside everything but the trace context (so the security chain, the rate limiter and the
 * idempotency filter are in the measured time), the caller's capture right behind the security chain, and the
 * background writer.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TrackingProperties.class)
@ConditionalOnProperty(name = "quarry.analytics.tracking.enabled", matchIfMissing = true)
class TrackingConfiguration {

    @Bean
    RequestTracker requestTracker(PgApiRequests rows, TrackingProperties properties, MeterRegistry meters) {
        return new RequestTracker(rows, properties, meters);
    }

    @Bean
    FilterRegistrationBean<RequestTrackingFilter> requestTrackingFilter(
            RequestTracker tracker,
            @Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> mappings) {
        FilterRegistrationBean<RequestTrackingFilter> registration = new FilterRegistrationBean<>(
                new RequestTrackingFilter(tracker, new RouteTemplates(mappings)));
        // Right after the trace context (HIGHEST_PRECEDENCE + 2).
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestTrackingFilter.CallerCapture> requestCallerCapture() {
        FilterRegistrationBean<RequestTrackingFilter.CallerCapture> registration = new FilterRegistrationBean<>(
                new RequestTrackingFilter.CallerCapture());
        // Behind the security chain and before the rate limiter (DEFAULT_FILTER_ORDER + 2), whose 429s then
        // carry their caller.
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 1);
        return registration;
    }
}
