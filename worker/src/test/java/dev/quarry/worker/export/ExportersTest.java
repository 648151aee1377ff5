package dev.quarry.worker.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.exports.ExportFormat;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The worker's exporters cover every format, and write conversations exactly where the format says it holds them. */
class ExportersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void the_built_in_exporters_write_conversations_in_json_and_markdown_only() {
        Exporters exporters = new Exporters(List.of(new JsonExporter(JSON), new MarkdownExporter(), new ZipExporter(JSON, null),
                new PdfExporter(), new XlsxExporter()));

        assertThat(ExportFormat.conversationFormats()).containsExactly("markdown", "json");
        for (ExportFormat format : ExportFormat.values()) {
            assertThat(exporters.of(format).writesConversations()).as(format.name()).isEqualTo(format.conversations());
        }
    }

    @Test
    void a_format_that_holds_conversations_needs_an_exporter_that_writes_them() {
        Exporter markdownWithoutConversations = new Exporter() {
            @Override
            public ExportFormat format() {
                return ExportFormat.MARKDOWN;
            }

            @Override
            public Writer open(OutputStream out, ExportContext context) {
                throw new UnsupportedOperationException();
            }
        };

        assertThatThrownBy(() -> new Exporters(List.of(new JsonExporter(JSON), markdownWithoutConversations,
                new ZipExporter(JSON, null), new PdfExporter(), new XlsxExporter())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("MARKDOWN holds conversations");
    }

    @Test
    void a_message_is_fenced_with_more_backticks_than_it_holds_in_a_row() {
        assertThat(MarkdownExporter.fenceFor("no backticks")).isEqualTo("```");
        assertThat(MarkdownExporter.fenceFor("```java\ncode\n```")).isEqualTo("````");
        assertThat(MarkdownExporter.fenceFor("a ````` b `` c")).isEqualTo("``````");
    }
}
