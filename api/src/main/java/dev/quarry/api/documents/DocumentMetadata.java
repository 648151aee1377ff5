package dev.quarry.api.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.documents.DocumentVisibility;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The optional {@code metadata} part of an upload. Every field may be omitted.
 *
 * @param publishedAt when the content was published (ISO-8601 instant); search's time decay counts from it,
 *                    and from the upload time when it is absent
 * @param visibility  {@code shared} (the default: every user of the tenant sees it) or {@code private} (only its
 *                    uploader, the tenant's admins and operators)
 */
record DocumentMetadata(String title, String collection, String source, List<String> tags, String reliability,
                        Instant publishedAt, String visibility) {
    static final DocumentMetadata NONE = new DocumentMetadata(null, null, null, null, null, null, null);
    static final String DEFAULT_COLLECTION = "default";
    private static final Set<String> RELIABILITIES = Set.of("verified", "official", "community", "unknown");
    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final int MAX_TITLE = 500;
    private static final int MAX_SOURCE = 2000;
    private static final int MAX_TAGS = 50;
    private static final int MAX_TAG = 100;

    /**
     * A strict reader: an unknown field is far more likely a typo than something to ignore, and a number
     * where a string belongs is a client bug, not something to coerce. Built on a copy of the
     * application's mapper, which stays lenient for everything else.
     */
    static ObjectReader reader(ObjectMapper base) {
        // publishedAt is an Instant: register java.time even when the base mapper lacks it (plain mappers do).
        ObjectMapper strict = base.copy().registerModule(new JavaTimeModule());
        strict.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return strict.readerFor(DocumentMetadata.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .without(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
    }

    static DocumentMetadata parse(byte[] json, ObjectReader reader) {
        if (json == null || json.length == 0) return NONE;
        DocumentMetadata metadata;
        try {
            metadata = reader.readValue(json);
        } catch (JsonProcessingException e) {
            throw invalid("metadata must be a JSON object with title, collection, source, tags[], "
                    + "reliability, publishedAt and visibility; " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("metadata could not be read");
        }
        if (metadata == null) return NONE;
        metadata.validate();
        return metadata;
    }

    private void validate() {
        // PostgreSQL text cannot hold NUL; refusing it here keeps it from becoming a 500 at insert time.
        if (containsNul(title) || containsNul(collection) || containsNul(source)
                || (tags != null && tags.stream().anyMatch(DocumentMetadata::containsNul))) {
            throw invalid("metadata strings must not contain NUL characters");
        }
        if (title != null && (title.isBlank() || title.length() > MAX_TITLE)) {
            throw invalid("title must be 1 to " + MAX_TITLE + " characters");
        }
        if (collection != null && !COLLECTION.matcher(collection).matches()) {
            throw invalid("collection must be 1 to 100 letters, digits, '.', '_' or '-'");
        }
        if (source != null && source.length() > MAX_SOURCE) {
            throw invalid("source must be at most " + MAX_SOURCE + " characters");
        }
        if (tags != null && (tags.size() > MAX_TAGS
                || tags.stream().anyMatch(tag -> tag == null || tag.isBlank() || tag.length() > MAX_TAG))) {
            throw invalid("tags must be at most " + MAX_TAGS + " non-blank strings of at most " + MAX_TAG
                    + " characters");
        }
        if (reliability != null && !RELIABILITIES.contains(reliability)) {
            throw invalid("reliability must be one of verified, official, community, unknown");
        }
        if (visibility != null && DocumentVisibility.parse(visibility).isEmpty()) {
            throw invalid("visibility must be shared or private");
        }
    }

    private static boolean containsNul(String value) {
        return value != null && value.indexOf('\0') >= 0;
    }

    String collectionOrDefault() {
        return collection == null ? DEFAULT_COLLECTION : collection;
    }

    List<String> tagsOrEmpty() {
        return tags == null ? List.of() : tags;
    }

    DocumentVisibility visibilityOrDefault() {
        return visibility == null ? DocumentVisibility.SHARED : DocumentVisibility.parse(visibility).orElseThrow();
    }

    String reliabilityOrDefault() {
        return reliability == null ? "unknown" : reliability;
    }

    private static ApiProblem invalid(String detail) {
        return new ApiProblem(ProblemKind.INVALID_METADATA, detail);
    }
}
