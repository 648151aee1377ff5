package dev.quarry.worker.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.exports.ExportFormat;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code {"export": {...}, "documents": [{metadata, "text", "chunks": [{..., "vector"?}]}], "documentCount": n}},
 * or the same with {@code "conversations"} for a conversation scope, streamed with Jackson's generator. Vectors, when asked for, are pgvector's own text, which is a JSON array
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
        JsonGenerator generator = start(out, context, "documents");
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

    @Override
    public boolean writesConversations() {
        return true;
    }

    /**
     * {@code {"export": {...}, "conversations": [{thread fields, "messages": [{id, role, content, metadata,
     * jobId, createdAt}]}], "conversationCount": n}}; each message's metadata is its stored JSON object, copied raw.
     */
    @Override
    public ConversationWriter openConversations(OutputStream out, ExportContext context) throws IOException {
        JsonGenerator g = start(out, context, "conversations");
        return new ConversationWriter() {
            private int count;

            @Override
            public void thread(ExportedConversation t) throws IOException {
                endThread();
                g.writeStartObject();
                g.writeStringField("id", t.id().toString());
                g.writeStringField("title", t.title());
                g.writeObjectField("collections", t.collections());
                g.writeStringField("provider", t.provider());
                g.writeStringField("model", t.model());
                g.writeBooleanField("pinned", t.pinned());
                g.writeBooleanField("archived", t.archived());
                g.writeStringField("deletedAt", t.deletedAt() == null ? null : t.deletedAt().toString());
                g.writeStringField("createdAt", t.createdAt().toString());
                g.writeStringField("updatedAt", t.updatedAt().toString());
                g.writeArrayFieldStart("messages");
                count++;
            }

            @Override
            public void message(ExportedConversation.Message m) throws IOException {
                g.writeStartObject();
                g.writeStringField("id", m.id().toString());
                g.writeStringField("role", m.role());
                g.writeStringField("content", m.content());
                g.writeFieldName("metadata");
                g.writeRawValue(m.metadata());
                g.writeStringField("jobId", m.jobId() == null ? null : m.jobId().toString());
                g.writeStringField("createdAt", m.createdAt().toString());
                g.writeEndObject();
            }

            private void endThread() throws IOException {
                if (count == 0) return;
                g.writeEndArray();
                g.writeEndObject();
            }

            @Override
            public void close() throws IOException {
                endThread();
                g.writeEndArray();
                g.writeNumberField("conversationCount", count);
                g.writeEndObject();
                g.close();
            }
        };
    }

    /** The file's opening, up to the start of the array of {@code items}. */
    private JsonGenerator start(OutputStream out, ExportContext context, String items) throws IOException {
        JsonGenerator generator = json.getFactory().createGenerator(out);
        generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        generator.setCodec(json);
        generator.writeStartObject();
        generator.writeObjectField("export", context.header());
        generator.writeArrayFieldStart(items);
        return generator;
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
