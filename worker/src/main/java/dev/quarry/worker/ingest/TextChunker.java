package dev.quarry.worker.ingest;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts text into chunks that fit the embedding model's window, measured in the model's own word pieces:
 * langchain4j's recursive splitter (paragraphs, then sentences, then words) with overlap between
 * neighbours. Text that fits in one chunk is not split at all, which is most small documents and skips the
 * splitter's many token counts. Thread-safe: the splitter keeps no per-call state.
 * <p>
 * Every chunk is also bounded in characters, whatever the input. The word-piece count alone cannot bound
 * a chunk: a word longer than 100 characters is one [UNK] to the model, so a 45 MB base64 blob or DNA
 * sequence "fits" in one token. Runs of non-space characters longer than a chunk never reach the
 * splitter (it would try them character by character, quadratically); {@link CharacterWindows} cuts them,
 * and any piece the splitter returns over either bound.
 */
final class TextChunker {
    private final TokenCountEstimator tokens;
    private final DocumentSplitter splitter;
    private final CharacterWindows windows;
    private final int maxTokens;
    private final int maxChars;
    private final Pattern unbreakableRun;

    TextChunker(TokenCountEstimator tokens, int maxTokens, int overlapTokens, int maxChars) {
        this.tokens = tokens;
        this.maxTokens = maxTokens;
        this.maxChars = maxChars;
        this.splitter = DocumentSplitters.recursive(maxTokens, overlapTokens, tokens);
        this.windows = new CharacterWindows(tokens, maxTokens, maxChars);
        this.unbreakableRun = Pattern.compile("\\S{" + (maxChars + 1) + ",}");
    }

    List<Chunk> chunk(String text) {
        if (text.isBlank()) return List.of();
        List<Chunk> chunks = new ArrayList<>();
        if (text.length() <= maxChars) {
            int whole = tokens.estimateTokenCountInText(text);
            if (whole <= maxTokens) return List.of(new Chunk(0, text, whole));
        }
        Matcher run = unbreakableRun.matcher(text);
        int from = 0;
        while (run.find()) {
            split(text.substring(from, run.start()), chunks);
            windows.cut(text.substring(run.start(), run.end()), piece -> add(piece, chunks));
            from = run.end();
        }
        split(from == 0 ? text : text.substring(from), chunks);
        return chunks;
    }

    private void split(String text, List<Chunk> chunks) {
        if (text.isBlank()) return;
        for (TextSegment segment : splitter.split(Document.from(text))) {
            String piece = segment.text();
            if (piece.length() > maxChars) windows.cut(piece, part -> add(part, chunks));
            else add(piece, chunks);
        }
    }

    private void add(String piece, List<Chunk> chunks) {
        if (piece.isBlank()) return;
        int count = tokens.estimateTokenCountInText(piece);
        if (count > maxTokens) {
            windows.cut(piece, part -> chunks.add(new Chunk(chunks.size(), part, tokens.estimateTokenCountInText(part))));
            return;
        }
        chunks.add(new Chunk(chunks.size(), piece, count));
    }
}
