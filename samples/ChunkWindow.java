package example;

import java.util.ArrayList;
import java.util.List;

/**
 * Sliding-window chunker: splits a token sequence into windows of at most {@code size} tokens, where
 * consecutive windows share {@code overlap} tokens so that a sentence cut at a boundary still appears
 * whole in one of the two chunks.
 */
public final class ChunkWindow {

    public static List<List<String>> slidingWindows(List<String> tokens, int size, int overlap) {
        if (overlap >= size) throw new IllegalArgumentException("overlap must be smaller than size");
        List<List<String>> windows = new ArrayList<>();
        for (int start = 0; start < tokens.size(); start += size - overlap) {
            windows.add(tokens.subList(start, Math.min(tokens.size(), start + size)));
            if (start + size >= tokens.size()) break;
        }
        return windows;
    }
}
