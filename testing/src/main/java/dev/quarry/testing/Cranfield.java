package dev.quarry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Cranfield collection (datasets/cranfield, found by {@link Datasets}). Pitfalls handled here: qrels number queries by
 * their position in cran.qry (1..225), not by their .I; grade -1 means judged non-relevant.
 */
public record Cranfield(List<Doc> docs, List<Query> queries, Map<Integer, Map<Integer, Integer>> grades) {

    public record Doc(int id, String title, String text) {
    }

    public record Query(int number, String text) {
    }

    public static Cranfield load(Path dir) throws IOException {
        List<Doc> docs = new ArrayList<>();
        for (Map<Character, String> rec : SmartRecords.parse(Files.readString(dir.resolve("cran.all.1400")))) {
            docs.add(new Doc(Integer.parseInt(rec.get('I')), rec.getOrDefault('T', ""), rec.getOrDefault('W', "")));
        }
        List<Query> queries = new ArrayList<>();
        int position = 0;
        for (Map<Character, String> rec : SmartRecords.parse(Files.readString(dir.resolve("cran.qry")))) {
            queries.add(new Query(++position, rec.getOrDefault('W', "")));
        }
        Map<Integer, Map<Integer, Integer>> grades = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("cranqrel"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) continue;
            grades.computeIfAbsent(Integer.parseInt(f[0]), q -> new HashMap<>())
                    .put(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
        }
        return new Cranfield(docs, queries, grades);
    }
}
