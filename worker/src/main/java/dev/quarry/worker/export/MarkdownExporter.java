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
 * it was stored (which is Markdown or plain text already, so it is not escaped). Conversations: a section per
 * thread, see {@link #openConversations}.
 */
@Component
class MarkdownExporter implements Exporter {

    @Override
    public ExportFormat format() {
        return ExportFormat.MARKDOWN;
    }

    @Override
    public Writer open(OutputStream out, ExportContext context) throws IOException {
        BufferedWriter text = start(out, context, "Export ");
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

    @Override
    public boolean writesConversations() {
        return true;
    }

    /**
     * A section per thread, a heading per message with its role and time, and the message's text as a fenced
     * block: a message is any text (Markdown of its own, code fences), and a fence longer than any run of
     * backticks in it gives it back to a Markdown reader exactly. The JSON format carries the metadata too.
     */
    @Override
    public ConversationWriter openConversations(OutputStream out, ExportContext context) throws IOException {
        BufferedWriter text = start(out, context, "Conversations, export ");
        return new ConversationWriter() {
            @Override
            public void thread(ExportedConversation t) throws IOException {
                text.write("\n---\n\n## " + oneLine(t.title()) + "\n\n");
                text.write("- **id:** " + t.id() + "\n");
                if (!t.collections().isEmpty()) text.write("- **collections:** " + String.join(", ", t.collections()) + "\n");
                if (t.model() != null) text.write("- **model:** " + oneLine(t.provider() + "/" + t.model()) + "\n");
                text.write("- **created:** " + t.createdAt() + "\n");
            }

            @Override
            public void message(ExportedConversation.Message m) throws IOException {
                String fence = fenceFor(m.content());
                text.write("\n### " + m.role() + " · " + m.createdAt() + "\n\n");
                text.write(fence + "\n" + m.content() + (m.content().endsWith("\n") ? "" : "\n") + fence + "\n");
            }

            @Override
            public void close() throws IOException {
                text.flush();
            }
        };
    }

    /** The file's title and the line that says whose export it is. */
    private static BufferedWriter start(OutputStream out, ExportContext context, String title) throws IOException {
        BufferedWriter text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        text.write("# " + title + context.export().id() + "\n\n");
        text.write("Tenant `" + context.export().tenantId() + "`, requested " + context.export().createdAt() + ".\n");
        return text;
    }

    /** Backticks, one more than the longest run in the content, and at least three. */
    static String fenceFor(String content) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < content.length(); i++) {
            run = content.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return "`".repeat(Math.max(3, longest + 1));
    }

    private static String oneLine(String value) {
        return value.replaceAll("\\s+", " ");
    }
}
