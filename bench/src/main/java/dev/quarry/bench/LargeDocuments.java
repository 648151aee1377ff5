package dev.quarry.bench;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Text-heavy PDF, DOCX, XLSX and PPTX files of about {@code megabytes} each, for the extraction benchmark:
 * made in the benchmark (nothing of 50 MB is committed), from seeded pseudo-random sentences over an English
 * vocabulary, so that every run reads the same bytes. Streamed where the format allows, so that making a
 * file does not take the heap the measurement is about: the PDF with PDFBox (uncompressed content streams:
 * the text is what a PDF extractor spends its time on), the XLSX with POI's streaming SXSSF (inline strings
 * and numbers), the DOCX as a minimal WordprocessingML package written part by part, and the PPTX from the
 * pandoc-made {@code slides.pptx} of the test formats (its master, layouts and theme) with as many text
 * slides as the size takes. Each file's size is checked after it is written; the report prints the real one.
 */
final class LargeDocuments {
    private static final String[] WORDS = ("quarry station gravel crusher lantern northern gate walnut drawbridge "
            + "silver kestrel lorry conveyor granite owl tangerine ferry harbour copper hill velvet barometer fog "
            + "emerald sieve brass dawn amber semaphore signal report weekly shipment delivery contract invoice "
            + "measurement sample analysis result engineer supervisor schedule maintenance inspection safety "
            + "equipment operator record temperature pressure volume quality control standard procedure manual "
            + "chapter section figure table appendix summary introduction conclusion reference method budget").split(" ");
    private final Random random = new Random(42);

    enum Format {
        PDF("application/pdf", "pdf"),
        DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        PPTX("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx");

        final String mediaType;
        final String extension;

        Format(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }
    }

    Path write(Format format, double megabytes, Path directory) throws IOException {
        long target = (long) (megabytes * 1_000_000);
        Path file = directory.resolve("large." + format.extension);
        switch (format) {
            case PDF -> pdf(file, target);
            case DOCX -> docx(file, target);
            case XLSX -> xlsx(file, target);
            case PPTX -> pptx(file, target);
        }
        return file;
    }

