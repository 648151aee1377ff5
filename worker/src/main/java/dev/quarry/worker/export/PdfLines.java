package dev.quarry.worker.export;

import org.apache.pdfbox.pdmodel.font.PDFont;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Text made fit for one PDFBox font: characters it cannot encode become {@code ?} (tabs a space), and a
 * paragraph is wrapped at spaces to the line width (a word longer than a line is cut). Which characters the
 * font encodes is learnt once per character.
 */
final class PdfLines {
    private final PDFont font;
    private final float size;
    private final float width;
    private final byte[] encodable = new byte[Character.MAX_VALUE + 1]; // 0 unknown, 1 yes, 2 no

    PdfLines(PDFont font, float size, float width) {
        this.font = font;
        this.size = size;
        this.width = width;
    }

    String clean(String text) {
        if (text == null) return "";
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\t' || c == '\r' || c == '\n') clean.append(' ');
            else clean.append(encodable(c) ? c : '?');
        }
        return clean.toString();
    }

    List<String> wrap(String paragraph) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : clean(paragraph).split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (width(candidate) <= width) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (!line.isEmpty()) lines.add(line.toString());
            line.setLength(0);
            while (width(word) > width) {
                int cut = fitting(word);
                lines.add(word.substring(0, cut));
                word = word.substring(cut);
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private int fitting(String word) throws IOException {
        int cut = 1;
        while (cut < word.length() && width(word.substring(0, cut + 1)) <= width) cut++;
        return cut;
    }

    private float width(String text) throws IOException {
        return font.getStringWidth(text) / 1000 * size;
    }

    private boolean encodable(char c) {
        if (Character.isISOControl(c)) return false;
        if (encodable[c] == 0) {
            try {
                font.encode(String.valueOf(c));
                encodable[c] = 1;
            } catch (IllegalArgumentException | IOException e) {
                encodable[c] = 2;
            }
        }
        return encodable[c] == 1;
    }
}
