package dev.quarry.worker.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Chunks a text section by section (see {@link Sections}), so that no chunk straddles two sections and each
 * carries its section's path. A text without headings is chunked as before, as one piece without a path.
 */
final class SectionChunker {
    private final TextChunker chunker;

    SectionChunker(TextChunker chunker) {
        this.chunker = chunker;
    }

    List<Chunk> chunk(String text) {
        if (!Sections.hasHeadings(text)) return chunker.chunk(text);
        List<Chunk> chunks = new ArrayList<>();
        for (Sections.Section section : Sections.split(text)) {
            for (Chunk piece : chunker.chunk(section.text())) {
                chunks.add(new Chunk(chunks.size(), piece.text(), piece.tokenCount(), section.path()));
            }
        }
        return chunks;
    }
}
