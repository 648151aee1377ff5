package dev.quarry.worker.ingest;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One kind of personal data: its name in the scrub event's counts, the pattern that finds candidates, the
 * placeholder that replaces them and a check a candidate must pass (a checksum, a plausible range). When the
 * pattern has a group named {@code pii}, only that group is replaced: a label such as "Date of birth:" is
 * what makes the value personal, and keeping it keeps the text readable and searchable.
 */
record PiiRule(String kind, Pattern pattern, String placeholder, Predicate<String> accept) {

    static PiiRule of(String kind, String regex, String placeholder) {
        return new PiiRule(kind, Pattern.compile(regex), placeholder, s -> true);
    }

    static PiiRule checked(String kind, String regex, String placeholder, Predicate<String> accept) {
        return new PiiRule(kind, Pattern.compile(regex), placeholder, accept);
    }

    boolean replacesGroupOnly() {
        return pattern.pattern().contains("(?<pii>");
    }
}
