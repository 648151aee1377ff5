package dev.quarry.bench;

import com.pgvector.PGvector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The reference for search latency: the bare pgvector HNSW query a hand-written client would send. */
final class RawVectorQuery implements AutoCloseable {
    private final PreparedStatement statement;

    RawVectorQuery(Connection db, String tenant, String version) throws SQLException {
        try (var settings = db.createStatement()) {
            settings.execute("set hnsw.ef_search = 100");
            settings.execute("set hnsw.iterative_scan = relaxed_order");
        }
        statement = db.prepareStatement("""
                select id from chunks where tenant_id = ? and embedding_version = ?
                order by embedding <=> ? limit 100""");
        statement.setString(1, tenant);
        statement.setString(2, version);
    }

    int run(float[] embedding) throws SQLException {
        statement.setObject(3, new PGvector(embedding));
        int rows = 0;
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) rows++;
        }
        return rows;
    }

    @Override
    public void close() throws SQLException {
        statement.close();
    }
}
