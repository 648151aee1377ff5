package dev.quarry.worker.ingest;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.TokenCountEstimator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Set;

/**
 * Counts BERT (uncased) word pieces the way all-MiniLM-L6-v2's tokenizer does, special tokens excluded:
 * the same vocabulary and the same rules as langchain4j's {@code HuggingFaceTokenCountEstimator}
 * (BertNormalizer, BertPreTokenizer, greedy WordPiece), in plain Java.
 * <p>
 * Why not the HuggingFace estimator itself: the recursive splitter asks for ~40 counts per document, and
 * each native call costs ~0.3 ms; on Cranfield that was 11 ms per long abstract, a quarter of the embedding
 * time. This one is an order of magnitude faster. {@code WordPieceTokenCountEstimatorTest} pins it to the
 * HuggingFace estimator on real and adversarial text, so an upgrade that changes either shows up there.
 * Thread-safe: the vocabulary is read-only after construction.
 */
final class WordPieceTokenCountEstimator implements TokenCountEstimator {
    /** The vocabulary that ships with langchain4j-embeddings, next to bert-tokenizer.json. */
    static final String VOCABULARY = "/bert-vocabulary-en.txt";
    private static final int MAX_CHARS_PER_WORD = 100;

    private final Set<String> starts = new HashSet<>();
    private final Set<String> continuations = new HashSet<>();
    private int longestStart;
    private int longestContinuation;

    WordPieceTokenCountEstimator() {
        try (InputStream in = WordPieceTokenCountEstimator.class.getResourceAsStream(VOCABULARY)) {
            if (in == null) throw new IllegalStateException(VOCABULARY + " is not on the classpath (langchain4j-embeddings)");
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("##")) {
                    continuations.add(line.substring(2));
                    longestContinuation = Math.max(longestContinuation, line.length() - 2);
                } else {
                    starts.add(line);
                    longestStart = Math.max(longestStart, line.length());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int estimateTokenCountInText(String text) {
        String s = isAscii(text) ? text : normalizeNonAscii(text);
        int count = 0;
        StringBuilder word = new StringBuilder(32);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (isRemoved(cp)) continue;
            if (isWhitespace(cp)) {
                count += flush(word);
            } else if (isPunctuation(cp)) {
                count += flush(word) + 1;
            } else {
                word.appendCodePoint(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp);
            }
        }
        return count + flush(word);
    }

    @Override
    public int estimateTokenCountInMessage(ChatMessage message) {
        throw new UnsupportedOperationException("counts document text only");
    }

    @Override
    public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
        throw new UnsupportedOperationException("counts document text only");
    }

    /** BertNormalizer for non-ASCII text: space out CJK ideographs, strip accents (NFD, drop Mn), lowercase. */
    private static String normalizeNonAscii(String text) {
        StringBuilder spaced = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isCjk(cp)) spaced.append(' ').appendCodePoint(cp).append(' ');
            else spaced.appendCodePoint(cp);
        }
        String decomposed = Normalizer.normalize(spaced, Normalizer.Form.NFD);
        StringBuilder stripped = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); ) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            // Per code point, like the Rust tokenizer: String.toLowerCase would turn a final Σ into ς.
            if (Character.getType(cp) != Character.NON_SPACING_MARK) stripped.appendCodePoint(Character.toLowerCase(cp));
        }
        return stripped.toString();
    }

    private int flush(StringBuilder word) {
        if (word.isEmpty()) return 0;
        String w = word.toString();
        word.setLength(0);
        return pieces(w);
    }

    /** Greedy longest-match-first; a word that cannot be covered is a single [UNK]. */
    private int pieces(String w) {
        if (w.codePointCount(0, w.length()) > MAX_CHARS_PER_WORD) return 1;
        int count = 0;
        for (int start = 0; start < w.length(); count++) {
            Set<String> vocabulary = start == 0 ? starts : continuations;
            int end = Math.min(w.length(), start + (start == 0 ? longestStart : longestContinuation));
            while (end > start && !vocabulary.contains(w.substring(start, end))) end--;
            if (end == start) return 1;
            start = end;
        }
        return count;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 127) return false;
        }
        return true;
    }

    /** BertNormalizer's clean_text drops NUL, U+FFFD and "other" characters except tab, CR and LF. */
    private static boolean isRemoved(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') return false;
        if (cp == 0 || cp == 0xFFFD) return true;
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }

    private static boolean isWhitespace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.isSpaceChar(cp);
    }

    private static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
