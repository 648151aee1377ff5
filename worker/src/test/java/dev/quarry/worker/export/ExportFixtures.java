package dev.quarry.worker.export;

import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Stored documents as an ingest leaves them (row, original bytes, scrubbed text, chunks with vectors of the
 * tenant's active version), written directly: what an export reads, without the cost of running the model.
 */
final class ExportFixtures {
    private ExportFixtures() {
    }

    record Stored(UUID id, String title, String filename, byte[] original, String text, int chunks) {
    }

    static Stored store(JdbcTemplate jdbc, String tenant, String collection, String version, String title,
                        String text) {
        UUID id = UUID.randomUUID();
        String filename = title.toLowerCase().replace(' ', '-') + ".txt";
        byte[] original = ("original of " + title + "\n" + text).getBytes(StandardCharsets.UTF_8);
        jdbc.update("""
                        insert into documents (id, tenant_id, title, collection, tags, media_type, filename, size_bytes,
                            content_sha256, status, uploaded_by)
                        values (?, ?, ?, ?, '{manual,export}', 'text/plain', ?, ?, 'sha', 'INDEXED', 'user-1')""",
                id, tenant, title, collection, filename, original.length);
        jdbc.update("insert into document_contents (document_id, bytes) values (?, ?)", id, original);
        jdbc.update("insert into document_texts (document_id, content_sha256, text) values (?, 'sha', ?)", id, text);
        List<String> pieces = pieces(text);
        for (int i = 0; i < pieces.size(); i++) {
            jdbc.update("""
                            insert into chunks (tenant_id, document_id, ordinal, text, token_count, embedding,
                                embedding_version)
                            values (?, ?, ?, ?, ?, cast(array_fill(cast(? as real), array[384]) as vector), ?)""",
                    tenant, id, i, pieces.get(i), pieces.get(i).length() / 4, 0.01 * (i + 1), version);
        }
        return new Stored(id, title, filename, original, text, pieces.size());
    }

    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        for (int from = 0; from < text.length(); from += 1000) pieces.add(text.substring(from, Math.min(text.length(), from + 1000)));
        return pieces;
    }

    /** Whitespace folded to single spaces: how a reader that re-flows lines (pdftotext) gives text back. */
    static String folded(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }
}
