package dev.quarry.bench;

import com.pgvector.PGvector;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dense peer: exact cosine similarity between a query's embedding and every chunk embedding the worker
 * stored for the tenant (the same model's vectors, read back rather than computed twice), a document
 * scoring as its best chunk. Exhaustive, so it shows what the HNSW index and the fusion cost or add.
 */
final class BruteForceCosine {
    private final List<Integer> documentIds = new ArrayList<>();
    private final List<float[]> vectors = new ArrayList<>();

    BruteForceCosine(Connection db, String tenant, String collection) throws SQLException {
        try (var st = db.prepareStatement("""
                select d.source, c.embedding::text from chunks c join documents d on d.id = c.document_id
                where c.tenant_id = ? and d.collection = ?""")) {
            st.setString(1, tenant);
            st.setString(2, collection);
            st.setFetchSize(2000);
            db.setAutoCommit(false); // a fetch size only streams inside a transaction
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String source = rs.getString(1);
                    documentIds.add(Integer.parseInt(source.substring(source.indexOf('/') + 1)));
                    vectors.add(normalised(new PGvector(rs.getString(2)).toArray()));
                }
            } finally {
                db.commit();
                db.setAutoCommit(true);
            }
        }
    }

    int chunks() {
        return vectors.size();
    }

    List<Integer> search(float[] query, int k) {
        float[] q = normalised(query);
        Map<Integer, Double> best = new HashMap<>();
        for (int i = 0; i < vectors.size(); i++) {
            float[] v = vectors.get(i);
            double dot = 0;
            for (int j = 0; j < v.length; j++) dot += v[j] * q[j];
            best.merge(documentIds.get(i), dot, Math::max);
        }
        return best.entrySet().stream()
                .sorted(Map.Entry.<Integer, Double>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(k).map(Map.Entry::getKey).toList();
    }

    private static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) norm += x * x;
        float[] out = new float[v.length];
        double scale = norm == 0 ? 0 : 1 / Math.sqrt(norm);
        for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] * scale);
        return out;
    }
}
