package dev.quarry.worker.ingest;

import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobStatus;
import dev.quarry.worker.testing.Documents;
import dev.quarry.testing.SampleFiles;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 4: an identical chunk is never embedded twice; a changed document embeds only its changed chunks. */
class EmbeddingCacheIT extends IngestJobTest {

    @Test
    void re_ingesting_an_unchanged_document_makes_no_model_call() {
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("r.txt", "text/plain", paragraphs(30, -1)));
        ingestOnce(documentId);
        double embedded = ingest.segmentsEmbedded();
        double misses = cache("miss");

        ingestOnce(documentId);

        assertThat(ingest.segmentsEmbedded()).isEqualTo(embedded);
        assertThat(cache("miss")).isEqualTo(misses);
    }

    @Test
    void re_ingesting_a_changed_document_embeds_exactly_the_chunks_whose_text_changed() {
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("r.txt", "text/plain", paragraphs(30, -1)));
        ingestOnce(documentId);
        Set<String> before = new HashSet<>(chunkTexts(documentId));
        double embedded = ingest.segmentsEmbedded();
        double hits = cache("hit");

        replaceContent(documentId, paragraphs(30, 17));
        ingestOnce(documentId);

        List<String> after = chunkTexts(documentId);
        long changed = after.stream().filter(t -> !before.contains(t)).distinct().count();
        assertThat(changed).as("chunks whose text changed").isPositive().isLessThan(after.size() / 2);
        assertThat(ingest.segmentsEmbedded() - embedded).isEqualTo(changed);
        assertThat(cache("hit") - hits).isEqualTo(after.size() - changed);
        assertThat(after).anySatisfy(t -> assertThat(t).contains("revised"));
    }

    @Test
    void the_same_text_in_another_tenant_is_embedded_for_that_tenant() {
        String text = paragraphs(3, -1);
        ingestOnce(Documents.insert(jdbc, "acme", SampleFiles.text("a.txt", "text/plain", text)));
        double embedded = ingest.segmentsEmbedded();

        UUID other = Documents.insert(jdbc, "globex", SampleFiles.text("a.txt", "text/plain", text));
        Job job = ingest.submit("globex", other);
        assertThat(ingest.awaitFinished("globex", job.id()).status()).isEqualTo(JobStatus.SUCCEEDED);

        assertThat(ingest.segmentsEmbedded()).isGreaterThan(embedded);
    }

    private void ingestOnce(UUID documentId) {
        Job job = ingest.submit("acme", documentId);
        assertThat(ingest.awaitFinished("acme", job.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    /** What PUT /documents/{id}/content stores. */
    private void replaceContent(UUID documentId, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        jdbc.update("update documents set content_sha256 = ?, size_bytes = ?, status = 'PENDING' where id = ?",
                sha256(bytes), bytes.length, documentId);
        jdbc.update("update document_contents set bytes = ? where document_id = ?", bytes, documentId);
    }

    private List<String> chunkTexts(UUID documentId) {
        return jdbc.queryForList("select text from chunks where document_id = ? order by ordinal", String.class, documentId);
    }

    private double cache(String result) {
        return meters.find("quarry.embedding.cache").tag("result", result).counter().count();
    }

    /** {@code count} paragraphs of about one chunk each; paragraph {@code revised} gets one sentence changed. */
    private static String paragraphs(int count, int revised) {
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < count; p++) {
            for (int s = 0; s < 9; s++) {
                text.append("Station ").append(p).append('.').append(s)
                        .append(p == revised && s == 4 ? " was revised after the wind tunnel recalibration"
                                : " recorded the pressure gradient along the flat plate")
                        .append(" at a Reynolds number of ").append(1000 * (p + 1) + s).append(". ");
            }
            text.append("\n\n");
        }
        return text.toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
