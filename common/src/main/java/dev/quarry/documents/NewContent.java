package dev.quarry.documents;

/** A validated file: its bytes, their SHA-256, the detected media type and the client's file name. */
public record NewContent(byte[] bytes, String sha256, String mediaType, String filename) {
}
