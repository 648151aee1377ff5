package dev.quarry.worker.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PiiScrubberTest {
    private final PiiScrubber scrubber = new PiiScrubber();

    @Test
    void replaces_each_kind_with_its_placeholder_and_counts_it() {
        PiiScrubber.Scrubbed result = scrubber.scrub("""
                Mail jane.doe+work@example.co.uk or bob@mail.example.com.
                Card 4111 1111 1111 1111 and 5500-0000-0000-0004, SSN 123-45-6789.
                Call (555) 123-4567, 555.987.6543, +1 800 555 0199 or +44 20 7946 0958.""");

        assertThat(result.text()).isEqualTo("""
                Mail [EMAIL] or [EMAIL].
                Card [CREDIT_CARD] and [CREDIT_CARD], SSN [SSN].
                Call [PHONE], [PHONE], [PHONE] or [PHONE].""");
        assertThat(result.counts()).containsEntry("email", 2).containsEntry("creditCard", 2)
                .containsEntry("ssn", 1).containsEntry("phone", 4);
        assertThat(result.total()).isEqualTo(9);
    }

    @Test
    void leaves_card_like_numbers_that_fail_luhn() {
        assertThat(scrubber.scrub("order 4111 1111 1111 1112 shipped").text()).isEqualTo("order 4111 1111 1111 1112 shipped");
    }

    @Test
    void leaves_dates_versions_and_plain_numbers_alone() {
        String text = "On 2024-01-15 version 1.2.3 measured 1958, 324 and 12.5 in table 3-4; ids 000-12-3456 666-12-3456.";
        PiiScrubber.Scrubbed result = scrubber.scrub(text);
        assertThat(result.text()).isEqualTo(text);
        assertThat(result.total()).isZero();
    }

    @Test
    void the_counts_never_contain_the_values() {
        PiiScrubber.Scrubbed result = scrubber.scrub("write to secret.person@example.org");
        assertThat(result.counts().toString()).doesNotContain("secret.person").doesNotContain("example.org");
    }

    @Test
    void luhn_accepts_valid_and_rejects_invalid_numbers() {
        assertThat(PiiChecksums.passesLuhn("4111111111111111")).isTrue();
        assertThat(PiiChecksums.passesLuhn("378282246310005")).isTrue();
        assertThat(PiiChecksums.passesLuhn("4111111111111112")).isFalse();
        assertThat(PiiChecksums.passesLuhn("0000")).isFalse();
    }
}
