package dev.quarry.api.inprocess;

import dev.quarry.worker.WorkerApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The single-process mode ({@code quarry.use-durable-worker=false}, ROLLBACK_PLAN.md section 1): imports the
 * worker's whole configuration, so the API runs JobRunr's background job server with the same job handlers,
 * retry policy, filters, watchdog and recurring jobs as a worker process, on the same JobRunr storage. With the
 * default ({@code true}) nothing of the worker is loaded and the API only enqueues.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = InProcessWorkerSettings.FLAG, havingValue = "false")
@Import(WorkerApplication.class)
public class InProcessWorkerConfiguration {
}
