package dev.quarry.testing;

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
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Real files of every supported format (and of some rejected ones), built in memory so no binary fixture
 * needs to be committed. PDFBox and POI come with Tika, which the modules using these files have.
 */
public final class SampleFiles {
    private SampleFiles() {
    }

    /** A file, the media type Tika detects for it, and its name. */
    public record Sample(String filename, String mediaType, byte[] bytes) {
    }

    public static Sample text(String filename, String mediaType, String content) {
        return new Sample(filename, mediaType, utf8(content));
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A one-page PDF, one line of text per argument. */
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

    /** A 1x1 PNG. */
    public static byte[] png() {
        return HexFormat.of().parseHex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                + "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082");
    }

    public static byte[] zip() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("inside.txt"));
            zip.write(utf8("hello from inside a zip"));
            zip.closeEntry();
            zip.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The start of an ELF executable followed by padding. */
    public static byte[] elf() {
        byte[] bytes = new byte[512];
        byte[] magic = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
        System.arraycopy(magic, 0, bytes, 0, magic.length);
        bytes[16] = 2; // ET_EXEC
        bytes[18] = 0x3e; // x86-64
        return bytes;
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
