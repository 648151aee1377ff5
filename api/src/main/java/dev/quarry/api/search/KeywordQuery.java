package dev.quarry.api.search;

import java.util.ArrayList;
import java.util.List;

/**
 * The web search syntax of {@code websearch_to_tsquery}, split into what BM25 needs. Plain words are
 * scored with OR semantics (a chunk need not hold every word, which is what recall on natural-language
 * questions needs); a {@code "quoted phrase"} is required as a phrase; a {@code -word} or
 * {@code -"phrase"} excludes chunks that contain it. {@code or} is a stop word under OR semantics anyway.
 * Anything unbalanced degrades to plain words, as websearch_to_tsquery does: a query never fails to parse.
 *
 * @param positive  the text whose lexemes are scored (phrases included, exclusions removed)
 * @param phrases   phrases every hit must contain
 * @param negations words or phrases no hit may contain
 */
record KeywordQuery(String positive, List<String> phrases, List<String> negations) {

    static KeywordQuery parse(String q) {
        StringBuilder positive = new StringBuilder();
        List<String> phrases = new ArrayList<>();
        List<String> negations = new ArrayList<>();
        int i = 0;
        int n = q.length();
        while (i < n) {
            char c = q.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            boolean negated = c == '-' && i + 1 < n && !Character.isWhitespace(q.charAt(i + 1));
            int start = negated ? i + 1 : i;
            String term;
            boolean quoted = start < n && q.charAt(start) == '"';
            int end;
            if (quoted) {
                int close = q.indexOf('"', start + 1);
                end = close < 0 ? n : close + 1;
                term = q.substring(start + 1, close < 0 ? n : close);
            } else {
                end = start;
                while (end < n && !Character.isWhitespace(q.charAt(end))) end++;
                term = q.substring(start, end);
            }
            i = end;
            if (term.isBlank()) continue;
            if (negated) {
                negations.add(term);
            } else {
                if (quoted) phrases.add(term);
                positive.append(term).append(' ');
            }
        }
        return new KeywordQuery(positive.toString().trim(), List.copyOf(phrases), List.copyOf(negations));
    }
}
