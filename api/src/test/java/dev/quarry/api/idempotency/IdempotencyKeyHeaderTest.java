package dev.quarry.api.idempotency;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdempotencyKeyHeaderTest {

    @Test
    void bare_and_quoted_keys_are_the_same_key() {
        assertThat(IdempotencyKeyHeader.require("8e03978e-40d5-43e8-bc93-6894a57f9324"))
                .isEqualTo("8e03978e-40d5-43e8-bc93-6894a57f9324");
        assertThat(IdempotencyKeyHeader.require(" \"8e03978e\" ")).isEqualTo("8e03978e");
    }

    @Test
    void a_missing_key_and_an_invalid_key_are_different_problems() {
        assertKind(null, ProblemKind.MISSING_IDEMPOTENCY_KEY);
        assertKind("  ", ProblemKind.MISSING_IDEMPOTENCY_KEY);
        assertKind("\"\"", ProblemKind.INVALID_IDEMPOTENCY_KEY);
        assertKind("k".repeat(256), ProblemKind.INVALID_IDEMPOTENCY_KEY);
        assertKind("tab\there", ProblemKind.INVALID_IDEMPOTENCY_KEY);
        assertKind("ключ", ProblemKind.INVALID_IDEMPOTENCY_KEY);
    }

    private static void assertKind(String header, ProblemKind kind) {
        assertThatThrownBy(() -> IdempotencyKeyHeader.require(header)).isInstanceOfSatisfying(ApiProblem.class,
                problem -> assertThat(problem.kind()).isEqualTo(kind));
    }
}
