package dev.quarry.worker.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.quarry.exports.Export;
import dev.quarry.exports.ExportFormat;
import dev.quarry.exports.ExportScope;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ZipExporterTest {
    private final ZipExporter exporter = new ZipExporter(new ObjectMapper().registerModule(new JavaTimeModule()), null);

    @Test
    void originals_compressed_already_are_stored_and_text_is_deflated_each_byte_for_byte() throws Exception {
        byte[] repetitive = "the same line again\n".repeat(5_000).getBytes(StandardCharsets.UTF_8);
        UUID pdf = UUID.randomUUID(), txt = UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Exporter.Writer writer = exporter.open(out, new ExportContext(export()))) {
            writer.write(document(pdf, "application/pdf", "a.pdf", repetitive));
            writer.write(document(txt, "text/plain", "a.txt", repetitive));
        }

        Map<String, Long> compressed = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().startsWith("files/")) {
                    assertThat(zip.readAllBytes()).as(entry.getName()).isEqualTo(repetitive);
                    compressed.put(entry.getName(), entry.getCompressedSize());
                }
            }
        }
        assertThat(compressed.get("files/" + pdf + "/a.pdf")).as("stored").isGreaterThanOrEqualTo(repetitive.length);
        assertThat(compressed.get("files/" + txt + "/a.txt")).as("deflated").isLessThan(repetitive.length / 10);
    }

    private static ExportedDocument document(UUID id, String mediaType, String filename, byte[] content) {
        return new ExportedDocument(id, filename, "c", null, List.of(), null, mediaType, filename, content.length,
                null, "INDEXED", Instant.now(), null, "text", List.of(), content);
    }

    private static Export export() {
        return new Export(UUID.randomUUID(), "acme", ExportFormat.ZIP, ExportScope.wholeTenant(), false, "someone",
                "export.zip", "application/zip", null, null, null, 1 << 20, Instant.now(), null, null);
    }
}
