package dev.quarry.worker.ingest;

/**
 * The document itself cannot be ingested (corrupt, encrypted, unsupported, no text, gone). Retrying would
 * give the same answer, so {@link FailureKind} classifies it as permanent. The message is shown to the
 * user as the job's error: it never quotes document content.
 */
class UnprocessableDocumentException extends RuntimeException {

    UnprocessableDocumentException(String message) {
        super(message);
    }

    UnprocessableDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
