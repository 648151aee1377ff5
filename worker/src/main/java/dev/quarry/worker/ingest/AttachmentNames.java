package dev.quarry.worker.ingest;

import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.extractor.ParsingEmbeddedDocumentExtractor;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

import java.io.IOException;
import java.io.InputStream;

/**
 * An email's attachments are listed by name in its text, not ingested. Ingesting them would make one
 * upload many documents of any type, each needing the bounds of a top-level upload (an attached zip bomb,
 * a 50 MB attached PDF), and their text would be found under the email's title. The name is what a reader
 * of the email sees and may search for; the attachment itself can be uploaded as a document of its own.
 * <p>
 * Tika hands every MIME part to this extractor, the message body too: a part without a file name is the
 * body, and is parsed (into the same bounded handler as the rest of the message).
 */
final class AttachmentNames implements EmbeddedDocumentExtractor {
    private final EmbeddedDocumentExtractor body;

    AttachmentNames(Parser parser) {
        ParseContext context = new ParseContext();
        context.set(Parser.class, parser);
        this.body = new ParsingEmbeddedDocumentExtractor(context);
    }

    @Override
    public boolean shouldParseEmbedded(Metadata metadata) {
        return true;
    }

    @Override
    public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml)
            throws SAXException, IOException {
        String name = metadata.get(TikaCoreProperties.RESOURCE_NAME_KEY);
        if (name == null || name.isBlank()) {
            body.parseEmbedded(stream, handler, metadata, outputHtml);
            return;
        }
        char[] line = ("\nAttachment: " + name.strip() + "\n").toCharArray();
        handler.characters(line, 0, line.length);
    }
}
