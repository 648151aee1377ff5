package dev.quarry.worker.ingest;

import java.util.List;

/**
 * The kinds of personal data the scrubber replaces, in the order it applies them. The patterns lean towards
 * precision: a bare run of digits is left alone because tables, versions, ISBNs and timestamps are far more
 * common in documents than undelimited personal numbers, and scrubbing them would hurt search. Values that
 * are only personal because of what they are called (a date of birth, a passport number) are found next to
 * their label, and only the value is replaced.
 *
 * <p>Order matters: secrets first (a private key block or a JWT holds runs that look like anything else),
 * e-mail before numbers (its local part may hold digits), IBANs before cards (an IBAN's groups could read
 * as a card), cards before phones, labelled values and addresses before phones.
 */
final class PiiRules {
    private static final String MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\\.?";
    private static final String DATE = "(?:\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}"
            + "|\\d{1,2}\\.? " + MONTH + ",? \\d{4}|" + MONTH + " \\d{1,2},? \\d{4})";
    private static final String H = "[0-9A-Fa-f]{1,4}";

    static final List<PiiRule> ALL = List.of(
            PiiRule.of("privateKey",
                    "-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----[\\s\\S]*?-----END \\1PRIVATE KEY-----",
                    "[PRIVATE_KEY]"),
            // header.payload.signature, the first two base64url JSON objects ('{"' encodes as eyJ).
            PiiRule.of("jwt", "(?<![\\w-])eyJ[\\w-]{5,}\\.eyJ[\\w-]{5,}\\.[\\w-]+", "[JWT]"),
            PiiRule.of("awsAccessKey", "(?<![A-Z0-9])(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16}(?![A-Z0-9])", "[AWS_KEY]"),
            PiiRule.of("secret", "(?i:aws_secret_access_key|secret[_ -]?(?:access[_ -]?)?key|api[_ -]?key"
                    + "|client[_ -]?secret|access[_ -]?token|password)[\"']?\\s*[:=]\\s*[\"']?(?<pii>[A-Za-z0-9/+=_.-]{8,})",
                    "[SECRET]"),
            PiiRule.of("email",
                    "(?<![\\w.%+-])[\\w.%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}(?![\\w-])", "[EMAIL]"),
            PiiRule.checked("iban", "(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])",
                    "[IBAN]", PiiChecksums::isIban),
            // Unbroken, or grouped the way cards are printed (4-4-4-4[-1..3], Amex 4-6-5, Diners 4-6-4).
            PiiRule.checked("creditCard", "(?<![\\d-])(?:\\d{13,19}|\\d{4}([ -])\\d{4}\\1\\d{4}\\1\\d{4}(?:\\1\\d{1,3})?"
                    + "|\\d{4}([ -])\\d{6}\\2\\d{4,5})(?![\\d-])", "[CREDIT_CARD]", PiiChecksums::isCardNumber),
            PiiRule.of("ssn", "(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\d-])", "[SSN]"),
            PiiRule.of("dateOfBirth", "(?i:date of birth|birth ?date|d\\.?o\\.?b\\.?|born(?: on)?|geburtsdatum"
                    + "|date de naissance)\\s*[:.-]?\\s*(?<pii>" + DATE + ")(?!\\d)", "[DATE_OF_BIRTH]"),
            PiiRule.checked("nationalId", "(?i:passport|national (?:id(?:entity)?|insurance)(?: card)?|identity card"
                    + "|id card|personalausweis|social insurance|tax id(?:entification)?)(?i: (?:no\\.?|number|#))?"
                    + "\\s*[:#]?\\s*(?<pii>[A-Z0-9]{2,}(?:[ -]?[A-Z0-9]+){0,4})(?![A-Za-z0-9])",
                    "[NATIONAL_ID]", PiiChecksums::hasDigit),
            // Not after "version" or "v": 4-part version numbers are common in release notes.
            PiiRule.checked("ipAddress", "(?<![\\w.])(?<!(?i:version|release) )(?:\\d{1,3}\\.){3}\\d{1,3}(?![\\w.]|\\.\\d)",
                    "[IP_ADDRESS]", PiiChecksums::isIpv4),
            // Full (8 groups) or compressed (::) with two or more groups; "10:30:00" has neither, so times survive.
            PiiRule.checked("ipv6Address", "(?<![\\w:])(?:(?:" + H + ":){7}" + H + "|(?:" + H + ":){1,6}(?::" + H + "){1,6}"
                    + "|(?:" + H + ":){2,7}:)(?![\\w:])", "[IP_ADDRESS]", PiiChecksums::hasDigit),
            PiiRule.of("phone", "(?<![\\w+])(?:(?:\\+?1[ .-]?)?(?:\\(\\d{3}\\)[ .-]?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}"
                    + "|\\+\\d(?:[ .-]?\\d){7,14})(?!\\d)", "[PHONE]"));

    private PiiRules() {
    }
}
