package dev.quarry.worker.ingest;

import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.jobs.IngestDocumentHandler;
import dev.quarry.jobs.IngestDocumentJob;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.testing.Databases;
import dev.quarry.worker.testing.Documents;
import dev.quarry.testing.SampleFiles;
import dev.quarry.worker.testing.WorkerContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every embedding of a job adds its tokens to its tenant's day; the in-process model costs nothing. */
class EmbeddingUsageIT extends WorkerContext {
    @Autowired IngestDocumentHandler handler;
    @Autowired PgJobStore jobs;
    @Autowired EmbeddingVersion version;
    @Autowired JdbcTemplate jdbc;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
    }

    @Test
    void usage_adds_up_per_tenant_and_day_at_zero_cost_for_the_in_process_model() throws Exception {
        // Distinct sentences: repeated chunk texts would be embedded (and billed) once, see EmbeddingCacheIT.
        UUID first = ingest("acme", sentences("Laminar flow over a flat plate at station", 60));
        UUID second = ingest("acme", sentences("Heat transfer near the stagnation point of body", 5));
        ingest("globex", "Buckling of thin cylindrical shells under axial compression.");

        Map<String, Object> acme = usage("acme");
        assertThat(acme).containsEntry("model", "all-minilm-l6-v2-q").containsEntry("version", version.tag())
                .containsEntry("tokens", tokens(first) + tokens(second))
                .containsEntry("segments", chunks(first) + chunks(second))
                .containsEntry("calls", 2L)
                .containsEntry("day", java.sql.Date.valueOf(LocalDate.now(ZoneOffset.UTC)));
        assertThat((BigDecimal) acme.get("cost_usd")).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat((Long) acme.get("tokens")).isPositive();
        assertThat(usage("globex")).containsEntry("segments", 1L).containsEntry("calls", 1L);
    }

    private UUID ingest(String tenant, String text) throws Exception {
        UUID documentId = Documents.insert(jdbc, tenant, SampleFiles.text("doc.txt", "text/plain", text));
        UUID jobId = UUID.randomUUID();
        jobs.create(new NewJob(jobId, tenant, JobType.INGEST, documentId, "k-" + jobId, null));
        handler.run(new IngestDocumentJob(jobId, documentId, tenant));
        return documentId;
    }

    private Map<String, Object> usage(String tenant) {
        return jdbc.queryForMap("select * from embedding_usage where tenant_id = ?", tenant);
    }

    private long tokens(UUID documentId) {
        return jdbc.queryForObject("select sum(token_count) from chunks where document_id = ?", Long.class, documentId);
    }

    private long chunks(UUID documentId) {
        return jdbc.queryForObject("select count(*) from chunks where document_id = ?", Long.class, documentId);
    }

    private static String sentences(String stem, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= count; i++) text.append(stem).append(' ').append(i).append(". ");
        return text.toString();
    }
}
