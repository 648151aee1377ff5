package dev.quarry.worker.ingest;

import org.apache.tika.sax.ContentHandlerDecorator;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Counts the pages Tesseract reads, which Tika marks with a {@code <div class="ocr">} per page image (a
 * scanned PDF's page or an image), and stops the parse at the first one over the bound: pages with a text
 * layer cost nothing and are not counted.
 */
final class OcrPageLimit extends ContentHandlerDecorator {
    private final int maxPages;
    private int pages;

    OcrPageLimit(ContentHandler handler, int maxPages) {
        super(handler);
        this.maxPages = maxPages;
    }

    static boolean isCauseOf(Throwable e) {
        return Causes.chainHas(e, Exceeded.class);
    }

    @Override
    public void startElement(String uri, String localName, String name, Attributes atts) throws SAXException {
        if ("div".equals(localName) && "ocr".equals(atts.getValue("class")) && ++pages > maxPages) {
            throw new Exceeded();
        }
        super.startElement(uri, localName, name, atts);
    }

    private static final class Exceeded extends SAXException {
        Exceeded() {
            super("too many pages to OCR");
        }
    }
}
