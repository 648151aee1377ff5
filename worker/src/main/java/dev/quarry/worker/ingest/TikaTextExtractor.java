package dev.quarry.worker.ingest;

import dev.quarry.text.TextEncodings;
import org.apache.tika.detect.EncodingDetector;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.sax.BodyContentHandler;
import org.apache.tika.sax.SecureContentHandler;
import org.apache.tika.sax.TeeContentHandler;
import org.apache.tika.sax.WriteOutContentHandler;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
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
 * Every parse is bounded ({@link ExtractionLimits}): characters, time, and, through Tika's
 * {@link SecureContentHandler}, the ratio of text to compressed input that gives zip and XML bombs away.
 * <p>
 * With OCR on ({@link OcrSettings}), images (PNG, JPEG, TIFF) and the pages of a PDF without a text layer
 * are read by Tika's {@code TesseractOCRParser}, which runs the {@code tesseract} command; the pages it
 * reads are bounded by {@link OcrPageLimit}.
 * <p>
 * Headings (Tika's {@code h1} to {@code h6}, and Markdown's {@code #} lines) are marked in the text
 * ({@link HeadingMarks}, {@link MarkdownHeadings}), for the chunks' section paths.
 * <p>
 * Fails with {@link UnprocessableDocumentException} for anything Tika cannot read, including I/O errors:
 * the bytes are already in memory, so an I/O error here means a broken file, not a broken network.
 */
final class TikaTextExtractor {
    private static final String MESSAGE = "message/rfc822";
    private static final String OUTLOOK = "application/vnd.ms-outlook";
    private static final String CSV = "text/csv";
    /** Read by rows (see {@link SpreadsheetRows}) and chunked by {@link TableChunker#chunkTables}. */
    private static final Set<String> SPREADSHEETS = Set.of("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.oasis.opendocument.spreadsheet");
    private final AutoDetectParser autoDetect;
    private final Map<MediaType, Parser> parsersByType;
    private final MediaTypeRegistry registry;
    private final Map<String, Parser> resolved = new ConcurrentHashMap<>();
    private final ExtractionLimits limits;
    private final OcrSettings ocr;

    TikaTextExtractor(AutoDetectParser autoDetect) {
        this(autoDetect, ExtractionLimits.DEFAULT);
    }

    TikaTextExtractor(AutoDetectParser autoDetect, ExtractionLimits limits) {
        this(autoDetect, limits, OcrSettings.OFF);
    }

    TikaTextExtractor(AutoDetectParser autoDetect, ExtractionLimits limits, OcrSettings ocr) {
        this.autoDetect = autoDetect;
        this.limits = limits;
        this.ocr = ocr;
        this.parsersByType = Map.copyOf(autoDetect.getParsers());
        this.registry = autoDetect.getMediaTypeRegistry();
    }

    String extract(byte[] bytes, String mediaType, String filename) {
        return extract(bytes, mediaType, filename, OcrProgress.NONE);
    }

    /** {@link #extract(byte[], String, String)}, telling {@code ocrProgress} of each page Tesseract has read. */
    String extract(byte[] bytes, String mediaType, String filename, OcrProgress ocrProgress) {
        if (bytes.length == 0) throw new UnprocessableDocumentException("the file is empty");
        if (CSV.equals(mediaType)) return nonBlank(CsvTable.render(bytes, limits.maxColumns(), limits.maxChars()), mediaType);
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
        WriteOutContentHandler out = new WriteOutContentHandler(limits.maxChars());
        BodyContentHandler text = new BodyContentHandler(new HeadingMarks(out));
        SpreadsheetRows rows = isSpreadsheet(mediaType) ? new SpreadsheetRows() : null;
        try (TikaInputStream in = TikaInputStream.get(bytes)) {
            // AutoDetectParser wraps every parse in a SecureContentHandler; a parser picked by type must too.
            // The character bound is the body text's, which a spreadsheet's rows do not exceed.
            SecureContentHandler secure = new SecureContentHandler(rows == null ? text : new TeeContentHandler(text, rows), in);
            int pagesPerBlock = ocr.enabled() && TiffFrames.MEDIA_TYPE.equals(mediaType)
                    ? TiffFrames.count(bytes, ocr.maxPages()) : 1;
            ContentHandler bounded = new DeadlineContentHandler(
                    new OcrPageLimit(secure, ocr.maxPages(), pagesPerBlock, ocrProgress), limits.timeout());
            try {
                if (pagesPerBlock > 1) OcrPageLimit.check(pagesPerBlock, ocr.maxPages());
                parser.parse(in, bounded, metadata, context(bytes, mediaType));
            } catch (SAXException e) {
                secure.throwIfCauseOf(e);
                throw e;
            }
        } catch (EncryptedDocumentException e) {
            throw new UnprocessableDocumentException("the document is encrypted", e);
        } catch (Exception e) {
            throw new UnprocessableDocumentException(reason(e, metadata), e);
        }
        if (rows != null && !rows.text().isEmpty()) return rows.text();
        String extracted = nonBlank(MESSAGE.equals(mediaType) ? EmailHeaders.of(metadata) + "\n" + out : out.toString(),
                metadata.get(Metadata.CONTENT_TYPE));
        return MarkdownHeadings.isMarkdown(mediaType) ? MarkdownHeadings.mark(extracted) : extracted;
    }

    static boolean isSpreadsheet(String mediaType) {
        return mediaType != null && SPREADSHEETS.contains(mediaType);
    }

    private static String nonBlank(String extracted, String mediaType) {
        if (extracted.isBlank()) throw new UnprocessableDocumentException("no text found in the document (" + mediaType + ")");
        return extracted;
    }

    private String reason(Exception e, Metadata metadata) {
        if (WriteLimitReachedException.isWriteLimitReached(e)) {
            return "the document holds more than " + limits.maxChars() + " characters of text";
        }
        if (OcrPageLimit.isCauseOf(e)) {
            return "the document has more than " + ocr.maxPages() + " scanned pages to OCR";
        }
        if (DeadlineContentHandler.isCauseOf(e)) {
            return "the document could not be read in time: extraction took longer than "
                    + limits.timeout().toSeconds() + " s";
        }
        return "the document could not be read as " + metadata.get(Metadata.CONTENT_TYPE) + ": " + rootMessage(e);
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

    private ParseContext context(byte[] bytes, String mediaType) {
        ParseContext context = new ParseContext();
        if (isPlainText(mediaType)) {
            // The charset the upload was accepted in (see TextEncodings): Tika's own detectors misread
            // BOM-less UTF-16 and short Windows-1252 files.
            Charset charset = TextEncodings.detect(bytes).orElse(StandardCharsets.UTF_8);
            context.set(EncodingDetector.class, (stream, metadata) -> charset);
        }
        if (MESSAGE.equals(mediaType) || OUTLOOK.equals(mediaType)) {
            context.set(EmbeddedDocumentExtractor.class, new AttachmentNames(autoDetect));
        }
        context.set(TesseractOCRConfig.class, tesseract());
        if (ocr.enabled()) {
            // AUTO: a page is rendered and OCR'd only when its text layer is empty or mostly unmapped
            // glyphs, so born-digital PDFs cost no more than without OCR.
            PDFParserConfig pdf = new PDFParserConfig();
            pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.AUTO);
            context.set(PDFParserConfig.class, pdf);
        }
        if (ocr.enabled() && mediaType != null && mediaType.startsWith("image/")) {
            // Tika's image parsers hand the picture to OCR through the context's parser (as image/ocr-png
            // etc.); a parser picked by type has none unless it is set. Only for images: in other formats
            // it would also make embedded documents parsed, which Quarry does not promise.
            context.set(Parser.class, autoDetect);
        }
        return context;
    }

    private TesseractOCRConfig tesseract() {
        TesseractOCRConfig config = new TesseractOCRConfig();
        config.setSkipOcr(!ocr.enabled());
        config.setLanguage("eng");
        // One Tesseract call (one page) may take at most the whole document's extraction time.
        config.setTimeoutSeconds((int) Math.max(1, limits.timeout().toSeconds()));
        return config;
    }

    /** Plain text and its refinements (CSV, Markdown, source code); HTML and XML declare their own charset. */
    private boolean isPlainText(String mediaType) {
        MediaType type = mediaType == null ? null : MediaType.parse(mediaType);
        return type != null && registry.isInstanceOf(registry.normalize(type), MediaType.TEXT_PLAIN);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
        // Parser messages can quote a little of the input; keep the job's error short.
        return message.length() <= 200 ? message : message.substring(0, 200) + "...";
    }
}
