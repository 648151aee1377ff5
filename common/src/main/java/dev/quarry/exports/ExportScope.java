package dev.quarry.exports;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quarry.documents.DocumentViewer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Which of a tenant's documents, or which of the requester's conversations, an export holds. A document must
 * meet every criterion given; {@code all} selects the whole tenant and excludes the others. {@code createdFrom}
 * is inclusive, {@code createdTo} exclusive. {@code uploadedBy} (a token's {@code sub}) is the data subject of a
 * GDPR access request. A conversation scope is {@code conversationId} (one of the requester's threads, also
 * from the trash) or {@code conversations: true} (all their threads not in the trash); it takes no document
 * criterion, and the threads are always the requester's own ({@link Export#requestedBy()}).
 * Stored as {@code exports.scope}; its field names are the API's. {@code visibleTo} is set by Quarry, never by
 * the client ({@link #seenBy}): a user's export holds the tenant's shared documents and that user's private ones.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExportScope(Boolean all, String collection, List<UUID> documentIds, Instant createdFrom,
                          Instant createdTo, String uploadedBy, UUID conversationId, Boolean conversations,
                          String visibleTo) {
    /** More ids would make the request's fingerprint and the stored scope unreasonably large. */
    public static final int MAX_IDS = 10_000;

    public ExportScope {
        documentIds = documentIds == null ? null : List.copyOf(documentIds);
    }

    public static ExportScope wholeTenant() {
        return new ExportScope(true, null, null, null, null, null, null, null, null);
    }

    public static ExportScope collection(String collection) {
        return new ExportScope(null, collection, null, null, null, null, null, null, null);
    }

    public static ExportScope documents(List<UUID> ids) {
        return new ExportScope(null, null, ids, null, null, null, null, null, null);
    }

    public static ExportScope uploadedBy(String subject) {
        return new ExportScope(null, null, null, null, null, subject, null, null, null);
    }

    /** One of the requester's threads. */
    public static ExportScope conversation(UUID id) {
        return new ExportScope(null, null, null, null, null, null, id, null, null);
    }

    /** All the requester's threads that are not in the trash. */
    public static ExportScope allConversations() {
        return new ExportScope(null, null, null, null, null, null, null, true, null);
    }

    /**
     * This scope narrowed to what {@code viewer} sees, replacing whatever {@code visibleTo} the client sent: null
     * for a viewer who sees everything, else the subject whose private documents it includes ("" for none).
     */
    public ExportScope seenBy(DocumentViewer viewer) {
        String visible = viewer.seesAll() ? null : viewer.subject() == null ? "" : viewer.subject();
        return new ExportScope(all, collection, documentIds, createdFrom, createdTo, uploadedBy, conversationId,
                conversations, visible);
    }

    /** Who the documents are selected for: {@link DocumentViewer#ALL} unless {@link #seenBy} narrowed it. */
    @JsonIgnore
    public DocumentViewer viewer() {
        return visibleTo == null ? DocumentViewer.ALL : DocumentViewer.user(visibleTo);
    }

    /** No criterion at all: the client must say what it wants, even if that is everything. */
    @JsonIgnore
    public boolean isEmpty() {
        return !Boolean.TRUE.equals(all) && collection == null && documentIds == null && createdFrom == null
                && createdTo == null && uploadedBy == null && !ofConversations();
    }

    /** Whether this scope selects conversations rather than documents. */
    @JsonIgnore
    public boolean ofConversations() {
        return conversationId != null || Boolean.TRUE.equals(conversations);
    }

    /** What is wrong with this scope, or null if nothing. */
    public String problem() {
        if (isEmpty()) return "a scope needs all, collection, documentIds, createdFrom/createdTo, uploadedBy, "
                + "conversationId or conversations";
        if (ofConversations()) {
            boolean documentCriteria = all != null || collection != null || documentIds != null || createdFrom != null
                    || createdTo != null || uploadedBy != null;
            if (documentCriteria) return "a conversation scope takes no document criterion";
            if (conversationId != null && conversations != null) {
                return "give conversationId (one thread) or conversations (all of yours), not both";
            }
            return null;
        }
        boolean narrowed = collection != null || documentIds != null || createdFrom != null || createdTo != null
                || uploadedBy != null;
        if (Boolean.TRUE.equals(all) && narrowed) return "\"all\" exports the whole tenant and takes no other criterion";
        if (documentIds != null && documentIds.isEmpty()) return "documentIds is empty";
        if (documentIds != null && documentIds.size() > MAX_IDS) return "at most " + MAX_IDS + " documentIds";
        if (createdFrom != null && createdTo != null && !createdFrom.isBefore(createdTo)) {
            return "createdFrom must be before createdTo";
        }
        return null;
    }

    /** The scope as a WHERE clause over {@code documents d} of {@code tenant}, with its parameters in order. */
    public Filter filter(String tenant) {
        if (ofConversations()) throw new IllegalStateException("a conversation scope selects no documents");
        StringBuilder sql = new StringBuilder("d.tenant_id = ?");
        List<Object> params = new ArrayList<>(List.of(tenant));
        if (collection != null) {
            sql.append(" and d.collection = ?");
            params.add(collection);
        }
        if (documentIds != null) {
            sql.append(" and d.id = any(cast(? as uuid[]))");
            params.add(documentIds.toArray(UUID[]::new));
        }
        if (createdFrom != null) {
            sql.append(" and d.created_at >= ?");
            params.add(java.sql.Timestamp.from(createdFrom));
        }
        if (createdTo != null) {
            sql.append(" and d.created_at < ?");
            params.add(java.sql.Timestamp.from(createdTo));
        }
        if (uploadedBy != null) {
            sql.append(" and d.uploaded_by = ?");
            params.add(uploadedBy);
        }
        if (visibleTo != null) {
            sql.append(DocumentViewer.positionalSql());
            params.add(visibleTo);
        }
        return new Filter(sql.toString(), List.copyOf(params));
    }

    public record Filter(String where, List<Object> params) {
    }
}
