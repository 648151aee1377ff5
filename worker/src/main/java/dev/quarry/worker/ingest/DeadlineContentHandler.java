package dev.quarry.worker.ingest;

import org.apache.tika.sax.ContentHandlerDecorator;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

import java.time.Duration;

/**
 * Stops a parse that runs past its deadline, by failing the next SAX event the parser emits: Tika's
 * parsers ignore interrupts, but every one of them reports what it reads through its handler. A parser
 * that works without emitting anything is not stopped; the compression-ratio and character limits are what
 * bound those (see {@link ExtractionLimits}).
 */
final class DeadlineContentHandler extends ContentHandlerDecorator {
    private final long deadline;
    private final Duration timeout;
    private int events;

    DeadlineContentHandler(ContentHandler handler, Duration timeout) {
        super(handler);
        this.timeout = timeout;
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    static boolean isCauseOf(Throwable e) {
        return Causes.chainHas(e, Exceeded.class);
    }

    @Override
    public void startElement(String uri, String localName, String name, Attributes atts) throws SAXException {
        check();
        super.startElement(uri, localName, name, atts);
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        check();
        super.characters(ch, start, length);
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        check();
        super.ignorableWhitespace(ch, start, length);
    }

    private void check() throws SAXException {
        // nanoTime is cheap, but parsers emit millions of events: look every 256th.
        if ((events++ & 0xff) == 0 && System.nanoTime() - deadline > 0) {
            throw new Exceeded("extraction took longer than " + timeout.toSeconds() + " s");
        }
    }

    static final class Exceeded extends SAXException {
        Exceeded(String message) {
            super(message);
        }
    }
}
