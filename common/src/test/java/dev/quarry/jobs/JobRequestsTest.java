package dev.quarry.jobs;

import org.jobrunr.jobs.JobDetails;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** JobRunr validates a JobRequest's handler when the job is created; the API enqueues without the worker. */
class JobRequestsTest {

    @Test
    void jobrunr_accepts_the_ingest_request_with_only_the_handler_interface_on_the_classpath() {
        var request = new IngestDocumentJob(UUID.randomUUID(), UUID.randomUUID(), "acme");

        assertThatCode(() -> new JobDetails(request)).doesNotThrowAnyException();
        assertThat(new JobDetails(request).getClassName()).isEqualTo(IngestDocumentHandler.class.getName());
    }
}
