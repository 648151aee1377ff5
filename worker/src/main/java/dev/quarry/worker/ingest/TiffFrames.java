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
 * before it starts. Counting stops one past {@code limit}, so that a hostile chain of directories (or one that
 * loops back on itself) costs no more than the bound. A TIFF the reader cannot count counts as one page
 * (Tika's parse then reports what is wrong).
 */
final class TiffFrames {
    static final String MEDIA_TYPE = "image/tiff";

    private TiffFrames() {
    }

    /** The frames, or {@code limit + 1} when there are more than {@code limit}. */
    static int count(byte[] tiff, int limit) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(tiff))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) return 1;
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, false, true);
                for (int frame = 0; frame <= limit; frame++) {
                    try {
                        reader.getWidth(frame); // reads the frame's directory, not its pixels
                    } catch (IndexOutOfBoundsException end) {
                        return Math.max(1, frame);
                    }
                }
                return limit + 1;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return 1;
        }
    }
}
