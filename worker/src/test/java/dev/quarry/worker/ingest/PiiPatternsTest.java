package dev.quarry.worker.ingest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The patterns added to the original four: each one's true positives, and the look-alikes that must survive. */
class PiiPatternsTest {
    private final PiiScrubber scrubber = new PiiScrubber();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            iban        | Pay to DE89 3704 0044 0532 0130 00 today.          | Pay to [IBAN] today.
            iban        | IBAN GB82WEST12345698765432, ref 7.                 | IBAN [IBAN], ref 7.
            ipAddress   | Login from 192.168.10.254 failed.                   | Login from [IP_ADDRESS] failed.
            ipv6Address | Client 2001:0db8:85a3:0000:0000:8a2e:0370:7334 left | Client [IP_ADDRESS] left
            ipv6Address | Gateway fe80::1ff:fe23:4567:890a is up.             | Gateway [IP_ADDRESS] is up.
            dateOfBirth | Date of birth: 14/03/1987, single.                  | Date of birth: [DATE_OF_BIRTH], single.
            dateOfBirth | DOB 1987-03-14 (verified)                           | DOB [DATE_OF_BIRTH] (verified)
            dateOfBirth | She was born on March 14, 1987 in Ulm.              | She was born on [DATE_OF_BIRTH] in Ulm.
            nationalId  | Passport number: X1234567 issued in Bonn            | Passport number: [NATIONAL_ID] issued in Bonn
            nationalId  | National insurance no. QQ 12 34 56 C on file        | National insurance no. [NATIONAL_ID] on file
            awsAccessKey| key AKIAIOSFODNN7EXAMPLE in the log                 | key [AWS_KEY] in the log
            secret      | aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY | aws_secret_access_key = [SECRET]
            secret      | api_key: "sk_live_4eC39HqLyjWDarjtT1zdp7dc"         | api_key: "[SECRET]"
            jwt         | Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok | Bearer [JWT] ok
            """)
    void replaces_a_true_positive_and_counts_it_under_its_kind(String kind, String text, String expected) {
        PiiScrubber.Scrubbed result = scrubber.scrub(text);

        assertThat(result.text()).isEqualTo(expected);
        assertThat(result.counts()).containsEntry(kind, 1);
        assertThat(result.total()).isEqualTo(1);
    }

    @Test
    void replaces_a_whole_private_key_block() {
        PiiScrubber.Scrubbed result = scrubber.scrub("""
                deploy with
                -----BEGIN RSA PRIVATE KEY-----
                MIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MpUjQ12345678
                9abcdEFGH+/xyz==
                -----END RSA PRIVATE KEY-----
                and restart.""");

        assertThat(result.text()).isEqualTo("deploy with\n[PRIVATE_KEY]\nand restart.");
        assertThat(result.counts()).containsEntry("privateKey", 1);
        assertThat(result.total()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Upgrade to version 10.0.0.1 or v2.10.0.1, then 1.2.3.",
            "ISBN 978-3-16-148410-0 and ISBN 9780306406157 and 978 0 306 40615 7.",
            "Logged at 2024-01-15T10:30:00Z, 2024-01-15 10:30:00.123 and 10:30:00.",
            "Call std::vector and a::b in C++; ratio 16:9; IDs AB12 and 300.1.1.1.",
            "Account GB82 WEST 1234 5698 7654 33 fails its checksum.",
            "The passport office opens at nine; the date 14/03/1987 has no label.",
            "A key of AKIA-style prefix AKIAshort and token eyJhbGciOiJIUzI1NiJ9 alone."})
    void leaves_versions_isbns_timestamps_and_lookalikes_alone(String text) {
        PiiScrubber.Scrubbed result = scrubber.scrub(text);

        assertThat(result.text()).isEqualTo(text);
        assertThat(result.total()).isZero();
    }

    @Test
    void counts_every_kind_and_never_carry_a_value() {
        PiiScrubber.Scrubbed result = scrubber.scrub(
                "DE89 3704 0044 0532 0130 00 from 10.1.2.3, DOB 1987-03-14, passport X1234567, AKIAIOSFODNN7EXAMPLE");

        assertThat(result.counts()).containsKeys("email", "creditCard", "ssn", "phone", "iban", "ipAddress",
                "ipv6Address", "dateOfBirth", "nationalId", "awsAccessKey", "secret", "jwt", "privateKey");
        assertThat(result.total()).isEqualTo(5);
        assertThat(result.counts().toString()).doesNotContain("3704").doesNotContain("1987").doesNotContain("X1234567");
    }
}
