package dev.quarry.api.documents;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.text.TextEncodings;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * Decides what an upload is from its bytes, with Tika's default detector (magic numbers plus container
 * detection, which tells a DOCX from any other zip), and whether Quarry ingests it.
 *
 * <p>Text in a legacy charset (Windows-1252, Latin-1, UTF-16 without a byte-order mark), which Tika calls
 * {@code application/octet-stream}, is text when {@link TextEncodings} finds a charset it reads in.
 *
 * <p>The file name is never trusted on its own: Tika would call random bytes named {@code x.txt}
 * text/plain. It is consulted only when the content already reads as plain text, to refine it into
 * markdown, CSV, JSON or a source-code type.
 */
@Component
class TikaMediaTypeDetector {
    static final MediaType DOCX =
            MediaType.parse("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    /** What Tika extracts well among binary and non-plain-text formats; each has a test on a real producer's file. */
    private static final Set<MediaType> BINARY_ACCEPTED = Set.of(MediaType.application("pdf"), DOCX,
            MediaType.parse("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            MediaType.parse("application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            MediaType.parse("application/vnd.oasis.opendocument.text"),
            MediaType.parse("application/vnd.oasis.opendocument.spreadsheet"),
            MediaType.parse("application/vnd.oasis.opendocument.presentation"),
            MediaType.application("rtf"), MediaType.parse("application/epub+zip"), MediaType.parse("message/rfc822"),
            MediaType.parse("application/vnd.ms-outlook"), MediaType.APPLICATION_XML,
            // A password-protected DOCX, XLSX or PPTX: accepted, so that its job is dead-lettered with the
            // reason "the document is encrypted", as an encrypted PDF's is.
            MediaType.parse("application/x-tika-ooxml-protected"));
    /** Scanned pages, read by the workers' Tesseract when OCR is on ({@code quarry.ingest.ocr.enabled}). */
    private static final Set<MediaType> IMAGES = Set.of(MediaType.image("png"), MediaType.image("jpeg"),
            MediaType.image("tiff"));
    private static final String ACCEPTED = "plain text (any common charset), Markdown, CSV, JSON, HTML, XML, source code, "
            + "PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, RTF, EPUB, EML and MSG";
    private static final Set<String> NEVER_TEXT = Set.of("image", "audio", "video");
    private final Detector detector;
    private final MediaTypeRegistry registry;
    private final boolean ocr;
    private final String accepted;

    TikaMediaTypeDetector(@Value("${quarry.ingest.ocr.enabled:true}") boolean ocr) {
        this.ocr = ocr;
        this.accepted = ocr ? ACCEPTED + ", and PNG, JPEG and TIFF images (OCR)" : ACCEPTED;
        TikaConfig config = TikaConfig.getDefaultConfig();
        this.detector = config.getDetector();
        this.registry = config.getMediaTypeRegistry();
    }

    /**
     * @return the accepted media type, without parameters
     * @throws ApiProblem 415 when the content is not a format Quarry ingests
     */
    String detect(byte[] content, String filename) {
        MediaType fromContent = typeOf(content, null);
        // Tika's text heuristic gives up on Windows-1252, Latin-1 and BOM-less UTF-16: ask the charset detector.
        if (fromContent.equals(MediaType.OCTET_STREAM) && TextEncodings.detect(content).isPresent()) {
            fromContent = MediaType.TEXT_PLAIN;
        }
        MediaType type = fromContent;
        if (fromContent.equals(MediaType.TEXT_PLAIN) && filename != null) {
            MediaType refined = typeOf(content, filename);
            if (registry.isInstanceOf(refined, MediaType.TEXT_PLAIN)) type = refined;
        }
        if (!accepted(type)) {
            throw new ApiProblem(ProblemKind.UNSUPPORTED_MEDIA_TYPE, "the content is " + type
                    + "; Quarry accepts " + accepted);
        }
        return type.toString();
    }

    private boolean accepted(MediaType type) {
        if (BINARY_ACCEPTED.contains(type)) return true;
        if (IMAGES.contains(type)) return ocr;
        if (NEVER_TEXT.contains(type.getType())) return false; // e.g. SVG is XML, but it is an image
        return type.getType().equals("text") || registry.isInstanceOf(type, MediaType.TEXT_PLAIN);
    }

    private MediaType typeOf(byte[] content, String filename) {
        Metadata metadata = new Metadata();
        if (filename != null) metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
        try (TikaInputStream stream = TikaInputStream.get(content)) {
            return detector.detect(stream, metadata).getBaseType();
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory detection cannot fail on I/O", e);
        }
    }
}
