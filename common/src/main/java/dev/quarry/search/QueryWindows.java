package dev.quarry.search;

import dev.langchain4j.data.embedding.Embedding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A long query as windows the embedding model reads whole, and their embeddings fused into one. The
 * in-process model's tokenizer truncates at 512 word pieces, so a pasted paragraph would otherwise be
 * embedded by its opening alone (QueryTextIT measured the tail of an 8,000-character query changing
 * nothing). all-MiniLM-L6-v2 was trained on 256 word pieces; 150 words (about 200 pieces of English) stay
 * inside that. The fused embedding is the mean of the windows' unit vectors, weighted by their words, so
 * every part of the query counts as much as its share of the text.
 */
public final class QueryWindows {
    static final int WORDS = 150;

    private QueryWindows() {
    }

    /** The query itself when it fits one window, else consecutive windows of {@link #WORDS} words. */
    static List<String> split(String query) {
        String[] words = query.trim().split("\\s+");
        if (words.length <= WORDS) return List.of(query);
        List<String> windows = new ArrayList<>();
        for (int from = 0; from < words.length; from += WORDS) {
            windows.add(String.join(" ", Arrays.copyOfRange(words, from, Math.min(words.length, from + WORDS))));
        }
        return windows;
    }

    static float[] fuse(List<String> windows, List<Embedding> embeddings) {
        float[] fused = new float[embeddings.get(0).vector().length];
        for (int w = 0; w < windows.size(); w++) {
            float[] unit = embeddings.get(w).vector();
            double norm = 0;
            for (float x : unit) norm += x * x;
            double weight = windows.get(w).split("\\s+").length / Math.max(Math.sqrt(norm), 1e-12);
            for (int i = 0; i < fused.length; i++) fused[i] += (float) (weight * unit[i]);
        }
        return fused;
    }
}
