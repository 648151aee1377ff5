package dev.quarry.worker.ingest;

import org.apache.tika.sax.ContentHandlerDecorator;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Counts the pages Tesseract reads, which Tika marks with a {@code <div class="ocr">} per OCR call (a scanned
 * PDF's page or an image), stops the parse at the first one over the bound, and reports each page read to
 * {@link OcrProgress} when its block ends. Pages with a text layer cost nothing and are not counted.
 * <p>
 * A multi-page TIFF is one Tesseract call, and so one block, holding all its frames: the extractor counts
 * the frames first and passes them as {@code pagesPerBlock}, so that each counts toward the bound, and the
 * frames are reported together when Tesseract returns.
 */
final class OcrPageLimit extends ContentHandlerDecorator {
    private final int maxPages;
    private final int pagesPerBlock;
    private final OcrProgress progress;
    private int pages;
    /** Open {@code div}s since the current OCR block began, the block's own included; 0 outside a block. */
    private int openDivs;

    OcrPageLimit(ContentHandler handler, int maxPages) {
        this(handler, maxPages, 1, OcrProgress.NONE);
    }

    OcrPageLimit(ContentHandler handler, int maxPages, int pagesPerBlock, OcrProgress progress) {
        super(handler);
        this.maxPages = maxPages;
        this.pagesPerBlock = pagesPerBlock;
        this.progress = progress;
    }

    static boolean isCauseOf(Throwable e) {
        return Causes.chainHas(e, Exceeded.class);
    }

    /** Refuses {@code pages} before any is read, when they alone exceed the bound. */
    static void check(int pages, int maxPages) throws SAXException {
        if (pages > maxPages) throw new Exceeded();
    }

    @Override
    public void startElement(String uri, String localName, String name, Attributes atts) throws SAXException {
        if ("div".equals(localName)) {
            if (openDivs > 0) {
                openDivs++;
            } else if ("ocr".equals(atts.getValue("class"))) {
                pages += pagesPerBlock;
                if (pages > maxPages) throw new Exceeded();
                openDivs = 1;
            }
        }
        super.startElement(uri, localName, name, atts);
    }

    @Override
    public void endElement(String uri, String localName, String name) throws SAXException {
        super.endElement(uri, localName, name);
        if ("div".equals(localName) && openDivs > 0 && --openDivs == 0) progress.pagesRead(pages);
    }

    private static final class Exceeded extends SAXException {
        Exceeded() {
            super("too many pages to OCR");
        }
    }
}
