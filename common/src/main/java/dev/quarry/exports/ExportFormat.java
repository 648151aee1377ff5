package dev.quarry.exports;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The file formats an export can be written in: what the API accepts and the {@code exports.format} CHECK
 * holds. Each has one exporter class in the worker ({@code dev.quarry.worker.export.Exporter}); a worker test
 * fails for a format without one.
 */
public enum ExportFormat {
    MARKDOWN("md", "text/markdown; charset=utf-8"),
    JSON("json", "application/json"),
    ZIP("zip", "application/zip"),
    PDF("pdf", "application/pdf"),
    XLSX("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private final String extension;
    private final String contentType;

    ExportFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** The format named {@code name} (case-insensitive, {@code md} for Markdown too), if there is one. */
    public static Optional<ExportFormat> parse(String name) {
        if (name == null) return Optional.empty();
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(f -> f.name().equals(wanted) || f.extension.equalsIgnoreCase(wanted))
                .findFirst();
    }
}
