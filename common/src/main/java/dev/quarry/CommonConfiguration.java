package dev.quarry;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * Imported by the api and worker applications: the job store, event store/bus, embedding model and the
 * idempotency-key records.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackages = {"dev.quarry.jobs", "dev.quarry.events", "dev.quarry.embedding", "dev.quarry.idempotency"})
public class CommonConfiguration {
}
