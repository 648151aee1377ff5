package dev.quarry.worker.ingest;

import dev.quarry.text.SectionMarks;
import org.apache.tika.sax.ContentHandlerDecorator;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Marks the headings of Tika's XHTML ({@code h1} to {@code h6}: what its HTML, EPUB, DOCX and ODT parsers
 * emit for headings and heading styles) in the text, as {@link SectionMarks} lines, so that the chunker
 * can tell which section each passage sits in. A document's own private-use marks are dropped on the way,
 * so only real headings are marked.
 */
final class HeadingMarks extends ContentHandlerDecorator {

    HeadingMarks(ContentHandler text) {
        super(text);
    }

    @Override
    public void startElement(String uri, String localName, String name, Attributes atts) throws SAXException {
        super.startElement(uri, localName, name, atts);
        int level = level(localName);
        if (level > 0) write("\n\n" + SectionMarks.mark(level));
    }

    @Override
    public void endElement(String uri, String localName, String name) throws SAXException {
        if (level(localName) > 0) write("\n\n");
        super.endElement(uri, localName, name);
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        for (int i = start; i < start + length; i++) {
            if (SectionMarks.isMark(ch[i])) {
                String own = new String(ch, start, length);
                write(SectionMarks.strip(own));
                return;
            }
        }
        super.characters(ch, start, length);
    }

    private void write(String text) throws SAXException {
        super.characters(text.toCharArray(), 0, text.length());
    }

    private static int level(String localName) {
        if (localName == null || localName.length() != 2 || localName.charAt(0) != 'h') return 0;
        char digit = localName.charAt(1);
        return digit >= '1' && digit <= '6' ? digit - '0' : 0;
    }
}
