package dev.quarry.worker.export;

import dev.quarry.exports.ExportFormat;
import org.springframework.stereotype.Component;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The exporter of each format; the worker does not start if a format has none, or two, or if a format's
 * {@link ExportFormat#conversations()} and its exporter's {@link Exporter#writesConversations()} disagree.
 */
@Component
class Exporters {
    private final Map<ExportFormat, Exporter> byFormat = new EnumMap<>(ExportFormat.class);

    Exporters(List<Exporter> exporters) {
        for (Exporter exporter : exporters) {
            Exporter previous = byFormat.put(exporter.format(), exporter);
            if (previous != null) {
                throw new IllegalStateException(exporter.format() + " has two exporters: " + previous.getClass()
                        + " and " + exporter.getClass());
            }
        }
        for (ExportFormat format : ExportFormat.values()) {
            if (!byFormat.containsKey(format)) throw new IllegalStateException("no exporter for " + format);
            if (format.conversations() != byFormat.get(format).writesConversations()) {
                throw new IllegalStateException(format + (format.conversations() ? " holds conversations, but "
                        : " holds no conversations, but ") + byFormat.get(format).getClass() + " says otherwise");
            }
        }
    }

    Exporter of(ExportFormat format) {
        return byFormat.get(format);
    }
}
