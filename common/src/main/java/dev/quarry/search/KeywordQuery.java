package dev.quarry.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Web search syntax, split into what BM25 needs. Plain words are scored with OR semantics (a chunk need
 * not hold every word, which is what recall on natural-language questions needs). A {@code "quoted phrase"}
 * boosts the chunks that hold it as a phrase but filters nothing: people quote words inside pasted
 * questions ({@code the "training" phase}, a cited title) without meaning "only chunks with this", and
 * on CACM, where 6 queries quote titles, requiring the quotes lost relevant documents (BENCHMARKS.md). A
 * leading plus, {@code +word} or {@code +"a phrase"}, asks for a requirement explicitly. A {@code -word}
 * or {@code -"phrase"} excludes chunks that contain it. Anything unbalanced degrades to plain words: a
 * query never fails to parse.
 *
 * @param positive  the text whose lexemes are scored (quoted and required text included, exclusions removed)
 * @param required  words or phrases every hit must contain ({@code +})
 * @param boosted   quoted phrases whose presence raises a hit's score
 * @param negations words or phrases no hit may contain ({@code -})
 */
public record KeywordQuery(String positive, List<String> required, List<String> boosted, List<String> negations) {

    static KeywordQuery parse(String q) {
        StringBuilder positive = new StringBuilder();
        List<String> required = new ArrayList<>();
        List<String> boosted = new ArrayList<>();
        List<String> negations = new ArrayList<>();
        int i = 0;
        int n = q.length();
        while (i < n) {
            char c = q.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            boolean operator = (c == '-' || c == '+') && i + 1 < n && !Character.isWhitespace(q.charAt(i + 1));
            int start = operator ? i + 1 : i;
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
            if (operator && c == '-') {
                negations.add(term);
                continue;
            }
            if (operator) required.add(term);
            else if (quoted) boosted.add(term);
            positive.append(quoted ? term : withoutEdgeSlashes(term)).append(' ');
        }
        return new KeywordQuery(positive.toString().trim(), List.copyOf(required), List.copyOf(boosted),
                List.copyOf(negations));
    }

    /**
     * PostgreSQL's parser reads a word with a leading slash ({@code /slip}, as Cranfield's queries mark
     * terms) as a file path and indexes it whole, so it would never match the word in a document. A slash
     * inside a word ({@code and/or}, {@code t/nroff}) is left alone.
     */
    private static String withoutEdgeSlashes(String word) {
        int from = 0, to = word.length();
        while (from < to && word.charAt(from) == '/') from++;
        while (to > from && word.charAt(to - 1) == '/') to--;
        return word.substring(from, to);
    }
}
