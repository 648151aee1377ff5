package dev.quarry.exports;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The file formats an export can be written in: what the API accepts and the {@code exports.format} CHECK
 * holds. Each has one exporter class in the worker ({@code dev.quarry.worker.export.Exporter}); the worker does
 * not start with a format without one, or with a format that says it holds conversations and an exporter that
 * cannot write them.
 */
public enum ExportFormat {
    MARKDOWN("md", "text/markdown; charset=utf-8", true),
    JSON("json", "application/json", true),
    ZIP("zip", "application/zip", false),
    PDF("pdf", "application/pdf", false),
    XLSX("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false);

    private final String extension;
    private final String contentType;
    private final boolean conversations;

    ExportFormat(String extension, String contentType, boolean conversations) {
        this.extension = extension;
        this.contentType = contentType;
        this.conversations = conversations;
    }

    /** Whether conversations can be exported in this format (documents can in every one). */
    public boolean conversations() {
        return conversations;
    }

    /** The formats that hold conversations, for the API's problem text. */
    public static List<String> conversationFormats() {
        return Arrays.stream(values()).filter(ExportFormat::conversations).map(f -> f.name().toLowerCase(Locale.ROOT))
                .toList();
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
