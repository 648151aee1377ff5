package dev.quarry.api.admin;

import dev.quarry.exports.ExportFormat;
import dev.quarry.llm.LanguageModelProvider;
import dev.quarry.llm.RegisteredLanguageModels;
import dev.quarry.llm.RetrievalTool;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What is installed behind Quarry's three extension points: language-model providers
 * ({@link LanguageModelProvider}), exporters (one per {@link ExportFormat}, the worker's {@code Exporter} port)
 * and retrieval tools ({@link RetrievalTool}). All are found when the process starts; there is no hot reload.
 */
@RestController
@RequestMapping("/api/v1/admin/extensions")
class ExtensionsController {
    private final RegisteredLanguageModels models;
    private final List<RetrievalTool> tools;

    ExtensionsController(RegisteredLanguageModels models, List<RetrievalTool> tools) {
        this.models = models;
        this.tools = tools;
    }

    /** @param configured whether it has its key; the key itself is never shown */
    record ProviderView(String name, boolean configured, String defaultModel, String implementation) {
    }

    record ExporterView(String format, String extension, String contentType) {
    }

    record ToolView(String name, String description, String implementation) {
    }

    /** @param hotReload always false: extensions are loaded when a process starts, adding one needs a restart */
    record Extensions(List<ProviderView> providers, List<ExporterView> exporters, List<ToolView> retrievalTools,
                      boolean hotReload) {
    }

    @Operation(summary = "The installed language-model providers, exporters and retrieval tools")
    @GetMapping
    Extensions extensions() {
        return new Extensions(
                models.providers().stream().map(p -> new ProviderView(p.name(), p.configured(), p.defaultModel(),
                        p.getClass().getName())).toList(),
                Arrays.stream(ExportFormat.values()).map(f -> new ExporterView(f.name().toLowerCase(Locale.ROOT),
                        f.extension(), f.contentType())).toList(),
                tools.stream().map(t -> new ToolView(t.name(), t.description(), t.getClass().getName())).toList(),
                false);
    }
}
