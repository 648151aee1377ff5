package dev.quarry.api.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Which of the tenant's documents a bulk re-ingest takes: those of a collection, those with the given ids,
 * or both criteria at once (a document must meet every criterion given). At least one is required, so that
 * an empty body never re-ingests a whole tenant by accident.
 */
record ReingestFilter(String collection, List<UUID> documentIds) {
    static final int MAX_IDS = 1000;

    ReingestFilter {
        documentIds = documentIds == null ? null : documentIds.stream().distinct().sorted().toList();
    }

    static ReingestFilter parse(String body, ObjectMapper json) {
        if (body == null || body.isBlank()) throw invalid("the body must be a JSON object with 'collection' and/or 'documentIds'");
        ReingestFilter filter;
        try {
            filter = json.readerFor(ReingestFilter.class)
                    .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(body);
        } catch (JsonProcessingException e) {
            throw invalid("the body is not a valid filter: " + e.getOriginalMessage());
        }
        if (filter == null || (filter.collection() == null && filter.documentIds() == null)) {
            throw invalid("give at least one criterion: 'collection' and/or 'documentIds'");
        }
        if (filter.collection() != null && filter.collection().isBlank()) throw invalid("'collection' is blank");
        if (filter.documentIds() != null && filter.documentIds().isEmpty()) throw invalid("'documentIds' is empty");
        if (filter.documentIds() != null && filter.documentIds().size() > MAX_IDS) {
            throw invalid("at most " + MAX_IDS + " 'documentIds' per request; use 'collection' for more");
        }
        return filter;
    }

    /** What the idempotency fingerprint covers: the criteria, independent of JSON spacing and id order. */
    byte[][] fingerprint() {
        return new byte[][]{collection == null ? null : collection.getBytes(StandardCharsets.UTF_8),
                documentIds == null ? null : documentIds.toString().getBytes(StandardCharsets.US_ASCII)};
    }

    private static ApiProblem invalid(String detail) {
        return new ApiProblem(ProblemKind.INVALID_PARAMETER, detail);
    }
}
