package dev.quarry.api.search;

import com.pgvector.PGvector;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

/**
 * Stores documents and chunks as the worker would, with real embeddings from the application's own model
 * bean, so that searches run the production SQL over realistic rows.
 */
final class SearchCorpus {
    private final JdbcTemplate jdbc;
    private final EmbeddingModel embeddings;
    private final String version;

    SearchCorpus(JdbcTemplate jdbc, EmbeddingModel embeddings, String version) {
        this.jdbc = jdbc;
        this.embeddings = embeddings;
        this.version = version;
    }

    /** The document fields a test may set; anything null takes the schema default. */
    record Doc(String tenant, String title, String collection, String source, List<String> tags, String mediaType,
               String reliability, Instant createdAt, Instant publishedAt) {
        static Doc of(String tenant, String title) {
            return new Doc(tenant, title, "default", null, List.of(), "text/plain", "unknown", null, null);
        }

        Doc collection(String value) {
            return new Doc(tenant, title, value, source, tags, mediaType, reliability, createdAt, publishedAt);
        }

        Doc source(String value) {
            return new Doc(tenant, title, collection, value, tags, mediaType, reliability, createdAt, publishedAt);
        }

        Doc tags(String... value) {
            return new Doc(tenant, title, collection, source, List.of(value), mediaType, reliability, createdAt,
                    publishedAt);
        }

        Doc mediaType(String value) {
            return new Doc(tenant, title, collection, source, tags, value, reliability, createdAt, publishedAt);
        }

        Doc reliability(String value) {
            return new Doc(tenant, title, collection, source, tags, mediaType, value, createdAt, publishedAt);
        }

        Doc createdAt(Instant value) {
            return new Doc(tenant, title, collection, source, tags, mediaType, reliability, value, publishedAt);
        }

        Doc publishedAt(Instant value) {
            return new Doc(tenant, title, collection, source, tags, mediaType, reliability, createdAt, value);
        }
    }

    UUID add(Doc doc, String... chunks) {
        List<float[]> vectors = embeddings.embedAll(List.of(chunks).stream().map(TextSegment::from).toList())
                .content().stream().map(e -> e.vector()).toList();
        return add(doc, List.of(chunks), vectors);
    }

    UUID add(Doc doc, List<String> chunks, List<float[]> vectors) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                        insert into documents (id, tenant_id, title, collection, source, tags, media_type, reliability,
                            size_bytes, content_sha256, status, chunk_count, created_at, published_at)
                        values (?, ?, ?, ?, ?, ?::text[], ?, ?, 1, 'x', 'INDEXED', ?, coalesce(?, now()), ?)""",
                id, doc.tenant(), doc.title(), doc.collection(), doc.source(), doc.tags().toArray(String[]::new),
                doc.mediaType(), doc.reliability(), chunks.size(), timestamp(doc.createdAt()),
                timestamp(doc.publishedAt()));
        for (int i = 0; i < chunks.size(); i++) {
            jdbc.update("""
                            insert into chunks (tenant_id, document_id, ordinal, text, token_count, embedding,
                                embedding_version)
                            values (?, ?, ?, ?, ?, ?, ?)""", doc.tenant(), id, i, chunks.get(i),
                    chunks.get(i).split(" ").length, new PGvector(vectors.get(i)), version);
        }
        return id;
    }

    float[] embed(String text) {
        return embeddings.embed(text).content().vector();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
