package dev.quarry.worker.deletion;

import dev.quarry.deletion.DocumentDeletions;
import dev.quarry.jobs.Job;
import dev.quarry.worker.testing.WorkerContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A DELETE_DOCUMENTS job on the real JobRunr server deletes its documents, and only those. */
class DeleteDocumentsIT extends WorkerContext {
    @Autowired DocumentDeletions deletions;
    @Autowired JdbcTemplate jdbc;
    private final String tenant = "bulk-delete-" + UUID.randomUUID();

    private UUID document(int chunks) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into documents (id, tenant_id, title, media_type, size_bytes, content_sha256, status, chunk_count)
                values (?, ?, 't', 'text/plain', 1, 'sha', 'INDEXED', ?)""", id, tenant, chunks);
        for (int i = 0; i < chunks; i++) {
            jdbc.update("""
                    insert into chunks (tenant_id, document_id, ordinal, text, token_count, embedding, embedding_version)
                    values (?, ?, ?, ?, 2, array_fill(0.1, array[384])::vector, 'v-bulk')""", tenant, id, i, "text " + i);
        }
        return id;
    }

    @Test
    void the_job_deletes_its_documents_with_their_chunks_and_leaves_the_others() {
        UUID first = document(3), second = document(2), other = document(1);

        Job job = deletions.request(tenant, List.of(first, second), "bulk-" + UUID.randomUUID(), null);
        await().atMost(Duration.ofSeconds(90)).until(() ->
                "SUCCEEDED".equals(jdbc.queryForObject("select status from jobs where id = ?", String.class, job.id())));

        assertThat(jdbc.queryForList("select id from documents where tenant_id = ?", UUID.class, tenant)).containsExactly(other);
        assertThat(jdbc.queryForObject("select count(*) from chunks where tenant_id = ?", Integer.class, tenant)).isEqualTo(1);
        assertThat(jdbc.queryForMap("select documents, chunks from document_deletions where job_id = ?", job.id()))
                .containsEntry("documents", 2).containsEntry("chunks", 5);
        assertThat(jdbc.queryForObject("select count(*) from job_events where job_id = ? and type = 'progress'",
                Integer.class, job.id())).isEqualTo(2);
        assertThat(deletions.remaining(job.id(), tenant)).isEmpty();
    }
}
