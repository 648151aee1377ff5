package dev.quarry.worker.ingest;

import dev.quarry.embedding.openai.EmbeddingProviderUnavailableException;
import dev.quarry.embedding.openai.OpenAiCallFailedException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Whether another attempt could succeed. The one place that decides it, so the retry and dead-letter
 * policy can grow here (e.g. 429s and 5xx from a remote model are already transient by default).
 * <ul>
 *   <li>{@link #PERMANENT}: the document is the problem (corrupt, encrypted, unsupported, no text, deleted);
 *       the job fails at once and JobRunr does not retry.</li>
 *   <li>{@link #TRANSIENT}: everything else, database and Redis outages, I/O, timeouts, a model that is
 *       down; the exception goes back to JobRunr, which retries with back-off. Unknown errors land here on
 *       purpose: a retry wastes a little work, a wrong permanent failure loses a document.</li>
 * </ul>
 */
enum FailureKind {
    PERMANENT, TRANSIENT;

    static FailureKind of(Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof UnprocessableDocumentException) return PERMANENT;
        // The provider's breaker is open: no attempt was made, and QuarryRetryPolicy waits it out.
        if (e instanceof EmbeddingProviderUnavailableException) return TRANSIENT;
        // Every OpenAI failure, a 400 too: a model call carries the segments of many jobs (EmbeddingBatcher),
        // so one bad input must not dead-letter the others. The culprit fails on each retry and its retries
        // run out; a bad key or model waits, behind the breaker, for an operator.
        if (e instanceof OpenAiCallFailedException) return TRANSIENT;
        // Two attempts of one job storing at once: the loser retries and then replaces cleanly.
        if (e instanceof DuplicateKeyException) return TRANSIENT;
        // A row the document needs is gone or invalid (e.g. deleted while the job ran).
        if (e instanceof DataIntegrityViolationException) return PERMANENT;
        return TRANSIENT;
    }

    static Throwable unwrap(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
