package dev.quarry.worker.testing;

import dev.quarry.testing.TestServices;
import dev.quarry.worker.WorkerApplication;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole worker application, JobRunr's background server included, against the test PostgreSQL and
 * Redis. Integration tests extend this so they share one Spring context (and one model load): the context
 * cache key includes the {@code @DynamicPropertySource} methods, so they must all be this one.
 */
// Tracing on, as in production (Boot's tests turn it off), with the finished spans kept for JobSpansIT.
@AutoConfigureObservability
@SpringBootTest(classes = {WorkerApplication.class, TestSpans.class})
public abstract class WorkerContext {

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.register(registry);
    }
}
