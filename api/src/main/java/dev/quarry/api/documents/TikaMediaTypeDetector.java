package dev.quarry.api.documents;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * Decides what an upload is from its bytes, with Tika's default detector (magic numbers plus container
 * detection, which tells a DOCX from any other zip), and whether Quarry ingests it.
 *
 * <p>The file name is never trusted on its own: Tika would call random bytes named {@code x.txt}
 * text/plain. It is consulted only when the content already reads as plain text, to refine it into
 * markdown, CSV, JSON or a source-code type.
 */
@Component
class TikaMediaTypeDetector {
    static final MediaType DOCX =
            MediaType.parse("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    private static final Set<MediaType> BINARY_ACCEPTED = Set.of(MediaType.application("pdf"), DOCX);
    private static final Set<String> NEVER_TEXT = Set.of("image", "audio", "video");
    private final Detector detector;
    private final MediaTypeRegistry registry;

    TikaMediaTypeDetector() {
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
        MediaType type = fromContent;
        if (fromContent.equals(MediaType.TEXT_PLAIN) && filename != null) {
            MediaType refined = typeOf(content, filename);
            if (registry.isInstanceOf(refined, MediaType.TEXT_PLAIN)) type = refined;
        }
        if (!accepted(type)) {
            throw new ApiProblem(ProblemKind.UNSUPPORTED_MEDIA_TYPE, "the content is " + type
                    + "; Quarry accepts plain text, Markdown, CSV, JSON, HTML, source code, PDF and DOCX");
        }
        return type.toString();
    }

    private boolean accepted(MediaType type) {
        if (BINARY_ACCEPTED.contains(type)) return true;
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
