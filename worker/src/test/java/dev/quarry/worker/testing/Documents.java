package dev.quarry.worker.testing;

import dev.quarry.testing.SampleFiles;
import org.springframework.jdbc.core.JdbcTemplate;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/** Stores documents the way the API does, so the worker has something to ingest. */
public final class Documents {
    private Documents() {
    }

    public static UUID insert(JdbcTemplate jdbc, String tenant, SampleFiles.Sample sample) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                        insert into documents (id, tenant_id, title, media_type, filename, size_bytes, content_sha256)
                        values (?, ?, ?, ?, ?, ?, ?)""",
                id, tenant, sample.filename(), sample.mediaType(), sample.filename(), sample.bytes().length,
                sha256(sample.bytes()));
        jdbc.update("insert into document_contents (document_id, bytes) values (?, ?)", id, sample.bytes());
        return id;
    }

    public static String contentSha256(JdbcTemplate jdbc, UUID documentId) {
        return jdbc.queryForObject("select content_sha256 from documents where id = ?", String.class, documentId);
    }

    public static String status(JdbcTemplate jdbc, UUID documentId) {
        return jdbc.queryForObject("select status from documents where id = ?", String.class, documentId);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
