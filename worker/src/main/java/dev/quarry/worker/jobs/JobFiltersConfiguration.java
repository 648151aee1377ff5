package dev.quarry.worker.jobs;

import org.jobrunr.server.BackgroundJobServer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * Installs Quarry's job filters on JobRunr's BackgroundJobServer: the retry policy and each run's context
 * (span and log fields). JobRunr's Spring starter builds the
 * server without looking for filter beans, so they are handed to it as it is created, before it starts.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RetryProperties.class)
class JobFiltersConfiguration {

    @Bean
    static BeanPostProcessor quarryJobFilters(ObjectProvider<QuarryRetryPolicy> retryPolicy,
                                              ObjectProvider<JobRunContext> runContext) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof BackgroundJobServer server) server.setJobFilters(
                        List.of(retryPolicy.getObject(), runContext.getObject()));
                return bean;
            }
        };
    }
}