    /**
     * Half the words from the vocabulary, half random letters: text that compresses about as much as real
     * prose in a zip (a small vocabulary alone would make a 50 MB DOCX hold gigabytes of text).
     */
    private String sentence() {
        StringBuilder s = new StringBuilder();
        int words = 8 + random.nextInt(12);
        for (int i = 0; i < words; i++) {
            String word = random.nextBoolean() ? WORDS[random.nextInt(WORDS.length)] : randomWord();
            s.append(i == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
            s.append(i == words - 1 ? ". " : " ");
        }
        if (random.nextInt(4) == 0) s.append(random.nextInt(100_000)).append(' ');
        return s.toString();
    }

    private String randomWord() {
        char[] letters = new char[2 + random.nextInt(9)];
        for (int i = 0; i < letters.length; i++) letters[i] = (char) ('a' + random.nextInt(26));
        return new String(letters);
    }

    private void pdf(Path file, long target) throws IOException {
        PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        // An uncompressed page of 48 lines of ~90 characters is ~5 kB.
        int pages = (int) Math.max(1, target / 5_200);
        try (PDDocument document = new PDDocument()) {
            for (int p = 0; p < pages; p++) {
                PDPage page = new PDPage();
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page,
                        PDPageContentStream.AppendMode.OVERWRITE, false)) {
                    content.beginText();
                    content.setFont(font, 9);
                    content.setLeading(14);
                    content.newLineAtOffset(40, 750);
                    for (int line = 0; line < 48; line++) {
                        String text = sentence();
                        content.showText(text.length() > 95 ? text.substring(0, 95) : text);
                        content.newLine();
                    }
                    content.endText();
                }
            }
            document.save(file.toFile());
        }
    }

    private void docx(Path file, long target) throws IOException {
        try (CountingOutput counted = new CountingOutput(Files.newOutputStream(file));
             ZipOutputStream zip = new ZipOutputStream(counted)) {
            entry(zip, "[Content_Types].xml", """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
                    <Default Extension="xml" ContentType="application/xml"/>
                    <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
                    </Types>""");
            entry(zip, "_rels/.rels", """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
                    </Relationships>""");
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            write(zip, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document "
                    + "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>");
            while (counted.count < target) {
                StringBuilder paragraphs = new StringBuilder();
                for (int i = 0; i < 200; i++) {
                    paragraphs.append("<w:p><w:r><w:t xml:space=\"preserve\">").append(sentence()).append(sentence())
                            .append(sentence()).append("</w:t></w:r></w:p>");
                }
                write(zip, paragraphs.toString());
                zip.flush();
            }
            write(zip, "</w:body></w:document>");
            zip.closeEntry();
        }
    }

    private void xlsx(Path file, long target) throws IOException {
        // SXSSF writes the sheet to a temporary file and zips it at the end: calibrate rows per byte on a sample.
        int sampleRows = 20_000;
        double bytesPerRow = xlsxRows(file, sampleRows) / (double) sampleRows;
        xlsxRows(file, (int) Math.max(1, target / bytesPerRow));
    }

    private long xlsxRows(Path file, int rows) throws IOException {
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(100); OutputStream out = Files.newOutputStream(file)) {
            Sheet sheet = workbook.createSheet("readings");
            Row header = sheet.createRow(0);
            String[] names = {"station", "reading", "note", "operator", "value"};
            for (int c = 0; c < names.length; c++) header.createCell(c).setCellValue(names[c]);
            for (int r = 1; r <= rows; r++) {
                Row row = sheet.createRow(r);
                row.createCell(0).setCellValue(WORDS[random.nextInt(WORDS.length)] + " " + random.nextInt(1000));
                row.createCell(1).setCellValue(random.nextInt(1_000_000) / 100.0);
                row.createCell(2).setCellValue(sentence());
                row.createCell(3).setCellValue(WORDS[random.nextInt(WORDS.length)]);
                row.createCell(4).setCellValue(random.nextInt(100_000));
            }
            workbook.write(out);
            workbook.dispose();
        }
        return Files.size(file);
    }

    private void pptx(Path file, long target) throws IOException {
        byte[] template;
        try (InputStream in = LargeDocuments.class.getResourceAsStream("/formats/slides.pptx")) {
            if (in == null) throw new IllegalStateException("the slides.pptx template is missing from quarry-testing");
            template = in.readAllBytes();
        }
        String slideRels = null, presentation = null, presentationRels = null, contentTypes = null;
        try (CountingOutput counted = new CountingOutput(Files.newOutputStream(file));
             ZipOutputStream zip = new ZipOutputStream(counted)) {
            try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(template))) {
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    byte[] bytes = in.readAllBytes();
                    switch (e.getName()) {
                        case "ppt/slides/slide1.xml" -> { }
                        case "ppt/slides/_rels/slide1.xml.rels" -> slideRels = utf8(bytes);
                        case "ppt/presentation.xml" -> presentation = utf8(bytes);
                        case "ppt/_rels/presentation.xml.rels" -> presentationRels = utf8(bytes);
                        case "[Content_Types].xml" -> contentTypes = utf8(bytes);
                        default -> {
                            zip.putNextEntry(new ZipEntry(e.getName()));
                            zip.write(bytes);
                            zip.closeEntry();
                        }
                    }
                }
            }
            if (slideRels == null || presentation == null || presentationRels == null || contentTypes == null) {
                throw new IllegalStateException("slides.pptx is not the expected pandoc package");
            }
            List<Integer> slides = new ArrayList<>();
            for (int n = 1; counted.count < target; n++) {
                entry(zip, "ppt/slides/slide" + n + ".xml", slide());
                entry(zip, "ppt/slides/_rels/slide" + n + ".xml.rels", slideRels);
                slides.add(n);
                zip.flush();
            }
            StringBuilder ids = new StringBuilder("<p:sldIdLst>"), rels = new StringBuilder(), types = new StringBuilder();
            for (int n : slides) {
                ids.append("<p:sldId id=\"").append(255 + n).append("\" r:id=\"rIdS").append(n).append("\"/>");
                rels.append("<Relationship Id=\"rIdS").append(n).append("\" Type=\"http://schemas.openxmlformats.org/")
                        .append("officeDocument/2006/relationships/slide\" Target=\"slides/slide").append(n).append(".xml\"/>");
                types.append("<Override PartName=\"/ppt/slides/slide").append(n).append(".xml\" ContentType=\"")
                        .append("application/vnd.openxmlformats-officedocument.presentationml.slide+xml\"/>");
            }
            entry(zip, "ppt/presentation.xml", presentation.replaceFirst("<p:sldIdLst>.*?</p:sldIdLst>",
                    ids.append("</p:sldIdLst>").toString()));
            entry(zip, "ppt/_rels/presentation.xml.rels", presentationRels
                    .replaceFirst("<Relationship [^>]*relationships/slide\"[^>]*/>", "")
                    .replace("</Relationships>", rels + "</Relationships>"));
            entry(zip, "[Content_Types].xml", contentTypes
                    .replaceFirst("<Override PartName=\"/ppt/slides/slide1.xml\"[^>]*/>", "")
                    .replace("</Types>", types + "</Types>"));
        }
    }

    /**
     * Paragraphs per slide: many, so that 50 MB of slides stay under POI's limit of 1,000 entries in a package
     * (a zip-bomb guard both Tika and Quarry apply; with 12 a slide, a 22 MB file was refused by both).
     */
    static final int PARAGRAPHS_PER_SLIDE = 400;

    private String slide() {
        StringBuilder paragraphs = new StringBuilder();
        for (int i = 0; i < PARAGRAPHS_PER_SLIDE; i++) paragraphs.append("<a:p><a:r><a:rPr lang=\"en-US\"/><a:t>").append(sentence()).append("</a:t></a:r></a:p>");
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><p:sld "
                + "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
                + "xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" "
                + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><p:cSld><p:spTree>"
                + "<p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>"
                + "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Text\"/><p:cNvSpPr txBox=\"1\"/><p:nvPr/></p:nvSpPr>"
                + "<p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>" + paragraphs + "</p:txBody></p:sp>"
                + "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>";
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void entry(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        write(zip, text.strip());
        zip.closeEntry();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes that reached the file so far: how the zip-based writers know when the target size is reached. */
    private static final class CountingOutput extends FilterOutputStream {
        long count;

        CountingOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
