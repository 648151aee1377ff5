package dev.quarry.documents;

/** What extraction needs of a document: the original bytes and what the API learned about them. */
public record StoredContent(String mediaType, String filename, byte[] bytes) {
}
