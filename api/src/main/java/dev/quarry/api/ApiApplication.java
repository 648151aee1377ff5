package dev.quarry.api;

import dev.quarry.CommonConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The thin HTTP API: authenticates, validates, stores uploads, records and enqueues jobs, and serves
 * status, events and search. It runs no background jobs (JobRunr's server is off here); its only
 * schedule is housekeeping: the enqueue outbox sweeper. The workers purge expired idempotency keys (a
 * JobRunr recurring job).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import(CommonConfiguration.class)
public class ApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(ApiApplication.class, args);
    }
}
