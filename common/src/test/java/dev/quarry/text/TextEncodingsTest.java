package dev.quarry.text;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TextEncodingsTest {
    /** Accents, an en dash and an ellipsis: the characters Windows-1252 and Latin-1 disagree or agree on. */
    static final String FRENCH = "Café crème brûlée, naïve résumé – déjà vu … Zürich, Ærøskøbing. ";
    static final String LATIN1 = "Café crème brûlée, naïve résumé, déjà vu à Zürich, Ærøskøbing. ";

    @Test
    void windows_1252_is_text_and_decodes_to_its_characters() {
        byte[] bytes = FRENCH.repeat(3).getBytes(Charset.forName("windows-1252"));

        assertThat(TextEncodings.detect(bytes)).contains(Charset.forName("windows-1252"));
        assertThat(TextEncodings.decode(bytes)).isEqualTo(FRENCH.repeat(3));
    }

    @Test
    void latin_1_decodes_to_its_characters() {
        byte[] bytes = LATIN1.repeat(3).getBytes(StandardCharsets.ISO_8859_1);

        assertThat(TextEncodings.decode(bytes)).isEqualTo(LATIN1.repeat(3));
    }

    @Test
    void utf_16_with_and_without_a_byte_order_mark_decodes() {
        String text = FRENCH.repeat(2);

        assertThat(TextEncodings.decode(text.getBytes(StandardCharsets.UTF_16))).isEqualTo(text); // BOM, big-endian
        assertThat(TextEncodings.decode(concat(new byte[]{(byte) 0xFF, (byte) 0xFE}, text.getBytes(StandardCharsets.UTF_16LE))))
                .isEqualTo(text);
        assertThat(TextEncodings.decode(text.getBytes(StandardCharsets.UTF_16LE))).isEqualTo(text);
        assertThat(TextEncodings.decode(text.getBytes(StandardCharsets.UTF_16BE))).isEqualTo(text);
    }

    @Test
    void utf_8_with_a_few_bad_bytes_is_text_with_the_bad_bytes_replaced() {
        byte[] good = FRENCH.repeat(5).getBytes(StandardCharsets.UTF_8);
        byte[] bytes = concat(good, new byte[]{(byte) 0xC3, ' ', (byte) 0xFF, ' '}, good);

        assertThat(TextEncodings.detect(bytes)).contains(StandardCharsets.UTF_8);
        assertThat(TextEncodings.decode(bytes)).isEqualTo(FRENCH.repeat(5) + "\uFFFD \uFFFD " + FRENCH.repeat(5));
    }

    @Test
    void utf_8_with_a_byte_order_mark_loses_the_mark() {
        byte[] bytes = concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, FRENCH.getBytes(StandardCharsets.UTF_8));

        assertThat(TextEncodings.decode(bytes)).isEqualTo(FRENCH);
    }

    @Test
    void binary_is_not_text() {
        byte[] noise = new byte[8192];
        new Random(5).nextBytes(noise);
        byte[] zeros = new byte[4096];

        assertThat(TextEncodings.detect(noise)).isEmpty();
        assertThat(TextEncodings.detect(zeros)).isEmpty();
        assertThat(TextEncodings.detect(new byte[0])).isEmpty();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }
}
