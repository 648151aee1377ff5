package dev.quarry.worker.ingest;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts text into chunks that fit the embedding model's window, measured in the model's own word pieces:
 * langchain4j's recursive splitter (paragraphs, then sentences, then words) with overlap between
 * neighbours. Text that fits in one chunk is not split at all, which is most small documents and skips the
 * splitter's many token counts. Thread-safe: the splitter keeps no per-call state.
 */
final class TextChunker {
    private final TokenCountEstimator tokens;
    private final DocumentSplitter splitter;
    private final int maxTokens;

    TextChunker(TokenCountEstimator tokens, int maxTokens, int overlapTokens) {
        this.tokens = tokens;
        this.maxTokens = maxTokens;
        this.splitter = DocumentSplitters.recursive(maxTokens, overlapTokens, tokens);
    }

    List<Chunk> chunk(String text) {
        if (text.isBlank()) return List.of();
        int whole = tokens.estimateTokenCountInText(text);
        if (whole <= maxTokens) return List.of(new Chunk(0, text, whole));
        List<TextSegment> segments = splitter.split(Document.from(text));
        List<Chunk> chunks = new ArrayList<>(segments.size());
        for (TextSegment segment : segments) {
            String piece = segment.text();
            if (piece.isBlank()) continue;
            chunks.add(new Chunk(chunks.size(), piece, tokens.estimateTokenCountInText(piece)));
        }
        return chunks;
    }
}
