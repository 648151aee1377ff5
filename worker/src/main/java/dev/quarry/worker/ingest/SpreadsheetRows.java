package dev.quarry.worker.ingest;

import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a spreadsheet (XLSX, ODS) as Tika's parsers emit them, one {@code <table>} per sheet: each row
 * becomes one line of cells joined by {@code " | "}, as {@link CsvTable} renders a CSV, and sheets are
 * separated by a blank line, so that {@link TableChunker#chunkTables} keeps rows whole and repeats each
 * sheet's header. Tika's plain text would put a cell per line in ODS and lose where a row ends.
 * Rows without any text are dropped; text outside tables (sheet names, comments) is not a row.
 */
final class SpreadsheetRows extends DefaultHandler {
    private static final String CELL_SEPARATOR = " | ";
    private final StringBuilder tables = new StringBuilder();
    private final List<String> cells = new ArrayList<>();
    private StringBuilder cell;
    private boolean tableHasRows;

    @Override
    public void startElement(String uri, String localName, String name, Attributes atts) {
        switch (localName) {
            case "table" -> tableHasRows = false;
            case "tr" -> cells.clear();
            case "td", "th" -> cell = new StringBuilder();
            case "p", "br" -> space();
            default -> { }
        }
    }

    @Override
    public void endElement(String uri, String localName, String name) {
        switch (localName) {
            case "td", "th" -> {
                if (cell != null) cells.add(cell.toString().replaceAll("\\s+", " ").strip());
                cell = null;
            }
            case "tr" -> endRow();
            default -> { }
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
        if (cell != null) cell.append(ch, start, length);
    }

    /** The sheets' rows, or an empty string when the document held no table. */
    String text() {
        return tables.toString().strip();
    }

    private void space() {
        if (cell != null && !cell.isEmpty()) cell.append(' ');
    }

    private void endRow() {
        int last = cells.size();
        while (last > 0 && cells.get(last - 1).isEmpty()) last--;
        if (last == 0) return;
        if (!tableHasRows && !tables.isEmpty()) tables.append('\n');
        tableHasRows = true;
        tables.append(String.join(CELL_SEPARATOR, cells.subList(0, last))).append('\n');
    }
}
