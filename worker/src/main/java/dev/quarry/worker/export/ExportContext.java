package dev.quarry.worker.export;

import dev.quarry.exports.Export;

import java.util.LinkedHashMap;
import java.util.Map;

/** What an exporter may say about the export itself in the file: its id, tenant, scope and time. */
public record ExportContext(Export export) {

    public boolean includeVectors() {
        return export.includeVectors();
    }

    /** The export's description, as the JSON and ZIP manifests carry it. */
    public Map<String, Object> header() {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("exportId", export.id().toString());
        header.put("tenant", export.tenantId());
        header.put("format", export.format().name().toLowerCase());
        header.put("scope", export.scope());
        header.put("requestedAt", export.createdAt().toString());
        header.put("includeVectors", export.includeVectors());
        return header;
    }
}
