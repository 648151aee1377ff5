package dev.quarry.worker.ingest;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

/**
 * How many pages (frames) a TIFF holds, read from its directory chain with the JDK's TIFF reader, without
 * decoding a picture: Tesseract reads every frame of a TIFF in one call, so the page bound must know them
 * before it starts. A TIFF the reader cannot count counts as one page (Tika's parse then reports what is wrong).
 */
final class TiffFrames {
    static final String MEDIA_TYPE = "image/tiff";

    private TiffFrames() {
    }

    static int count(byte[] tiff) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(tiff))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) return 1;
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, false, true);
                return Math.max(1, reader.getNumImages(true));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return 1;
        }
    }
}
