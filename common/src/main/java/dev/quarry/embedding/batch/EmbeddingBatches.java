package dev.quarry.embedding.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.exports.ExportProperties;
import dev.quarry.exports.PgExportFiles;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobDispatcher;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The owner of {@code embedding_batches}: a client's texts and, once its EMBED_BATCH job has run, the
 * description of their results, a JSONL file stored through {@link PgExportFiles} under the job's id (the
 * store exports use, so every API process serves it with {@code Range}). {@link #request} records the job and
 * the batch in the caller's transaction and hands the job over after commit; {@link #deleteExpired} is what
 * the retention sweep calls.
 */
@Component
@EnableConfigurationProperties(EmbeddingBatchProperties.class)
public class EmbeddingBatches {
    /** The one condition of expired results (or texts never embedded), shared by the sweep and the dry run. */
    private static final String EXPIRED = "expires_at <= now() and purged_at is null";
    private static final String COLUMNS = """
            id, tenant_id, embedding_version, requested_by, item_count, tokens, size_bytes, sha256, part_size,
            purged_at, created_at, completed_at, expires_at""";
    private static final TypeReference<List<BatchItem>> ITEMS = new TypeReference<>() {
    };
    private final JdbcClient jdbc;
    private final PgExportFiles files;
    private final PgJobStore jobs;
    private final JobDispatcher dispatcher;
    private final EmbeddingBatchProperties properties;
    private final int partSize;
    private final ObjectMapper json;

    EmbeddingBatches(JdbcClient jdbc, PgExportFiles files, PgJobStore jobs, JobDispatcher dispatcher,
                     EmbeddingBatchProperties properties, ExportProperties exportProperties, ObjectMapper json) {
        this.jdbc = jdbc;
        this.files = files;
        this.jobs = jobs;
        this.dispatcher = dispatcher;
        this.properties = properties;
        this.partSize = exportProperties.partSize();
        this.json = json;
    }

    /** Records an EMBED_BATCH job and its batch (their id is the same) and dispatches the job after commit. */
    @Transactional
    public Job request(EmbeddingBatchRequest request) {
        Job job = jobs.create(new NewJob(UUID.randomUUID(), request.tenantId(), JobType.EMBED_BATCH, null,
                request.idempotencyKey(), request.traceParent(), request.priority()));
        // Until the results exist, expires_at bounds how long the texts wait; complete() restarts it.
        jdbc.sql("""
                        insert into embedding_batches (id, tenant_id, embedding_version, requested_by, items, item_count,
                            part_size, expires_at)
                        values (?, ?, ?, ?, cast(? as jsonb), ?, ?, ?)""")
                .params(job.id(), request.tenantId(), request.version(), request.requestedBy(), write(request.items()),
                        request.items().size(), partSize, Timestamp.from(Instant.now().plus(properties.ttl())))
                .update();
        dispatcher.dispatchAfterCommit(job);
        return job;
    }

    public Optional<EmbeddingBatch> find(String tenant, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from embedding_batches where id = ? and tenant_id = ?")
                .params(id, tenant).query(EmbeddingBatches::map).optional();
    }

    /** The batch's texts in the order given, or empty once they were dropped (complete or purged). */
    public Optional<List<BatchItem>> items(UUID id) {
        return jdbc.sql("select items::text from embedding_batches where id = ? and items is not null").param(id)
                .query(String.class).optional().map(this::read);
    }

    /**
     * Describes the results, starts their time to live and drops the texts; joins the caller's transaction,
     * which also marks the job SUCCEEDED, so the results are downloadable exactly when the job succeeded.
     */
    @Transactional
    public void complete(UUID id, PgExportFiles.Written file, long tokens) {
        jdbc.sql("""
                        update embedding_batches set size_bytes = ?, sha256 = ?, tokens = ?, items = null,
                            completed_at = now(), expires_at = ? where id = ?""")
                .params(file.size(), file.sha256(), tokens, Timestamp.from(Instant.now().plus(properties.ttl())), id)
                .update();
    }

    /**
     * Deletes the results (and texts) of at most {@code batch} expired batches, oldest expiry first, and returns
     * how many; one short transaction that skips rows another sweeper holds, so the sweep calls it until it
     * returns 0. The rows stay (purged) as the record of the batch; they go with their jobs.
     */
    @Transactional
    public int deleteExpired(int batch) {
        List<UUID> expired = jdbc.sql("select id from embedding_batches where " + EXPIRED
                        + " order by expires_at limit ? for update skip locked")
                .param(batch).query(UUID.class).list();
        if (expired.isEmpty()) return 0;
        UUID[] ids = expired.toArray(UUID[]::new);
        files.delete(ids);
        jdbc.sql("update embedding_batches set purged_at = now(), items = null where id = any(cast(? as uuid[]))")
                .param(ids).update();
        return expired.size();
    }

    /** How many batches {@link #deleteExpired} would purge now, of one tenant or (null) of every tenant. */
    public long countExpired(String tenant) {
        return jdbc.sql("select count(*) from embedding_batches where " + EXPIRED
                        + " and (cast(? as text) is null or tenant_id = ?)")
                .params(tenant, tenant).query(Long.class).single();
    }

    /**
     * Erasure of a data subject: the texts and results of the tenant's batches they submitted are deleted and
     * their {@code sub} taken out of the rows, which stay (purged) as the record that a batch ran. A batch still
     * running finds no texts at its next attempt and is dead-lettered, or completes a file that is already gone
     * from the download (purged).
     *
     * @return how many batches were purged
     */
    @Transactional
    public int eraseSubject(String tenant, String subject) {
        List<UUID> theirs = jdbc.sql("select id from embedding_batches where tenant_id = ? and requested_by = ?")
                .params(tenant, subject).query(UUID.class).list();
        if (theirs.isEmpty()) return 0;
        UUID[] ids = theirs.toArray(UUID[]::new);
        files.delete(ids);
        return jdbc.sql("""
                        update embedding_batches set purged_at = coalesce(purged_at, now()), items = null,
                            requested_by = null where id = any(cast(? as uuid[]))""")
                .param(ids).update();
    }

    private String write(List<BatchItem> items) {
        try {
            return json.writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings is always serializable", e);
        }
    }

    private List<BatchItem> read(String items) {
        try {
            return json.readValue(items, ITEMS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("embedding_batches.items is not a list of items", e);
        }
    }

    private static EmbeddingBatch map(ResultSet rs, int row) throws SQLException {
        return new EmbeddingBatch(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                rs.getString("embedding_version"), rs.getString("requested_by"), rs.getInt("item_count"),
                rs.getObject("tokens", Long.class), rs.getObject("size_bytes", Long.class), rs.getString("sha256"),
                rs.getInt("part_size"), rs.getTimestamp("purged_at") != null, instant(rs, "created_at"),
                instant(rs, "completed_at"), instant(rs, "expires_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
