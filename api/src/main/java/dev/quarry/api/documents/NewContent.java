package dev.quarry.api.documents;

/** A validated file: its bytes, their SHA-256, the detected media type and the client's file name. */
record NewContent(byte[] bytes, String sha256, String mediaType, String filename) {
}
