package dev.quarry.worker.export;

import dev.quarry.exports.ExportFormat;
import org.apache.commons.io.output.CloseShieldOutputStream;
import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An XLSX workbook with POI's streaming SXSSF writer, which keeps a window of rows in memory and spills the
 * rest to compressed temporary files. Sheets: {@code documents} (metadata), {@code texts} (each text in
 * pieces of at most {@value #CELL} characters, since a cell holds at most 32,767) and {@code chunks}. A sheet
 * that reaches Excel's row limit continues in a numbered one ({@code chunks 2}).
 */
@Component
class XlsxExporter implements Exporter {
    static final int CELL = 32_000;
    private static final int WINDOW = 200;

    @Override
    public ExportFormat format() {
        return ExportFormat.XLSX;
    }

    @Override
    public Writer open(OutputStream out, ExportContext context) throws IOException {
        SXSSFWorkbook workbook = new SXSSFWorkbook(WINDOW);
        workbook.setCompressTempFiles(true);
        Rows documents = new Rows(workbook, "documents", "id", "title", "collection", "source", "tags",
                "reliability", "mediaType", "filename", "sizeBytes", "status", "createdAt", "uploadedBy", "chunks");
        Rows texts = new Rows(workbook, "texts", "documentId", "part", "text");
        Rows chunks = new Rows(workbook, "chunks", "documentId", "ordinal", "tokenCount", "text");
        return new Writer() {
            @Override
            public void write(ExportedDocument d) {
                documents.add(d.id().toString(), d.title(), d.collection(), d.source(), String.join(", ", d.tags()),
                        d.reliability(), d.mediaType(), d.filename(), d.sizeBytes(), d.status(),
                        d.createdAt().toString(), d.uploadedBy(), (long) d.chunks().size());
                String text = d.textOrEmpty();
                for (int from = 0, part = 0; from < text.length() || part == 0; from += CELL, part++) {
                    texts.add(d.id().toString(), (long) part, text.substring(from, Math.min(text.length(), from + CELL)));
                }
                for (ExportedDocument.ExportedChunk chunk : d.chunks()) {
                    chunks.add(d.id().toString(), (long) chunk.ordinal(), (long) chunk.tokenCount(),
                            chunk.text().length() > CELL ? chunk.text().substring(0, CELL) : chunk.text());
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    workbook.write(CloseShieldOutputStream.wrap(out));
                } finally {
                    workbook.dispose();
                    workbook.close();
                }
            }
        };
    }

    /** Appends rows to a sheet, continuing in a new one at the row limit. */
    private static final class Rows {
        private final SXSSFWorkbook workbook;
        private final String name;
        private final String[] header;
        private Sheet sheet;
        private int sheets;
        private int next;

        Rows(SXSSFWorkbook workbook, String name, String... header) {
            this.workbook = workbook;
            this.name = name;
            this.header = header;
            newSheet();
        }

        void add(Object... values) {
            if (next == SpreadsheetVersion.EXCEL2007.getMaxRows()) newSheet();
            Row row = sheet.createRow(next++);
            for (int i = 0; i < values.length; i++) {
                if (values[i] instanceof Long number) row.createCell(i).setCellValue(number);
                else if (values[i] != null) row.createCell(i).setCellValue(values[i].toString());
            }
        }

        private void newSheet() {
            sheets++;
            sheet = workbook.createSheet(sheets == 1 ? name : name + " " + sheets);
            next = 0;
            add((Object[]) header);
        }
    }
}
