package dev.quarry.exports;

/**
 * What a client asks to export. {@code includeVectors} adds each chunk's embedding (JSON only: the other
 * formats are for people). {@code requestedBy} is the caller's {@code sub}; {@code idempotencyKey} and
 * {@code traceParent} go on the job.
 */
public record ExportRequest(String tenantId, ExportScope scope, ExportFormat format, boolean includeVectors,
                            String requestedBy, String idempotencyKey, String traceParent) {
}
