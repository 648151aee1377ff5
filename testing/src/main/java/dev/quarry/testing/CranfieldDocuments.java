package dev.quarry.testing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Larger documents made of consecutive Cranfield abstracts, spread evenly over the whole collection. */
public final class CranfieldDocuments {
    private CranfieldDocuments() {
    }

    /** {@code count} documents ({@code <prefix>-NNN.txt}) of {@code abstractsEach} abstracts, title and text. */
    public static Map<String, String> build(Path dataset, String prefix, int count, int abstractsEach) throws Exception {
        List<Cranfield.Doc> abstracts = Cranfield.load(dataset).docs().stream().filter(d -> !d.text().isBlank()).toList();
        int stride = Math.max(1, abstracts.size() / count);
        Map<String, String> documents = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = 0; j < abstractsEach; j++) {
                Cranfield.Doc doc = abstracts.get((i * stride + j) % abstracts.size());
                text.append(doc.title()).append("\n\n").append(doc.text()).append("\n\n");
            }
            documents.put(String.format("%s-%03d.txt", prefix, i), text.toString());
        }
        return documents;
    }
}
