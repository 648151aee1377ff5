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
import java.util.zip.ZipInputStream;
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

    /**
     * A file made by a real producer (LibreOffice, pandoc, Python's email library), committed under
     * {@code formats/}; its README says how each was made.
     */
    public static Sample produced(String filename, String mediaType) {
        try (var in = SampleFiles.class.getResourceAsStream("/formats/" + filename)) {
            if (in == null) throw new IllegalArgumentException("no produced sample " + filename);
            return new Sample(filename, mediaType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A zip bomb in the shape of {@code container} (an OOXML, ODF or EPUB file, all zips): a copy in which
     * the entry holding {@code marker} has {@code expandedBytes} of one letter inserted after it. Deflate
     * packs that ~1000:1, so a few kilobytes of upload expand to tens of megabytes of text.
     */
    public static Sample zipBomb(Sample container, String marker, int expandedBytes) {
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(container.bytes()));
             ByteArrayOutputStream bytes = new ByteArrayOutputStream(); ZipOutputStream out = new ZipOutputStream(bytes)) {
            boolean planted = false;
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                byte[] content = in.readAllBytes();
                ZipEntry copy = new ZipEntry(entry.getName());
                if (entry.getName().equals("mimetype")) { // ODF and EPUB: stored, uncompressed, first
                    copy.setMethod(ZipEntry.STORED);
                    copy.setSize(content.length);
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(content);
                    copy.setCrc(crc.getValue());
                }
                out.putNextEntry(copy);
                String text = new String(content, StandardCharsets.UTF_8);
                int at = planted ? -1 : text.indexOf(marker);
                if (at < 0) {
                    out.write(content);
                } else {
                    planted = true;
                    out.write(utf8(text.substring(0, at + marker.length())));
                    byte[] letters = new byte[1 << 20];
                    java.util.Arrays.fill(letters, (byte) 'a');
                    for (int written = 0; written < expandedBytes; written += letters.length) out.write(letters);
                    out.write(utf8(text.substring(at + marker.length())));
                }
                out.closeEntry();
            }
            if (!planted) throw new IllegalArgumentException(container.filename() + " has no entry holding " + marker);
            out.finish();
            return new Sample("bomb-" + container.filename(), container.mediaType(), bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code plain} (an OOXML file) encrypted with a password, as Office and POI write it (agile encryption). */
    public static Sample passwordProtected(Sample plain) {
        try (org.apache.poi.poifs.filesystem.POIFSFileSystem fs = new org.apache.poi.poifs.filesystem.POIFSFileSystem();
             ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            var info = new org.apache.poi.poifs.crypt.EncryptionInfo(org.apache.poi.poifs.crypt.EncryptionMode.agile);
            var encryptor = info.getEncryptor();
            encryptor.confirmPassword("user-secret");
            try (var data = encryptor.getDataStream(fs)) {
                data.write(plain.bytes());
            }
            fs.writeFilesystem(bytes);
            return new Sample("locked-" + plain.filename(), "application/x-tika-ooxml-protected", bytes.toByteArray());
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The "billion laughs": ten levels of ten entity references, a gigabyte if a parser expands them. */
    public static Sample xmlEntityBomb() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol0 \"lol\">\n");
        for (int i = 1; i <= 10; i++) {
            xml.append(" <!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        xml.append("]>\n<lolz>&lol10;</lolz>\n");
        return text("lolz.xml", "application/xml", xml.toString());
    }

    /** A CSV whose header and one row have {@code columns} columns. */
    public static Sample wideCsv(int columns) {
        StringBuilder csv = new StringBuilder(columns * 16);
        for (int i = 0; i < columns; i++) csv.append(i == 0 ? "" : ",").append('c').append(i);
        csv.append('\n');
        for (int i = 0; i < columns; i++) csv.append(i == 0 ? "" : ",").append(i);
        csv.append('\n');
        return text("wide.csv", "text/csv", csv.toString());
    }

    /** A 1x1 PNG. */
    /** A 1x1 GIF: an image format Quarry does not OCR, so refused even with OCR on. */
    public static byte[] gif() {
        return HexFormat.of().parseHex("47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b");
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
