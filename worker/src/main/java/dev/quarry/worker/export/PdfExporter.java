package dev.quarry.worker.export;

import dev.quarry.exports.ExportFormat;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A PDF with PDFBox: each document starts a page with its title and metadata, then its text, wrapped to the
 * page width. Pages' content goes to PDFBox's temporary-file stream cache, not the heap; PDFBox still keeps
 * one small object per page until the file is saved. The standard Helvetica font needs no embedding and
 * covers Latin-1 (WinAnsi); other characters are written as {@code ?} ({@link PdfLines}).
 */
@Component
class PdfExporter implements Exporter {
    private static final float MARGIN = 50;
    private static final float SIZE = 10;
    private static final float LEADING = 13;

    @Override
    public ExportFormat format() {
        return ExportFormat.PDF;
    }

    @Override
    public Writer open(OutputStream out, ExportContext context) throws IOException {
        PDDocument pdf = new PDDocument(IOUtils.createTempFileOnlyStreamCache());
        PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
        float width = PDRectangle.A4.getWidth() - 2 * MARGIN;
        PdfLines lines = new PdfLines(regular, SIZE, width);
        return new Writer() {
            private PDPageContentStream page;
            private float y;

            @Override
            public void write(ExportedDocument d) throws IOException {
                newPage();
                line(bold, 14, lines.clean(d.title()));
                y -= 6;
                line(regular, SIZE, "id " + d.id() + " · collection " + lines.clean(d.collection())
                        + " · created " + d.createdAt());
                y -= LEADING;
                for (String paragraph : d.textOrEmpty().split("\n", -1)) {
                    for (String text : lines.wrap(paragraph)) line(regular, SIZE, text);
                }
            }

            private void line(PDType1Font font, float size, String text) throws IOException {
                if (y < MARGIN) newPage();
                page.beginText();
                page.setFont(font, size);
                page.newLineAtOffset(MARGIN, y);
                page.showText(text);
                page.endText();
                y -= size > SIZE ? size + 4 : LEADING;
            }

            private void newPage() throws IOException {
                if (page != null) page.close();
                PDPage next = new PDPage(PDRectangle.A4);
                pdf.addPage(next);
                page = new PDPageContentStream(pdf, next);
                y = PDRectangle.A4.getHeight() - MARGIN;
            }

            @Override
            public void close() throws IOException {
                try {
                    if (page == null) newPage(); // an empty export is still a valid PDF
                    page.close();
                    pdf.save(out);
                } finally {
                    pdf.close();
                }
            }
        };
    }
}
