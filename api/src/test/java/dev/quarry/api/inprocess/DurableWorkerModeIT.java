package dev.quarry.api.inprocess;

import dev.quarry.api.ApiIntegrationTest;
import org.jobrunr.server.BackgroundJobServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default (USE_DURABLE_WORKER=true): the API runs no jobs. The worker's classes are on its class path for
 * the single-process mode, but neither JobRunr's server nor any of the worker's beans is created.
 */
class DurableWorkerModeIT extends ApiIntegrationTest {
    @Autowired
    ApplicationContext context;

    @Test
    void the_api_has_no_job_server_and_none_of_the_workers_beans() {
        assertThat(context.getBeanNamesForType(BackgroundJobServer.class)).isEmpty();
        assertThat(context.getBeanNamesForType(InProcessWorkerConfiguration.class)).isEmpty();
        assertThat(context.getBeanNamesForType(dev.quarry.worker.WorkerApplication.class)).isEmpty();
    }
}
