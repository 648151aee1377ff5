package dev.quarry.worker.ingest;

import dev.quarry.text.SectionMarks;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Marks a Markdown document's ATX headings ({@code # Title} to {@code ###### Title}) as {@link SectionMarks}
 * lines; Tika reads Markdown as plain text and emits no heading elements. A {@code #} line inside a fenced
 * code block (a shell comment) is no heading. Setext headings (a line underlined with {@code ===}) are
 * rarer and ambiguous with tables and rules; they stay plain text.
 */
final class MarkdownHeadings {
    private static final Set<String> MEDIA_TYPES = Set.of("text/x-web-markdown", "text/markdown");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})[ \\t]+(.*?)(?:[ \\t]+#+)?[ \\t]*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");

    private MarkdownHeadings() {
    }

    static boolean isMarkdown(String mediaType) {
        return mediaType != null && MEDIA_TYPES.contains(mediaType);
    }

    static String mark(String markdown) {
        StringBuilder out = new StringBuilder(markdown.length() + 64);
        String fence = null;
        for (String line : markdown.split("\n", -1)) {
            Matcher fenceLine = FENCE.matcher(line);
            if (fenceLine.find()) {
                if (fence == null) fence = fenceLine.group(1);
                else if (fence.equals(fenceLine.group(1))) fence = null;
            }
            Matcher heading = fence == null ? HEADING.matcher(line) : null;
            if (heading != null && heading.matches() && !heading.group(2).isBlank()) {
                out.append(SectionMarks.mark(heading.group(1).length())).append(heading.group(2)).append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }
}
