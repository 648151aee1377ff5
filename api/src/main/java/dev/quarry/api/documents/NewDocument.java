package dev.quarry.api.documents;

import java.util.UUID;

/** An accepted upload, as stored. */
record NewDocument(UUID id, String tenant, DocumentMetadata metadata, String title, String mediaType,
                   String filename, byte[] content, String sha256) {
}
