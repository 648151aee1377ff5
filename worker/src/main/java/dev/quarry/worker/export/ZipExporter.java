package dev.quarry.worker.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.audit.AuditEntry;
import dev.quarry.audit.AuditFilter;
import dev.quarry.audit.AuditTrail;
import dev.quarry.exports.ExportFormat;
import org.apache.commons.io.output.CloseShieldOutputStream;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A ZIP of each document's original file ({@code files/<id>/<filename>}) and text ({@code texts/<id>.txt}),
 * with {@code manifest.json} last: the export's description and every document's metadata and entry names.
 * The manifest is only complete at the end, and a ZIP writes one entry at a time, so its document list is
 * spilled to a temporary file as it grows rather than kept in memory. Deflate at its fastest level: most
 * originals (PDF, DOCX) are compressed already.
 * <p>
 * A GDPR access export (scope {@code uploadedBy}) also holds {@code audit.json}: every audit entry of the data
 * subject as the actor in that tenant, newest first, so the subject learns what they did, not only what
 * they uploaded (Art. 15).
 */
@Component
class ZipExporter implements Exporter {
    /** Media types whose bytes are compressed already. */
    static final Pattern COMPRESSED = Pattern.compile(
            "^(application/(pdf|zip|epub\\+zip|vnd\\.openxmlformats-officedocument\\..*|vnd\\.oasis\\.opendocument\\..*)"
                    + "|image/(png|jpeg|gif|webp))$");
    /** Audit entries read per query while writing {@code audit.json}. */
    static final int AUDIT_PAGE = 500;
    private final ObjectMapper json;
    private final AuditTrail audit;

    ZipExporter(ObjectMapper json, AuditTrail audit) {
        this.json = json;
        this.audit = audit;
    }

    @Override
    public ExportFormat format() {
        return ExportFormat.ZIP;
    }

    @Override
    public boolean needsContent() {
        return true;
    }

    @Override
    public Writer open(OutputStream out, ExportContext context) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(CloseShieldOutputStream.wrap(out), StandardCharsets.UTF_8);
        zip.setLevel(Deflater.BEST_SPEED);
        Path spill = Files.createTempFile("quarry-export-manifest-", ".json");
        OutputStream spilled = Files.newOutputStream(spill);
        JsonGenerator manifest = json.getFactory().createGenerator(spilled);
        manifest.writeStartArray();
        return new Writer() {
            private int count;

            @Override
            public void write(ExportedDocument d) throws IOException {
                String file = "files/" + d.id() + "/" + d.safeFilename();
                String text = "texts/" + d.id() + ".txt";
                // Deflating a file that is compressed already (PDF streams, the zips of office formats, images)
                // costs the CPU for nothing: those are stored as they are.
                zip.setLevel(COMPRESSED.matcher(String.valueOf(d.mediaType())).find()
                        ? Deflater.NO_COMPRESSION : Deflater.BEST_SPEED);
                entry(zip, file, d.content() == null ? new byte[0] : d.content());
                zip.setLevel(Deflater.BEST_SPEED);
                entry(zip, text, d.textOrEmpty().getBytes(StandardCharsets.UTF_8));
                manifest.writeStartObject();
                JsonExporter.writeMetadata(manifest, d);
                manifest.writeStringField("file", d.content() == null ? null : file);
                manifest.writeStringField("textFile", text);
                manifest.writeNumberField("chunks", d.chunks().size());
                manifest.writeEndObject();
                count++;
            }

            @Override
            public void close() throws IOException {
                try {
                    manifest.writeEndArray();
                    manifest.close();
                    spilled.close();
                    String subject = context.export().scope().uploadedBy();
                    if (subject != null) writeAuditEntries(zip, context.export().tenantId(), subject);
                    zip.putNextEntry(new ZipEntry("manifest.json"));
                    JsonGenerator head = json.getFactory().createGenerator(CloseShieldOutputStream.wrap(zip));
                    head.setCodec(json);
                    head.writeStartObject();
                    head.writeObjectField("export", context.header());
                    head.writeNumberField("documentCount", count);
                    head.writeFieldName("documents");
                    head.writeRawValue(""); // the value is the spilled array, copied as bytes behind the generator
                    head.flush();
                    try (InputStream documents = Files.newInputStream(spill)) {
                        documents.transferTo(zip);
                    }
                    head.writeEndObject();
                    head.close();
                    zip.closeEntry();
                    zip.finish();
                } finally {
                    Files.deleteIfExists(spill);
                }
            }
        };
    }

    private void writeAuditEntries(ZipOutputStream zip, String tenant, String subject) throws IOException {
        zip.putNextEntry(new ZipEntry("audit.json"));
        try (JsonGenerator out = json.getFactory().createGenerator(CloseShieldOutputStream.wrap(zip))) {
            out.setCodec(json);
            out.writeStartArray();
            Long before = null;
            List<AuditEntry> page;
            do {
                page = audit.page(new AuditFilter(tenant, subject, null, null, null, before), AUDIT_PAGE);
                for (AuditEntry entry : page) out.writeObject(entry);
                if (!page.isEmpty()) before = page.get(page.size() - 1).seq();
            } while (page.size() == AUDIT_PAGE);
            out.writeEndArray();
        }
        zip.closeEntry();
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}
