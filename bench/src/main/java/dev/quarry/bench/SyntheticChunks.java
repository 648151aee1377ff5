package dev.quarry.bench;

import dev.quarry.testing.Cranfield;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import org.postgresql.PGConnection;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A synthetic corpus for latency: each chunk is eight sentences drawn at random from Cranfield's abstracts,
 * so words keep Cranfield's (Zipfian) frequencies, and its vector is the real embedding of a random
 * Cranfield abstract plus Gaussian noise, renormalised, so vectors cluster the way real ones do. Loaded
 * with COPY straight into PostgreSQL (documents of ten chunks), then the BM25 statistics are refreshed
 * with the same SQL function the API uses. Seeded: every load is the same corpus.
 */
final class SyntheticChunks {
    private static final int SENTENCES_PER_CHUNK = 8;
    private static final int CHUNKS_PER_DOCUMENT = 10;
    private static final double NOISE = 0.03;
    private final Connection db;
    private final Cranfield cranfield;
    private final EmbeddingModel model;

    SyntheticChunks(Connection db, Cranfield cranfield, EmbeddingModel model) {
        this.db = db;
        this.cranfield = cranfield;
        this.model = model;
    }

    void ensure(String tenant, String version, int chunks) throws Exception {
        int existing = CranfieldIngest.count(db, "select count(*) from chunks where tenant_id = ?", tenant);
        if (existing == chunks) {
            System.out.printf("reusing the %,d chunks of tenant %s%n", chunks, tenant);
            return;
        }
        long start = System.nanoTime();
        try (var delete = db.prepareStatement("delete from documents where tenant_id = ?")) {
            delete.setString(1, tenant);
            delete.executeUpdate();
        }
        List<String> sentences = new ArrayList<>();
        for (Cranfield.Doc doc : cranfield.docs()) {
            for (String sentence : doc.text().replace('\n', ' ').split(" \\. ")) {
                if (sentence.trim().length() > 15) sentences.add(sentence.trim());
            }
        }
        List<Cranfield.Doc> docs = cranfield.docs().stream().filter(d -> !d.text().isBlank()).toList();
        List<float[]> anchors = new ArrayList<>();
        for (int i = 0; i < docs.size(); i += 64) {
            model.embedAll(docs.subList(i, Math.min(i + 64, docs.size())).stream()
                    .map(d -> TextSegment.from(d.text())).toList()).content().forEach(e -> anchors.add(e.vector()));
        }
        Random random = new Random(42);
        var copy = ((PGConnection) db.unwrap(PGConnection.class)).getCopyAPI();
        int documents = (chunks + CHUNKS_PER_DOCUMENT - 1) / CHUNKS_PER_DOCUMENT;
        StringBuilder docRows = new StringBuilder();
        List<UUID> ids = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            UUID id = new UUID(tenant.hashCode(), d); // per tenant: two corpora can coexist
            ids.add(id);
            docRows.append(id).append('\t').append(tenant).append("\tsynthetic ").append(d).append("\tbench\tsynthetic/")
                    .append(d).append("\t{}\tunknown\ttext/plain\t1\tx\tINDEXED\t").append(CHUNKS_PER_DOCUMENT)
                    .append('\t').append(java.time.Instant.parse("2024-01-01T00:00:00Z").plusSeconds(d * 60L))
                    .append('\n');
        }
        copy.copyIn("copy documents (id, tenant_id, title, collection, source, tags, reliability, media_type, size_bytes, "
                + "content_sha256, status, chunk_count, created_at) from stdin", new StringReader(docRows.toString()));
        int batch = 5000;
        for (int from = 0; from < chunks; from += batch) {
            StringBuilder rows = new StringBuilder();
            for (int c = from; c < Math.min(from + batch, chunks); c++) {
                StringBuilder text = new StringBuilder();
                for (int s = 0; s < SENTENCES_PER_CHUNK; s++) {
                    if (s > 0) text.append(" . ");
                    text.append(sentences.get(random.nextInt(sentences.size())));
                }
                String escaped = text.toString().replace("\\", "\\\\").replace("\t", " ");
                rows.append(tenant).append('\t').append(ids.get(c / CHUNKS_PER_DOCUMENT)).append('\t')
                        .append(c % CHUNKS_PER_DOCUMENT).append('\t').append(escaped).append('\t')
                        .append(escaped.split(" ").length).append('\t')
                        .append(vector(anchors.get(random.nextInt(anchors.size())), random)).append('\t')
                        .append(version).append('\n');
            }
            copy.copyIn("copy chunks (tenant_id, document_id, ordinal, text, token_count, embedding, embedding_version) "
                    + "from stdin", new StringReader(rows.toString()));
            System.out.printf("loaded %,d / %,d chunks (%.0f s)%n", Math.min(from + batch, chunks), chunks,
                    (System.nanoTime() - start) / 1e9);
        }
        try (var st = db.createStatement()) {
            st.execute("analyze documents");
            st.execute("analyze chunks");
        }
        refreshStatistics(tenant, version);
        System.out.printf("corpus ready in %.0f s%n", (System.nanoTime() - start) / 1e9);
    }

    private void refreshStatistics(String tenant, String version) throws SQLException {
        try (var refresh = db.prepareStatement("select quarry_refresh_search_stats(?, ?)")) {
            refresh.setString(1, tenant);
            refresh.setString(2, version);
            refresh.execute();
        }
    }

    private static String vector(float[] anchor, Random random) {
        double[] v = new double[anchor.length];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = anchor[i] + random.nextGaussian() * NOISE;
            norm += v[i] * v[i];
        }
        norm = Math.sqrt(norm);
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            if (i > 0) out.append(',');
            out.append((float) (v[i] / norm));
        }
        return out.append(']').toString();
    }
}
