package dev.quarry.worker.ingest;

import dev.langchain4j.model.TokenCountEstimator;

import java.util.function.Consumer;

/**
 * The last resort of {@link TextChunker}: cuts text that no word boundary can split into consecutive
 * windows of at most {@code maxChars} characters and {@code maxTokens} word pieces. A window ends at its
 * last space when there is one in its second half, so an ordinary text is not cut mid-word; a surrogate
 * pair is never cut. Windows do not overlap: what they cut has no sentences for an overlap to carry.
 */
final class CharacterWindows {
    private final TokenCountEstimator tokens;
    private final int maxTokens;
    private final int maxChars;

    CharacterWindows(TokenCountEstimator tokens, int maxTokens, int maxChars) {
        this.tokens = tokens;
        this.maxTokens = maxTokens;
        this.maxChars = maxChars;
    }

    void cut(String text, Consumer<String> window) {
        int start = 0;
        // The next window starts at the length the last one ended with: dense text (base64, code) is
        // usually dense throughout, so one count per window is the rule, not three.
        int length = maxChars;
        while (start < text.length()) {
            int end = endOf(text, start, (int) Math.min(text.length(), (long) start + length));
            String piece = text.substring(start, end);
            int count = tokens.estimateTokenCountInText(piece);
            while (count > maxTokens && end - start > 1) {
                // Shrink in proportion, a little more than needed, so dense text takes few recounts.
                int shorter = Math.max(1, (int) ((long) (end - start) * maxTokens * 9 / (10L * count)));
                end = endOf(text, start, start + shorter);
                piece = text.substring(start, end);
                count = tokens.estimateTokenCountInText(piece);
            }
            if (!piece.isBlank()) window.accept(piece);
            // Grow back only from a window well inside the bound, so one dense stretch does not shrink
            // the rest, yet uniform text is not counted twice per window.
            length = count * 4 <= maxTokens * 3 ? Math.min(maxChars, (end - start) * 5 / 4 + 1) : end - start;
            start = end;
        }
    }

    /** A cut at or before {@code limit}: after the last space in the window's second half, never inside a pair. */
    private static int endOf(String text, int start, int limit) {
        if (limit >= text.length()) return text.length();
        for (int i = limit - 1; i > start + (limit - start) / 2; i--) {
            if (Character.isWhitespace(text.charAt(i))) return i + 1;
        }
        if (Character.isHighSurrogate(text.charAt(limit - 1)) && limit - 1 > start) return limit - 1;
        return limit;
    }
}
