package dev.quarry.worker.ingest;

import dev.quarry.jobs.IngestDocumentHandler;
import dev.quarry.jobs.IngestDocumentJob;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobStatus;
import dev.quarry.worker.testing.Documents;
import dev.quarry.testing.SampleFiles;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 3: a job re-executed after a crash skips the steps an earlier attempt completed. */
class IngestResumeIT extends IngestJobTest {
    @Autowired IngestDocumentHandler handler;

    @Test
    void a_job_re_executed_after_its_store_committed_does_no_work_again_and_keeps_its_chunks() throws Exception {
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("r.txt", "text/plain", report("store")));
        Job job = ingest.submit("acme", documentId);
        assertThat(ingest.awaitFinished("acme", job.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
        List<Map<String, Object>> stored = chunks(documentId);
        double embedded = ingest.segmentsEmbedded();
        long extracted = ingest.ran("extract");
        double storeSkipped = ingest.skipped("store");

        // The worker died after the store transaction committed, before JobRunr recorded the run as done.
        jdbc.update("update jobs set status = 'RUNNING' where id = ?", job.id());
        handler.run(new IngestDocumentJob(job.id(), documentId, "acme"));

        assertThat(jobs.find("acme", job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(chunks(documentId)).as("the very same rows, not replaced ones").isEqualTo(stored);
        assertThat(ingest.segmentsEmbedded()).isEqualTo(embedded);
        assertThat(ingest.ran("extract")).isEqualTo(extracted);
        assertThat(ingest.skipped("store")).isEqualTo(storeSkipped + 1);
        assertThat(jdbc.queryForList("select step from pipeline_steps where document_id = ? order by step",
                String.class, documentId)).containsExactly("scrub", "store");
        assertThat(jdbc.queryForObject("select data->>'chunkCount' from job_events where job_id = ? and type = 'succeeded' "
                + "order by id desc limit 1", Integer.class, job.id())).isEqualTo(stored.size());
    }

    @Test
    void a_re_run_after_a_crash_between_scrub_and_embed_resumes_from_the_stored_text() throws Exception {
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("r.txt", "text/plain", report("scrub")));
        Job job = ingest.submit("acme", documentId);
        assertThat(ingest.awaitFinished("acme", job.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
        List<Object> texts = chunks(documentId).stream().map(c -> c.get("text")).toList();
        // The state a crash after the scrub step's commit leaves: text and its record, nothing stored. The
        // original bytes are swapped (same hash on record) so that extracting again would show in the chunks.
        jdbc.update("delete from chunks where document_id = ?", documentId);
        jdbc.update("delete from pipeline_steps where document_id = ? and step = 'store'", documentId);
        jdbc.update("update documents set status = 'PENDING', chunk_count = 0 where id = ?", documentId);
        jdbc.update("update document_contents set bytes = ? where document_id = ?",
                "extracted again".getBytes(StandardCharsets.UTF_8), documentId);
        jdbc.update("update jobs set status = 'RUNNING' where id = ?", job.id());
        long extracted = ingest.ran("extract");
        double scrubSkipped = ingest.skipped("scrub");

        handler.run(new IngestDocumentJob(job.id(), documentId, "acme"));

        assertThat(jobs.find("acme", job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(chunks(documentId)).extracting(c -> c.get("text")).containsExactlyElementsOf(texts);
        assertThat(ingest.ran("extract")).isEqualTo(extracted);
        assertThat(ingest.skipped("scrub")).isEqualTo(scrubSkipped + 1);
        assertThat(Documents.status(jdbc, documentId)).isEqualTo("INDEXED");
    }

    @Test
    void a_step_record_cannot_be_duplicated() {
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("r.txt", "text/plain", "words"));
        String insert = "insert into pipeline_steps (document_id, content_sha256, step, embedding_version) values (?, 'h', 'store', 'v')";
        jdbc.update(insert, documentId);

        assertThatThrownBy(() -> jdbc.update(insert, documentId)).isInstanceOf(DuplicateKeyException.class);
    }

    private List<Map<String, Object>> chunks(UUID documentId) {
        return jdbc.queryForList("select id, ordinal, text, created_at from chunks where document_id = ? order by ordinal",
                documentId);
    }

    /** Well over one chunk; {@code topic} keeps each test's text its own. */
    private static String report(String topic) {
        StringBuilder text = new StringBuilder("Resume report on " + topic + ". Contact ada@example.com.\n\n");
        for (int i = 0; i < 40; i++) {
            text.append("Run ").append(i).append(" of the ").append(topic)
                    .append(" series measured the hypersonic heat shield at Mach ").append(5 + i % 7)
                    .append(" while the boundary layer stayed laminar over the forebody. ");
            if (i % 6 == 5) text.append("\n\n");
        }
        return text.toString();
    }
}
