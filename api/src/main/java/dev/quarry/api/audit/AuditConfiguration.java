package dev.quarry.api.audit;

import dev.quarry.audit.AuditTrail;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts {@link AuditedRequests} in front of every API route. */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration implements WebMvcConfigurer {
    private final AuditTrail trail;

    AuditConfiguration(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AuditedRequests(trail)).addPathPatterns("/api/**");
    }
}
