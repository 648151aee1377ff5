package dev.quarry.search;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** Maps the columns both legs select: chunk_id, document_id, score, reliability, dated, collection. */
public final class LegRows {
    private LegRows() {
    }

    static LegHit map(ResultSet rs, int row) throws SQLException {
        return new LegHit(rs.getLong("chunk_id"), rs.getObject("document_id", UUID.class), rs.getDouble("score"),
                row + 1, rs.getString("reliability"), rs.getTimestamp("dated").toInstant(), rs.getString("collection"));
    }
}
