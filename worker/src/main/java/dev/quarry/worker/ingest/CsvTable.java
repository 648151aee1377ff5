package dev.quarry.worker.ingest;

import dev.quarry.text.TextEncodings;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A CSV read with Commons CSV instead of Tika, as one line per row (cells joined by {@code " | "}, line
 * breaks inside cells made spaces), the header first: the shape {@link TableChunker} packs into chunks
 * without splitting rows. The charset is {@link TextEncodings}', as for any text upload.
 * <p>
 * A row wider than {@code maxColumns} is refused at once: a 10 MB CSV with a million columns took minutes
 * of Tika's table building and made tens of thousands of meaningless chunks. A file Commons CSV cannot
 * parse (an unbalanced quote) is kept as the plain text it is.
 */
final class CsvTable {
    private static final String CELL_SEPARATOR = " | ";

    private CsvTable() {
    }

    static String render(byte[] bytes, int maxColumns, int maxChars) {
        String text = TextEncodings.decode(bytes);
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(separatorOf(text)).setIgnoreEmptyLines(true).get();
        StringBuilder table = new StringBuilder(text.length());
        try (CSVParser parser = CSVParser.parse(text, format)) {
            for (CSVRecord row : parser) {
                if (row.size() > maxColumns) {
                    throw new UnprocessableDocumentException("the CSV has a row of " + row.size()
                            + " columns; Quarry reads tables of at most " + maxColumns + " columns");
                }
                for (int i = 0; i < row.size(); i++) {
                    if (i > 0) table.append(CELL_SEPARATOR);
                    table.append(row.get(i).replaceAll("[\\r\\n]+", " "));
                }
                table.append('\n');
                if (table.length() > maxChars) {
                    throw new UnprocessableDocumentException("the document holds more than " + maxChars + " characters of text");
                }
            }
        } catch (IOException | UncheckedIOException | IllegalStateException malformed) {
            return text;
        }
        return table.toString();
    }

    /** Comma, semicolon or tab, whichever the first line has most of. */
    private static char separatorOf(String text) {
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        char best = ',';
        long most = -1;
        for (char candidate : new char[]{',', ';', '\t'}) {
            long count = line.chars().filter(c -> c == candidate).count();
            if (count > most) {
                most = count;
                best = candidate;
            }
        }
        return best;
    }
}
