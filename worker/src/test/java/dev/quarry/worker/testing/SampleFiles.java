package dev.quarry.worker.testing;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Real files of every supported format, built in memory so no binary fixture needs to be committed. */
public final class SampleFiles {
    private SampleFiles() {
    }

    /** A file, the media type Tika detects for it, and its name. */
    public record Sample(String filename, String mediaType, byte[] bytes) {
    }

    public static Sample text(String filename, String mediaType, String content) {
        return new Sample(filename, mediaType, content.getBytes(StandardCharsets.UTF_8));
    }

    public static Sample pdf(String... lines) {
        return new Sample("sample.pdf", "application/pdf", pdfBytes(null, lines));
    }

    public static Sample encryptedPdf(String line) {
        return new Sample("locked.pdf", "application/pdf", pdfBytes("user-secret", line));
    }

    /** Starts like a PDF, so Tika hands it to PDFBox, which then fails. */
    public static Sample corruptPdf() {
        return text("broken.pdf", "application/pdf", "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n"
                + "garbage that is no PDF structure at all\n%%EOF");
    }

    public static Sample docx(String... paragraphs) {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (String paragraph : paragraphs) doc.createParagraph().createRun().setText(paragraph);
            doc.write(out);
            return new Sample("sample.docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] pdfBytes(String userPassword, String... lines) {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 11);
                content.setLeading(14);
                content.newLineAtOffset(72, 720);
                for (String line : lines) {
                    content.showText(line);
                    content.newLine();
                }
                content.endText();
            }
            if (userPassword != null) {
                var policy = new StandardProtectionPolicy("owner-secret", userPassword, new AccessPermission());
                policy.setEncryptionKeyLength(128);
                doc.protect(policy);
            }
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
