package dev.quarry.testing;

import java.util.Locale;
import java.util.regex.Pattern;

/** The fake's stand-ins for OpenAI's tokenizer and model: deterministic, and similar for related texts. */
final class FakeEmbeddings {
    private static final Pattern TOKEN = Pattern.compile("\\w+|[^\\w\\s]");

    private FakeEmbeddings() {
    }

    /** The fake's token count: words and punctuation marks. */
    static int tokenCount(String text) {
        return (int) TOKEN.matcher(text).results().count();
    }

    /** The vector the fake returns for {@code text}: unit length, the same for equal texts. */
    static float[] vectorFor(String text, int dimensions) {
        float[] vector = new float[dimensions];
        String lower = text.toLowerCase(Locale.ROOT);
        for (String word : lower.split("\\W+")) {
            if (word.isEmpty()) continue;
            add(vector, "w:" + word, 2f);
            String padded = " " + word + " ";
            for (int i = 0; i + 3 <= padded.length(); i++) add(vector, "t:" + padded.substring(i, i + 3), 1f);
        }
        add(vector, "all:" + lower, 0.5f); // texts without word characters still get a vector of their own
        double norm = 0;
        for (float v : vector) norm += v * v;
        if (norm == 0) {
            vector[0] = 1; // every feature cancelled out; still a unit vector
            return vector;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) vector[i] *= scale;
        return vector;
    }

    private static void add(float[] vector, String feature, float weight) {
        int hash = mix(feature.hashCode());
        int index = Math.floorMod(hash, vector.length);
        vector[index] += (mix(hash) & 1) == 0 ? weight : -weight;
    }

    /** Murmur3's finalizer: spreads String.hashCode, whose low bits are poor for short strings. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
