package dev.quarry.worker.ingest;

import dev.quarry.chunks.NewChunk;
import dev.quarry.chunks.PgChunkStore;
import dev.quarry.documents.PgDocumentStore;
import dev.quarry.testing.Databases;
import dev.quarry.worker.testing.Documents;
import dev.quarry.testing.SampleFiles;
import dev.quarry.worker.testing.WorkerContext;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store step's write: the document marked INDEXED and its chunks of one version replaced, in one transaction. */
class StoreStepIT extends WorkerContext {
    @Autowired PgChunkStore chunks;
    @Autowired PgDocumentStore documents;
    @Autowired PgCheckpoints checkpoints;
    @Autowired TransactionTemplate tx;
    @Autowired JdbcTemplate jdbc;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
    }

    @Test
    void replacing_twice_leaves_one_set_of_chunks() {
        UUID doc = Documents.insert(jdbc, "acme", SampleFiles.text("a.txt", "text/plain", "words"));

        replace("acme", doc, "v1", 3);
        replace("acme", doc, "v1", 2);

        assertThat(jdbc.queryForList("select ordinal from chunks where document_id = ? order by ordinal", Integer.class, doc))
                .containsExactly(0, 1);
        assertThat(jdbc.queryForObject("select chunk_count from documents where id = ?", Integer.class, doc)).isEqualTo(2);
    }

    @Test
    void other_embedding_versions_are_left_alone() {
        UUID doc = Documents.insert(jdbc, "acme", SampleFiles.text("a.txt", "text/plain", "words"));

        replace("acme", doc, "v1", 2);
        replace("acme", doc, "v2", 1);

        assertThat(jdbc.queryForObject("select count(*) from chunks where document_id = ? and embedding_version = 'v1'",
                Integer.class, doc)).isEqualTo(2);
    }

    @Test
    void a_tenant_can_neither_read_nor_replace_another_tenants_document() {
        UUID doc = Documents.insert(jdbc, "acme", SampleFiles.text("a.txt", "text/plain", "words"));
        replace("acme", doc, "v1", 2);

        assertThat(documents.content("other", doc, Documents.contentSha256(jdbc, doc))).isEmpty();
        assertThat(documents.content("acme", doc, Documents.contentSha256(jdbc, doc))).isPresent();
        assertThatThrownBy(() -> replace("other", doc, "v1", 5)).isInstanceOf(UnprocessableDocumentException.class);

        assertThat(jdbc.queryForObject("select count(*) from chunks where document_id = ?", Integer.class, doc)).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from chunks where tenant_id = 'other'", Integer.class)).isZero();
        assertThat(Documents.status(jdbc, doc)).isEqualTo("INDEXED");
    }

    @Test
    void chunks_of_a_content_that_was_replaced_meanwhile_are_not_stored() {
        UUID doc = Documents.insert(jdbc, "acme", SampleFiles.text("a.txt", "text/plain", "words"));
        replace("acme", doc, "v1", 2);
        String before = Documents.contentSha256(jdbc, doc);
        jdbc.update("update documents set content_sha256 = 'newer' where id = ?", doc);

        assertThatThrownBy(() -> tx.executeWithoutResult(s -> step("v1").store("acme", doc, before, rows(5))))
                .isInstanceOf(UnprocessableDocumentException.class).hasMessageContaining("replaced");
        assertThat(jdbc.queryForObject("select count(*) from chunks where document_id = ?", Integer.class, doc)).isEqualTo(2);
    }

    private void replace(String tenant, UUID doc, String version, int count) {
        String sha256 = Documents.contentSha256(jdbc, doc);
        tx.executeWithoutResult(s -> step(version).store(tenant, doc, sha256, rows(count)));
    }

    private StoreStep step(String version) {
        return new StoreStep(documents, chunks, checkpoints, version, Tracer.NOOP);
    }

    private static List<NewChunk> rows(int count) {
        List<NewChunk> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] vector = new float[384];
            vector[i] = 1;
            rows.add(new NewChunk(i, "chunk " + i, 2, null, vector));
        }
        return rows;
    }
}
