package dev.quarry.worker.ingest;

import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.sax.BodyContentHandler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plain text out of any format Tika knows (PDF through PDFBox, DOCX through POI, HTML, CSV, JSON, Markdown,
 * source code, ...). One {@link AutoDetectParser} is shared: building it loads every parser and the MIME
 * registry, and it is thread-safe.
 * <p>
 * When the caller knows the media type (the API detected it from the content with Tika at upload), the
 * parser for that type is used directly: re-detecting (magic matching over the registry) and rebuilding
 * the type-to-parser map on every call were half of the CPU a small document cost outside the model.
 * Without a type, or for a type no parser claims, Tika detects as usual.
 * <p>
 * Fails with {@link UnprocessableDocumentException} for anything Tika cannot read, including I/O errors:
 * the bytes are already in memory, so an I/O error here means a broken file, not a broken network.
 */
final class TikaTextExtractor {
    private final AutoDetectParser autoDetect;
    private final Map<MediaType, Parser> parsersByType;
    private final MediaTypeRegistry registry;
    private final Map<String, Parser> resolved = new ConcurrentHashMap<>();

    TikaTextExtractor(AutoDetectParser autoDetect) {
        this.autoDetect = autoDetect;
        this.parsersByType = Map.copyOf(autoDetect.getParsers());
        this.registry = autoDetect.getMediaTypeRegistry();
    }

    String extract(byte[] bytes, String mediaType, String filename) {
        if (bytes.length == 0) throw new UnprocessableDocumentException("the file is empty");
        Metadata metadata = new Metadata();
        if (filename != null) metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
        Parser parser = autoDetect;
        if (mediaType != null) {
            Parser known = resolved.computeIfAbsent(mediaType, this::parserFor);
            if (known != autoDetect) {
                parser = known;
                metadata.set(Metadata.CONTENT_TYPE, mediaType);
            } else {
                metadata.set(TikaCoreProperties.CONTENT_TYPE_HINT, mediaType);
            }
        }
        // -1: no write limit; a 50 MB upload may well hold more than the default 100k characters.
        BodyContentHandler text = new BodyContentHandler(-1);
        try (TikaInputStream in = TikaInputStream.get(bytes)) {
            parser.parse(in, text, metadata, context());
        } catch (EncryptedDocumentException e) {
            throw new UnprocessableDocumentException("the document is encrypted", e);
        } catch (Exception e) {
            throw new UnprocessableDocumentException("the document could not be read as "
                    + metadata.get(Metadata.CONTENT_TYPE) + ": " + rootMessage(e), e);
        }
        String extracted = text.toString();
        if (extracted.isBlank()) {
            throw new UnprocessableDocumentException("no text found in the document (" + metadata.get(Metadata.CONTENT_TYPE) + ")");
        }
        return extracted;
    }

    /** The parser Tika would pick for this type (walking up supertypes), or the auto-detecting one. */
    private Parser parserFor(String mediaType) {
        MediaType type = MediaType.parse(mediaType);
        if (type == null || type.equals(MediaType.OCTET_STREAM)) return autoDetect;
        for (type = registry.normalize(type); type != null; type = registry.getSupertype(type)) {
            Parser parser = parsersByType.get(type);
            if (parser != null) return parser;
        }
        return autoDetect;
    }

    private static ParseContext context() {
        ParseContext context = new ParseContext();
        // No OCR: it would shell out to tesseract per image, minutes per scanned PDF, and is not promised.
        TesseractOCRConfig ocr = new TesseractOCRConfig();
        ocr.setSkipOcr(true);
        context.set(TesseractOCRConfig.class, ocr);
        return context;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
        // Parser messages can quote a little of the input; keep the job's error short.
        return message.length() <= 200 ? message : message.substring(0, 200) + "...";
    }
}
