package dev.quarry.worker.ingest;

import dev.quarry.text.SectionMarks;

import java.text.Normalizer;

/**
 * Canonical text for scrubbing, chunking and full-text search: Unicode NFKC (so fullwidth digits, ligatures
 * and no-break spaces become their plain forms), no control or invisible formatting characters, runs of
 * spaces collapsed, lines trimmed, and at most one blank line in a row. Paragraph breaks survive on purpose:
 * the chunker splits on them first. A heading's {@link SectionMarks} mark survives at the start of a line,
 * the only place the extractor puts one. Pure and thread-safe.
 */
final class TextNormalizer {

    String normalize(String text) {
        String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(nfkc.length());
        int newlines = 0;
        boolean space = false;
        for (int i = 0; i < nfkc.length(); ) {
            int cp = nfkc.codePointAt(i);
            i += Character.charCount(cp);
            if (isLineBreak(cp)) {
                if (cp == '\r' && i < nfkc.length() && nfkc.charAt(i) == '\n') i++;
                newlines++;
                space = false;
            } else if (cp == '\t' || Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                space = true;
            } else if (!isDropped(cp) || SectionMarks.isMark(cp) && (out.isEmpty() || newlines > 0)) {
                if (!out.isEmpty()) {
                    if (newlines > 0) out.append(newlines > 1 ? "\n\n" : "\n");
                    else if (space) out.append(' ');
                }
                newlines = 0;
                space = false;
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    private static boolean isLineBreak(int cp) {
        return cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
    }

    /**
     * Control characters (PostgreSQL text cannot even hold NUL), unpaired surrogates, private-use and
     * invisible formatting characters (soft hyphen, zero-width space, BOM, bidi marks). Unassigned code points
     * stay: they are only unassigned in this JDK's Unicode version (newer emoji). Zero-width
     * (non-)joiners stay: they change how some scripts and emoji read.
     */
    private static boolean isDropped(int cp) {
        if (cp == 0x200C || cp == 0x200D) return false;
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.PRIVATE_USE;
    }
}
