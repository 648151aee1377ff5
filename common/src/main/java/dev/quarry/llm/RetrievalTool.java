package dev.quarry.llm;

import java.util.List;
import java.util.UUID;

/**
 * The extension point for retrieval tools: a way to find passages a grounded answer may quote. One Spring bean
 * per tool; {@code GET /api/v1/admin/extensions} lists the ones installed in the process that serves it. Tools
 * are found when the process starts (no hot reload inside a running JVM).
 */
public interface RetrievalTool {
    /** A stable, lower-case name, e.g. {@code hybrid-search}. */
    String name();

    /** One sentence for an operator (and a model choosing tools): what it searches and how. */
    String description();

    /** At most {@code limit} passages of {@code tenant}'s data for {@code query}, best first. */
    List<Passage> retrieve(String tenant, String subject, String query, int limit);

    /** One passage, with what a citation needs. */
    record Passage(UUID documentId, long chunkId, String title, String text, double score) {
    }
}
