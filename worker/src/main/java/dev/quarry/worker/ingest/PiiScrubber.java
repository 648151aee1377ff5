package dev.quarry.worker.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data with placeholders before anything is chunked, embedded or stored: e-mail addresses
 * ({@code [EMAIL]}), payment card numbers that pass the Luhn check ({@code [CREDIT_CARD]}), US social
 * security numbers in their dashed form ({@code [SSN]}) and phone numbers ({@code [PHONE]}: North American
 * 3-3-4 digits, or international with a leading +). The patterns lean towards precision: a bare run of
 * digits is left alone because tables and identifiers are far more common in documents than undelimited
 * phone numbers, and scrubbing them would hurt search. Only counts leave this class, never the values.
 * Pure and thread-safe.
 */
final class PiiScrubber {

    /** The scrubbed text and how many values of each kind were replaced. */
    record Scrubbed(String text, Map<String, Integer> counts) {
        int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private record Rule(String kind, Pattern pattern, String placeholder, Predicate<String> accept) {
    }

    // Order matters: e-mail first (its local part may hold digits), cards before phones (a card's groups
    // could otherwise be read as a phone number).
    private static final Rule[] RULES = {
            new Rule("email", Pattern.compile(
                    "(?<![\\w.%+-])[\\w.%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}(?![\\w-])"),
                    "[EMAIL]", s -> true),
            // Unbroken, or grouped the way cards are printed (4-4-4-4[-1..3], Amex 4-6-5, Diners 4-6-4).
            new Rule("creditCard", Pattern.compile("(?<![\\d-])(?:\\d{13,19}|\\d{4}([ -])\\d{4}\\1\\d{4}\\1\\d{4}(?:\\1\\d{1,3})?"
                    + "|\\d{4}([ -])\\d{6}\\2\\d{4,5})(?![\\d-])"),
                    "[CREDIT_CARD]", PiiScrubber::passesLuhn),
            new Rule("ssn", Pattern.compile("(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\d-])"),
                    "[SSN]", s -> true),
            new Rule("phone", Pattern.compile(
                    "(?<![\\w+])(?:(?:\\+?1[ .-]?)?(?:\\(\\d{3}\\)[ .-]?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}"
                            + "|\\+\\d(?:[ .-]?\\d){7,14})(?!\\d)"),
                    "[PHONE]", s -> true),
    };

    Scrubbed scrub(String text) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        String current = text;
        for (Rule rule : RULES) {
            int[] replaced = {0};
            current = replace(current, rule, replaced);
            counts.put(rule.kind(), replaced[0]);
        }
        return new Scrubbed(current, counts);
    }

    private static String replace(String text, Rule rule, int[] replaced) {
        Matcher m = rule.pattern().matcher(text);
        if (!m.find()) return text;
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        do {
            if (rule.accept().test(m.group())) {
                out.append(text, last, m.start()).append(rule.placeholder());
                last = m.end();
                replaced[0]++;
            }
        } while (m.find());
        return out.append(text, last, text.length()).toString();
    }

    static boolean passesLuhn(String candidate) {
        int sum = 0;
        int digits = 0;
        for (int i = candidate.length() - 1; i >= 0; i--) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') continue;
            int d = c - '0';
            if (digits++ % 2 == 1) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
        }
        return digits >= 13 && digits <= 19 && sum % 10 == 0;
    }
}
