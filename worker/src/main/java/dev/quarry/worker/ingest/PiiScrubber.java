package dev.quarry.worker.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Replaces personal data with placeholders before anything is chunked, embedded or stored, by the rules of
 * {@link PiiRules} (e-mail, payment cards, US SSNs, phones, IBANs, IP addresses, dates of birth and national
 * ids next to their label, and secrets: private keys, JWTs, AWS keys, labelled API keys and passwords). Only
 * counts per kind leave this class, never the values, so the scrub event and the logs cannot leak what was
 * scrubbed. Pure and thread-safe.
 */
final class PiiScrubber {
    private final List<PiiRule> rules;

    PiiScrubber() {
        this(PiiRules.ALL);
    }

    PiiScrubber(List<PiiRule> rules) {
        this.rules = rules;
    }

    /** The scrubbed text and how many values of each kind were replaced. */
    record Scrubbed(String text, Map<String, Integer> counts) {
        int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    Scrubbed scrub(String text) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        String current = text;
        for (PiiRule rule : rules) {
            int[] replaced = {0};
            current = replace(current, rule, replaced);
            counts.merge(rule.kind(), replaced[0], Integer::sum);
        }
        return new Scrubbed(current, counts);
    }

    private static String replace(String text, PiiRule rule, int[] replaced) {
        Matcher m = rule.pattern().matcher(text);
        if (!m.find()) return text;
        boolean groupOnly = rule.replacesGroupOnly();
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        do {
            int start = groupOnly ? m.start("pii") : m.start();
            int end = groupOnly ? m.end("pii") : m.end();
            if (rule.accept().test(text.substring(start, end))) {
                out.append(text, last, start).append(rule.placeholder());
                last = end;
                replaced[0]++;
            }
        } while (m.find());
        return out.append(text, last, text.length()).toString();
    }
}
