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
        // Each version has its own partial HNSW index on the column cast to its dimensions (V6): the query
        // names the version and the cast as the index does, or the planner cannot use it.
        int dimensions;
        try (var dims = db.prepareStatement("select dimensions from embedding_versions where tag = ?")) {
            dims.setString(1, version);
            try (ResultSet rs = dims.executeQuery()) {
                if (!rs.next()) throw new SQLException("embedding version " + version + " is not registered");
                dimensions = rs.getInt(1);
            }
        }
        statement = db.prepareStatement("""
                select id from chunks where tenant_id = ? and embedding_version = '%s'
                order by embedding::vector(%d) <=> ? limit 100""".formatted(version.replace("'", "''"), dimensions));
        statement.setString(1, tenant);
    }

    int run(float[] embedding) throws SQLException {
        statement.setObject(2, new PGvector(embedding));
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
