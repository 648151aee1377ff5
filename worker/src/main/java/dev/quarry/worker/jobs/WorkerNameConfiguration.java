package dev.quarry.worker.jobs;

import com.zaxxer.hikari.HikariDataSource;
import org.jobrunr.spring.autoconfigure.JobRunrProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Puts the {@link WorkerName} where others can see it: as JobRunr's server name (dashboard, and the
 * {@code ProcessingState} of each running job) and as the application_name of every database session,
 * before either is used.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class WorkerNameConfiguration {

    @Bean
    static BeanPostProcessor workerNameEverywhere(ObjectProvider<WorkerName> workerName) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof JobRunrProperties properties) {
                    properties.getBackgroundJobServer().setName(workerName.getObject().value());
                } else if (bean instanceof HikariDataSource dataSource) {
                    dataSource.addDataSourceProperty("ApplicationName", WorkerName.applicationName(workerName.getObject().value()));
                }
                return bean;
            }
        };
    }
}
