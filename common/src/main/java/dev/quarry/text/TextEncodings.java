package dev.quarry.text;

import org.apache.tika.parser.txt.CharsetDetector;
import org.apache.tika.parser.txt.CharsetMatch;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Which charset a text file is in, or that it is no text at all. The api asks it of content Tika's type
 * detection calls {@code application/octet-stream} (Tika reads Windows-1252 or BOM-less UTF-16 as binary),
 * and the worker decodes with the same answer, so what the upload accepted is what extraction reads.
 * <p>
 * In order: a byte-order mark; the zero bytes of BOM-less UTF-16 (every other byte of Latin text);
 * UTF-8 when its multi-byte sequences are valid, tolerating a few bad bytes (they become U+FFFD, a file is
 * not refused for them); else ICU's statistical detector (Tika's port), which tells Windows-1252 from
 * ISO-8859-1 and the other legacy charsets. The bytes are text when, decoded so, almost no character is a
 * control character or a replacement: that is what binary looks like in any single-byte charset.
 */
public final class TextEncodings {
    /** The bytes looked at: enough for any statistic here, and bounded for a 50 MB upload. */
    private static final int SAMPLE = 64 * 1024;
    /** Control characters and replacements tolerated per 1000 decoded characters. */
    private static final int MAX_NOISE_PER_MILLE = 5;
    private static final Charset UTF_16 = StandardCharsets.UTF_16;

    private TextEncodings() {
    }

    /** The charset {@code bytes} are text in, or empty when they are binary (or empty). */
    public static Optional<Charset> detect(byte[] bytes) {
        if (bytes.length == 0) return Optional.empty();
        byte[] sample = bytes.length <= SAMPLE ? bytes : Arrays.copyOf(bytes, SAMPLE);
        Charset charset = byteOrderMark(sample);
        if (charset == null) charset = bomlessUtf16(sample);
        if (charset == null && mostlyValidUtf8(sample)) charset = StandardCharsets.UTF_8;
        if (charset == null) charset = statistical(sample);
        return charset != null && readsAsText(sample, charset) ? Optional.of(charset) : Optional.empty();
    }

    /** The text of {@code bytes} in the detected charset, bad sequences replaced; UTF-8 for binary. */
    public static String decode(byte[] bytes) {
        Charset charset = detect(bytes).orElse(StandardCharsets.UTF_8);
        String text = new String(bytes, charset);
        return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    }

    private static Charset byteOrderMark(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
            return StandardCharsets.UTF_8;
        }
        if (b.length >= 2 && ((b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF
                || (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE)) {
            return UTF_16; // Java's UTF-16 decoder reads the mark's byte order and drops the mark
        }
        return null;
    }

    /** Latin-script UTF-16 has a zero in (nearly) every high byte and almost none in the low ones. */
    private static Charset bomlessUtf16(byte[] b) {
        int pairs = b.length / 2;
        if (pairs < 2) return null;
        int evenZeros = 0;
        int oddZeros = 0;
        for (int i = 0; i + 1 < b.length; i += 2) {
            if (b[i] == 0) evenZeros++;
            if (b[i + 1] == 0) oddZeros++;
        }
        if (oddZeros * 10 >= pairs * 7 && evenZeros * 20 <= pairs) return StandardCharsets.UTF_16LE;
        if (evenZeros * 10 >= pairs * 7 && oddZeros * 20 <= pairs) return StandardCharsets.UTF_16BE;
        return null;
    }

    /**
     * ASCII, or UTF-8 whose valid multi-byte characters far outnumber its bad bytes. A legacy 8-bit file
     * has almost no valid multi-byte sequences, so it fails here and goes to the statistical detector.
     */
    private static boolean mostlyValidUtf8(byte[] b) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer chars = CharBuffer.allocate(b.length + 1);
        // The sample may end inside a character: that is a cut, not a bad byte.
        decoder.decode(ByteBuffer.wrap(b, 0, b.length), chars, false);
        chars.flip();
        int nonAscii = 0;
        int replaced = 0;
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (c == '\uFFFD') replaced++;
            else if (c > 127) nonAscii++;
        }
        return replaced == 0 || nonAscii >= 4 * replaced;
    }

    private static Charset statistical(byte[] b) {
        CharsetDetector detector = new CharsetDetector();
        detector.setText(b);
        CharsetMatch match = detector.detect();
        if (match == null) return null;
        try {
            return Charset.forName(match.getName());
        } catch (IllegalArgumentException unknownToJava) {
            return null;
        }
    }

    private static boolean readsAsText(byte[] sample, Charset charset) {
        String text = new String(sample, charset);
        int noise = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n' && c != '\r' && c != '\f';
            if (control || c == '\uFFFD') noise++;
        }
        // The sample's last character may be a cut one: one replacement is never noise.
        return Math.max(0, noise - 1) * 1000L <= (long) text.length() * MAX_NOISE_PER_MILLE;
    }
}
