package dev.quarry.architecture;

import java.util.ArrayList;
import java.util.List;

/** Reads the first pipe table that follows a heading of docs/architecture.md. */
final class MarkdownTable {
    private MarkdownTable() {
    }

    /** The body rows (cells trimmed, backticks removed) of the table under {@code heading}. */
    static List<List<String>> under(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        if (start < 0) throw new IllegalStateException("no heading '" + heading + "'");
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : markdown.substring(start + heading.length() + 2).split("\n")) {
            if (line.startsWith("|")) {
                inTable = true;
                if (line.matches("\\|[\\s\\-:|]+\\|?")) continue; // the separator row
                List<String> cells = new ArrayList<>();
                for (String cell : line.substring(1).split("\\|")) cells.add(cell.replace("`", "").trim());
                rows.add(cells);
            } else if (inTable || line.startsWith("#")) {
                break;
            }
        }
        if (rows.isEmpty()) throw new IllegalStateException("no table under '" + heading + "'");
        return rows.subList(1, rows.size()); // without the header row
    }
}
