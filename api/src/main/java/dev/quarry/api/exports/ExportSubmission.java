package dev.quarry.api.exports;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quarry.exports.ExportScope;

import java.util.List;

/**
 * The body of {@code POST /api/v1/exports}: one export ({@code format}, {@code scope}, {@code includeVectors})
 * or a bulk export ({@code exports}, a list of such), never both.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ExportSubmission(String format, ExportScope scope, Boolean includeVectors, List<ExportSubmission> exports) {
    static final int MAX_BULK = 50;

    boolean bulk() {
        return exports != null;
    }
}
