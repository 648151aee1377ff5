package dev.quarry.bench;

import dev.quarry.testing.Cranfield;
import dev.quarry.testing.RetrievalCollection;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Cranfield ingested into a fresh tenant through {@link CollectionIngest} (collection {@code cranfield},
 * source {@code cranfield/<id>}). Shared by bench ingest, reingest and reindex. The two abstracts that are
 * empty in the collection are skipped: the API rightly refuses an empty file.
 */
final class CranfieldIngest {
    private final Args args;
    private final Cranfield cranfield;

    CranfieldIngest(Args args, Cranfield cranfield) {
        this.args = args;
        this.cranfield = cranfield;
    }

    record Result(int documents, int chunks, double seconds, double chunksPerSecond) {
    }

    List<Cranfield.Doc> uploadable() {
        return uploadable(cranfield);
    }

    static List<Cranfield.Doc> uploadable(Cranfield cranfield) {
        return cranfield.docs().stream().filter(d -> !d.text().isBlank()).toList();
    }

    Result ingest(String tenant) throws Exception {
        var docs = uploadable().stream().map(d -> new RetrievalCollection.Doc(d.id(), d.title(), d.text())).toList();
        var result = new CollectionIngest(args).ingest(tenant, "cranfield", docs);
        return new Result(result.documents(), result.chunks(), result.seconds(), result.chunksPerSecond());
    }

    static int count(Connection db, String sql, String tenant) throws SQLException {
        return CollectionIngest.count(db, sql, tenant);
    }

    static Instant dbNow(Connection db) throws SQLException {
        return CollectionIngest.dbNow(db);
    }

    Connection connect() throws SQLException {
        return connect(args);
    }

    static Connection connect(Args args) throws SQLException {
        return CollectionIngest.connect(args);
    }
}
