package dev.quarry.testing;

import dev.quarry.testing.SampleFiles.Sample;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;

/**
 * Pages as a scanner delivers them: known lines of text drawn with Java2D into a 200 dpi greyscale image,
 * written as PNG, JPEG or TIFF (the JDK's own ImageIO writers), or wrapped as the only content of a PDF
 * page, with no text layer, so that only OCR can find the words.
 */
public final class ScannedPages {
    private static final int DPI = 200;
    private static final int WIDTH = (int) (8.27 * DPI);

    private ScannedPages() {
    }

    public static Sample image(String format, String mediaType, String... lines) {
        BufferedImage page = render(lines);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(page, format, out)) throw new IllegalArgumentException("no ImageIO writer for " + format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Sample("scan." + format, mediaType, out.toByteArray());
    }

    /** A PDF whose one page is the scanned image: PDF text extraction alone finds nothing in it. */
    public static Sample pdf(String... lines) {
        return pdfOf("scan.pdf", List.of(render(lines)));
    }

    /** A PDF of scanned pages only, one page per line of {@code pages}. */
    public static Sample pdfPages(String... pages) {
        return pdfOf("scans.pdf", Stream.of(pages).map(ScannedPages::render).toList());
    }

    /** A multi-page TIFF, one page per line of {@code pages}, as a scanner's document feeder writes it. */
    public static Sample multiPageTiff(String... pages) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (String page : pages) writer.writeToSequence(new IIOImage(render(page), null, null), null);
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return new Sample("scans.tiff", "image/tiff", out.toByteArray());
    }

    private static Sample pdfOf(String filename, List<BufferedImage> pages) {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (BufferedImage page : pages) {
                PDRectangle size = new PDRectangle(page.getWidth() * 72f / DPI, page.getHeight() * 72f / DPI);
                PDPage pdfPage = new PDPage(size);
                document.addPage(pdfPage);
                PDImageXObject image = LosslessFactory.createFromImage(document, page);
                try (PDPageContentStream content = new PDPageContentStream(document, pdfPage)) {
                    content.drawImage(image, 0, 0, size.getWidth(), size.getHeight());
                }
            }
            document.save(out);
            return new Sample(filename, "application/pdf", out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage render(String... lines) {
        int lineHeight = DPI / 3;
        BufferedImage page = new BufferedImage(WIDTH, lineHeight * (lines.length + 2), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = page.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, page.getWidth(), page.getHeight());
            g.setColor(Color.BLACK);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            // 12 pt at 200 dpi, in the JDK's always-present logical serif font.
            g.setFont(new Font(Font.SERIF, Font.PLAIN, 12 * DPI / 72));
            for (int i = 0; i < lines.length; i++) g.drawString(lines[i], DPI / 2, lineHeight * (i + 1) + lineHeight / 2);
        } finally {
            g.dispose();
        }
        return page;
    }
}
