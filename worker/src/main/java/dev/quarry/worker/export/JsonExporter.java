package dev.quarry.worker.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.exports.ExportFormat;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code {"export": {...}, "documents": [{metadata, "text", "chunks": [{..., "vector"?}]}], "documentCount": n}},
 * streamed with Jackson's generator. Vectors, when asked for, are pgvector's own text, which is a JSON array
 * already: copied raw, never parsed into floats and printed again.
 */
@Component
class JsonExporter implements Exporter {
    private final ObjectMapper json;

    JsonExporter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public ExportFormat format() {
        return ExportFormat.JSON;
    }

    @Override
    public Writer open(OutputStream out, ExportContext context) throws IOException {
        JsonGenerator generator = json.getFactory().createGenerator(out);
        generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        generator.setCodec(json);
        generator.writeStartObject();
        generator.writeObjectField("export", context.header());
        generator.writeArrayFieldStart("documents");
        return new Writer() {
            private int count;

            @Override
            public void write(ExportedDocument document) throws IOException {
                writeDocument(generator, document);
                count++;
            }

            @Override
            public void close() throws IOException {
                generator.writeEndArray();
                generator.writeNumberField("documentCount", count);
                generator.writeEndObject();
                generator.close();
            }
        };
    }

    /** One document as an object; the ZIP's manifest uses the same shape without text and chunks. */
    static void writeMetadata(JsonGenerator g, ExportedDocument d) throws IOException {
        g.writeStringField("id", d.id().toString());
        g.writeStringField("title", d.title());
        g.writeStringField("collection", d.collection());
        g.writeStringField("source", d.source());
        g.writeArrayFieldStart("tags");
        for (String tag : d.tags()) g.writeString(tag);
        g.writeEndArray();
        g.writeStringField("reliability", d.reliability());
        g.writeStringField("mediaType", d.mediaType());
        g.writeStringField("filename", d.filename());
        g.writeNumberField("sizeBytes", d.sizeBytes());
        g.writeStringField("contentSha256", d.contentSha256());
        g.writeStringField("status", d.status());
        g.writeStringField("createdAt", d.createdAt().toString());
        g.writeStringField("uploadedBy", d.uploadedBy());
    }

    private static void writeDocument(JsonGenerator g, ExportedDocument d) throws IOException {
        g.writeStartObject();
        writeMetadata(g, d);
        g.writeStringField("text", d.text());
        g.writeArrayFieldStart("chunks");
        for (ExportedDocument.ExportedChunk chunk : d.chunks()) {
            g.writeStartObject();
            g.writeNumberField("ordinal", chunk.ordinal());
            g.writeNumberField("tokenCount", chunk.tokenCount());
            g.writeStringField("embeddingVersion", chunk.embeddingVersion());
            g.writeStringField("text", chunk.text());
            if (chunk.vector() != null) {
                g.writeFieldName("vector");
                g.writeRawValue(chunk.vector());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
