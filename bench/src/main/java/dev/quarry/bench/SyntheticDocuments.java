package dev.quarry.bench;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

/**
 * An export benchmark's tenant: documents of about 64 KB of text each, as an ingest leaves them (the row, the
 * original bytes, the scrubbed text and 16 chunks with vectors), bulk-loaded with COPY until the texts add up
 * to the wanted megabytes. Seeded words from a fixed vocabulary; kept if a tenant of that size is there.
 */
final class SyntheticDocuments {
    private static final int TEXT_BYTES = 64 * 1024;
    private static final int CHUNKS = 16;
    private static final int PER_COPY = 200;
    private static final String[] WORDS = ("export stream cursor batch part archive manifest ledger tenant scope "
            + "document chunk vector retention policy bucket column buffer heap throughput latency replica "
            + "checkpoint journal segment index record field value table schema query planner vacuum").split(" ");
    private final Connection db;

    SyntheticDocuments(Connection db) {
        this.db = db;
    }

    void ensure(String tenant, String version, int megabytes) throws Exception {
        int documents = Math.max(1, (int) ((long) megabytes * 1_000_000 / TEXT_BYTES));
        if (CranfieldIngest.count(db, "select count(*) from documents where tenant_id = ?", tenant) == documents) {
            System.out.printf("reusing the %,d documents of tenant %s%n", documents, tenant);
            return;
        }
        long start = System.nanoTime();
        try (var delete = db.prepareStatement("delete from documents where tenant_id = ?")) {
            delete.setString(1, tenant);
            delete.executeUpdate();
        }
        CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
        Random random = new Random(42);
        String vector = vector(random);
        for (int from = 0; from < documents; from += PER_COPY) {
            StringBuilder docs = new StringBuilder(), texts = new StringBuilder(), contents = new StringBuilder(),
                    chunks = new StringBuilder();
            for (int i = from; i < Math.min(documents, from + PER_COPY); i++) {
                UUID id = new UUID(42, i);
                String text = text(random);
                docs.append(id).append('\t').append(tenant).append("\tsynthetic ").append(i)
                        .append("\tbench\ttext/plain\tdoc-").append(i).append(".txt\t").append(text.length())
                        .append("\tsha\tINDEXED\n");
                texts.append(id).append("\tsha\t").append(text).append('\n');
                contents.append(id).append("\t\\\\x").append(HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8)))
                        .append('\n');
                int size = text.length() / CHUNKS;
                for (int c = 0; c < CHUNKS; c++) {
                    chunks.append(tenant).append('\t').append(id).append('\t').append(c).append('\t')
                            .append(text, c * size, (c + 1) * size).append('\t').append(size / 4).append('\t')
                            .append(vector).append('\t').append(version).append('\n');
                }
            }
            load(copy, "documents (id, tenant_id, title, collection, media_type, filename, size_bytes, content_sha256, status)", docs);
            load(copy, "document_texts (document_id, content_sha256, text)", texts);
            load(copy, "document_contents (document_id, bytes)", contents);
            load(copy, "chunks (tenant_id, document_id, ordinal, text, token_count, embedding, embedding_version)", chunks);
        }
        System.out.printf("loaded %,d documents (%d MB of text) for tenant %s in %.0f s%n", documents, megabytes,
                tenant, (System.nanoTime() - start) / 1e9);
    }

    private static void load(CopyManager copy, String table, StringBuilder rows) throws Exception {
        copy.copyIn("copy " + table + " from stdin", new ByteArrayInputStream(rows.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder(TEXT_BYTES + 16);
        while (text.length() < TEXT_BYTES) text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        return text.toString();
    }

    private static String vector(Random random) {
        StringBuilder vector = new StringBuilder("[");
        for (int i = 0; i < 384; i++) vector.append(i == 0 ? "" : ",").append(String.format("%.5f", random.nextGaussian() / 20));
        return vector.append(']').toString();
    }
}
