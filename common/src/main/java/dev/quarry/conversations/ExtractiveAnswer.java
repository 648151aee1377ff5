package dev.quarry.conversations;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer when no language model is configured: it says so plainly, then quotes the best passages with
 * their citations. Returned as the pieces the chat job streams, so a client sees the same deltas it would
 * see from a model.
 */
public final class ExtractiveAnswer {
    public static final String NO_MODEL = "No language model is configured, so this answer quotes the passages "
            + "of your documents that best match the question.";
    public static final String NO_PASSAGE = "No language model is configured, and no passage of your documents "
            + "matches the question.";
    /** A quote is the passage's beginning, cut at a word boundary near this length. */
    static final int QUOTE_CHARS = 400;

    private ExtractiveAnswer() {
    }

    public static List<String> pieces(List<Citation> citations) {
        List<String> pieces = new ArrayList<>();
        if (citations.isEmpty()) {
            pieces.add(NO_PASSAGE);
            return pieces;
        }
        pieces.add(NO_MODEL);
        for (Citation citation : citations) {
            pieces.add("\n\n[" + citation.number() + "] \"" + quote(citation.text()) + "\" (" + citation.title() + ")");
        }
        return pieces;
    }

    static String quote(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        if (flat.length() <= QUOTE_CHARS) return flat;
        int cut = flat.lastIndexOf(' ', QUOTE_CHARS);
        return flat.substring(0, cut > QUOTE_CHARS / 2 ? cut : QUOTE_CHARS) + " …";
    }
}
