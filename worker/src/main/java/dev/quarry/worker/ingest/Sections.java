package dev.quarry.worker.ingest;

import dev.quarry.text.SectionMarks;

import java.util.ArrayList;
import java.util.List;

/**
 * A text's sections, read from its {@link SectionMarks} heading lines: each with the path of the headings
 * above it ({@code Guide > Install > Linux}; a heading closes every open heading of its level or deeper)
 * and its text, the heading's own line (unmarked) included, so that the words of a heading stay
 * searchable. A heading with no text of its own before the next heading (a title followed at once by a
 * subtitle) does not make a section: its line goes to the next section. Text before the first heading has
 * no path.
 */
final class Sections {
    static final String SEPARATOR = " > ";
    /** A heading's characters in a path: a paragraph styled as a heading must not make a path of megabytes. */
    static final int MAX_HEADING_CHARS = 200;

    record Section(String path, String text) {
    }

    private Sections() {
    }

    static boolean hasHeadings(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (SectionMarks.isMark(text.charAt(i))) return true;
        }
        return false;
    }

    static List<Section> split(String text) {
        List<Section> sections = new ArrayList<>();
        String[] open = new String[6];
        String path = null;
        StringBuilder current = new StringBuilder();
        StringBuilder waiting = new StringBuilder();
        boolean hasBody = false;
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty() && SectionMarks.isMark(line.charAt(0))) {
                String heading = line.substring(1).strip();
                if (heading.isEmpty()) continue;
                flush(sections, path, current, waiting, hasBody);
                hasBody = false;
                int level = SectionMarks.level(line.charAt(0));
                open[level - 1] = heading.length() <= MAX_HEADING_CHARS ? heading : heading.substring(0, MAX_HEADING_CHARS);
                for (int deeper = level; deeper < open.length; deeper++) open[deeper] = null;
                path = path(open);
                current.append(heading).append('\n');
            } else {
                current.append(line).append('\n');
                hasBody |= !line.isBlank();
            }
        }
        flush(sections, path, current, waiting, hasBody);
        if (!waiting.isEmpty()) sections.add(new Section(path, waiting.toString().strip()));
        return sections;
    }

    private static void flush(List<Section> sections, String path, StringBuilder current, StringBuilder waiting,
                              boolean hasBody) {
        if (hasBody) {
            String body = waiting.append(current).toString().strip();
            sections.add(new Section(path, body));
            waiting.setLength(0);
        } else {
            waiting.append(current);
        }
        current.setLength(0);
    }

    private static String path(String[] open) {
        StringBuilder path = new StringBuilder();
        for (String heading : open) {
            if (heading == null) continue;
            if (!path.isEmpty()) path.append(SEPARATOR);
            path.append(heading);
        }
        return path.toString();
    }
}
