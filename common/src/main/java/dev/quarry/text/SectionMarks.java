package dev.quarry.text;

/**
 * Where a document's headings are, carried inside its text from extraction to chunking. A heading is a line
 * that starts with one of six private-use code points (U+E001 for level 1 to U+E006 for level 6) followed by
 * the heading's words. In-band because the text is normalized, scrubbed and checkpointed as one string
 * between extraction and chunking: offsets kept aside would not survive those steps, a line does. The marks
 * are private-use characters, which the extractor removes from a document's own text, so a document cannot
 * fake them; no letter or digit is added, so the scrubber's patterns see the heading's words unchanged.
 * Whoever shows the text to people ({@link #strip}) removes the marks.
 */
public final class SectionMarks {
    private static final char FIRST = '\uE001';
    private static final char LAST = '\uE006';

    private SectionMarks() {
    }

    /** The mark that starts a heading line of {@code level} (1 to 6). */
    public static char mark(int level) {
        if (level < 1 || level > 6) throw new IllegalArgumentException("heading level " + level);
        return (char) (FIRST + level - 1);
    }

    public static boolean isMark(int codePoint) {
        return codePoint >= FIRST && codePoint <= LAST;
    }

    /** The heading level the mark stands for; {@code isMark(mark)} must hold. */
    public static int level(int mark) {
        return mark - FIRST + 1;
    }

    /** {@code text} without its marks: the headings stay as plain lines. */
    public static String strip(String text) {
        if (text == null) return null;
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isMark(c)) {
                if (out == null) out = new StringBuilder(text.length()).append(text, 0, i);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
