package dev.quarry.worker.export;

import dev.quarry.exports.ExportFormat;
import org.springframework.stereotype.Component;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

/**
 * One Markdown file for people to read: a section per document, its metadata as a list, then its text as
 * it was stored (which is Markdown or plain text already, so it is not escaped).
 */
@Component
class MarkdownExporter implements Exporter {

    @Override
    public ExportFormat format() {
        return ExportFormat.MARKDOWN;
    }

    @Override
    public Writer open(OutputStream out, ExportContext context) throws IOException {
        BufferedWriter text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        text.write("# Export " + context.export().id() + "\n\n");
        text.write("Tenant `" + context.export().tenantId() + "`, requested " + context.export().createdAt() + ".\n");
        return new Writer() {
            @Override
            public void write(ExportedDocument d) throws IOException {
                text.write("\n---\n\n## " + oneLine(d.title()) + "\n\n");
                item("id", d.id().toString());
                item("collection", d.collection());
                item("source", d.source());
                item("tags", d.tags().isEmpty() ? null : String.join(", ", d.tags()));
                item("reliability", d.reliability());
                item("media type", d.mediaType());
                item("file", d.filename());
                item("created", d.createdAt().toString());
                item("uploaded by", d.uploadedBy());
                item("chunks", Integer.toString(d.chunks().size()));
                text.write("\n");
                text.write(d.textOrEmpty());
                text.write("\n");
            }

            private void item(String label, String value) throws IOException {
                if (value != null) text.write("- **" + label + ":** " + oneLine(value) + "\n");
            }

            @Override
            public void close() throws IOException {
                text.flush();
            }
        };
    }

    private static String oneLine(String value) {
        return value.replaceAll("\\s+", " ");
    }
}
