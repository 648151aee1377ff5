package dev.quarry.worker.ingest;

import dev.quarry.embedding.openai.EmbeddingProviderUnavailableException;
import dev.quarry.embedding.openai.OpenAiCallFailedException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class FailureKindTest {

    @Test
    void problems_of_the_document_are_permanent() {
        assertThat(FailureKind.of(new UnprocessableDocumentException("the document is encrypted"))).isEqualTo(FailureKind.PERMANENT);
        assertThat(FailureKind.of(new DataIntegrityViolationException("fk"))).isEqualTo(FailureKind.PERMANENT);
    }

    @Test
    void infrastructure_problems_are_transient() {
        assertThat(FailureKind.of(new CannotGetJdbcConnectionException("down", new SQLTransientConnectionException()))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(new QueryTimeoutException("slow"))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(new SocketTimeoutException())).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(new IOException("reset"))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(new TimeoutException())).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(new DuplicateKeyException("a concurrent attempt stored first"))).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void an_embedding_provider_behind_an_open_breaker_or_failing_is_transient() {
        var breakerOpen = new EmbeddingProviderUnavailableException("open", Duration.ofSeconds(30), null);
        assertThat(FailureKind.of(new ExecutionException(breakerOpen))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(new OpenAiCallFailedException(503, null, "down", null))).isEqualTo(FailureKind.TRANSIENT);
        // A call mixes many jobs' segments: a rejected input must not dead-letter the innocent ones.
        assertThat(FailureKind.of(new OpenAiCallFailedException(400, null, "too long", null))).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void unknown_errors_are_transient_so_no_document_is_lost_to_a_bug_elsewhere() {
        assertThat(FailureKind.of(new IllegalStateException("?"))).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void failures_of_futures_are_classified_by_their_cause() {
        var permanent = new UnprocessableDocumentException("no text");
        assertThat(FailureKind.of(new ExecutionException(new CompletionException(permanent)))).isEqualTo(FailureKind.PERMANENT);
        assertThat(FailureKind.unwrap(new ExecutionException(permanent))).isSameAs(permanent);
    }
}
