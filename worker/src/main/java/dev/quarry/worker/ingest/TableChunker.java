package dev.quarry.worker.ingest;

import dev.langchain4j.model.TokenCountEstimator;

import java.util.ArrayList;
import java.util.List;

/**
 * Chunks a table (one row per line, the header first, as {@link CsvTable} renders it) so that a row is never
 * split across chunks and every chunk starts with the header: a chunk stays meaningful on its own, and a
 * search hit shows which column a value is in. Rows are packed while the chunk fits the token window and
 * the character bound; a row that does not fit even alone (with the header) is cut by {@link TextChunker}'s
 * bounds. A header too big to repeat (over half a chunk) is not repeated: the table is chunked as text.
 */
final class TableChunker {
    private final TokenCountEstimator tokens;
    private final TextChunker text;
    private final int maxTokens;
    private final int maxChars;

    TableChunker(TokenCountEstimator tokens, TextChunker text, int maxTokens, int maxChars) {
        this.tokens = tokens;
        this.text = text;
        this.maxTokens = maxTokens;
        this.maxChars = maxChars;
    }

    /** Several tables (a spreadsheet's sheets) separated by blank lines, each with its own header row. */
    List<Chunk> chunkTables(String tables) {
        List<Chunk> chunks = new ArrayList<>();
        for (String table : tables.split("\n\\s*\n")) {
            for (Chunk chunk : chunk(table)) chunks.add(new Chunk(chunks.size(), chunk.text(), chunk.tokenCount()));
        }
        return chunks;
    }

    List<Chunk> chunk(String table) {
        List<String> rows = table.lines().filter(line -> !line.isBlank()).toList();
        if (rows.isEmpty()) return List.of();
        String header = rows.get(0);
        int headerTokens = tokens.estimateTokenCountInText(header);
        if (headerTokens * 2 > maxTokens || header.length() * 2 > maxChars) return text.chunk(table);
        List<Chunk> chunks = new ArrayList<>();
        Packing packing = null;
        for (String row : rows.subList(1, rows.size())) {
            int rowTokens = tokens.estimateTokenCountInText(row);
            if (headerTokens + rowTokens > maxTokens || header.length() + 1 + row.length() > maxChars) {
                if (packing != null) packing = add(packing, chunks);
                for (Chunk piece : text.chunk(header + "\n" + row)) add(new Packing(piece.text(), piece.tokenCount()), chunks);
                continue;
            }
            if (packing != null && !packing.fits(row, rowTokens)) packing = add(packing, chunks);
            if (packing == null) packing = new Packing(header, headerTokens);
            packing.append(row, rowTokens);
        }
        if (packing != null) add(packing, chunks);
        if (chunks.isEmpty()) chunks.add(new Chunk(0, header, headerTokens));
        return chunks;
    }

    private static Packing add(Packing packing, List<Chunk> chunks) {
        chunks.add(new Chunk(chunks.size(), packing.text.toString(), packing.tokens));
        return null;
    }

    /** The rows of the chunk being filled. Word pieces never span a line break, so counts add up. */
    private final class Packing {
        private final StringBuilder text;
        private int tokens;

        Packing(String first, int tokens) {
            this.text = new StringBuilder(first);
            this.tokens = tokens;
        }

        boolean fits(String row, int rowTokens) {
            return tokens + rowTokens <= maxTokens && text.length() + 1 + row.length() <= maxChars;
        }

        void append(String row, int rowTokens) {
            text.append('\n').append(row);
            tokens += rowTokens;
        }
    }
}
