package dev.quarry.exports;

import dev.quarry.documents.DocumentViewer;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.JobType;
import dev.quarry.testing.CommonTestApplication;
import dev.quarry.testing.Databases;
import dev.quarry.testing.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Export requests, their files in parts, and the deletion of expired files, on the real PostgreSQL. */
@SpringBootTest(classes = CommonTestApplication.class)
class ExportsIT {

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.register(registry);
    }

    @Autowired Exports exports;
    @Autowired PgExportFiles files;
    @Autowired JdbcTemplate jdbc;
    @Autowired TransactionTemplate tx;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
    }

    private ExportRequest request(ExportScope scope, ExportFormat format) {
        return new ExportRequest("acme", scope, format, true, "user-1", "key-" + UUID.randomUUID(), null);
    }

    @Test
    void a_request_records_a_queued_export_job_with_its_scope() {
        ExportScope scope = new ExportScope(null, "handbook", List.of(UUID.randomUUID()),
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"), "user-7", null, null, null);

        Job job = tx.execute(s -> exports.request(request(scope, ExportFormat.JSON)));

        assertThat(job.type()).isEqualTo(JobType.EXPORT);
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        Export export = exports.find("acme", job.id()).orElseThrow();
        assertThat(export.scope()).isEqualTo(scope);
        assertThat(export.format()).isEqualTo(ExportFormat.JSON);
        assertThat(export.includeVectors()).isTrue();
        assertThat(export.complete()).isFalse();
        assertThat(exports.find("other-tenant", job.id())).isEmpty();
    }

    @Test
    void erasing_a_subject_takes_their_sub_out_of_the_scope_a_users_export_was_narrowed_to() {
        // A user's export of a collection holds the shared documents and their own private ones: visibleTo.
        ExportScope scope = ExportScope.collection("handbook").seenBy(DocumentViewer.user("user-1"));
        Job job = tx.execute(s -> exports.request(request(scope, ExportFormat.JSON)));
        assertThat(exports.find("acme", job.id()).orElseThrow().scope().visibleTo()).isEqualTo("user-1");

        assertThat(exports.eraseSubject("acme", "user-1")).isEqualTo(1);

        ExportScope erased = exports.find("acme", job.id()).orElseThrow().scope();
        assertThat(erased.visibleTo()).isEqualTo(Exports.ERASED);
        assertThat(erased.collection()).isEqualTo("handbook");
    }

    @Test
    void a_bulk_request_has_one_parent_and_a_child_export_per_scope() {
        List<Job> jobs = tx.execute(s -> exports.requestBulk(List.of(
                request(ExportScope.collection("a"), ExportFormat.ZIP), request(ExportScope.wholeTenant(), ExportFormat.PDF))));

        assertThat(jobs).extracting(Job::type).containsExactly(JobType.EXPORT_BULK, JobType.EXPORT, JobType.EXPORT);
        assertThat(exports.children("acme", jobs.get(0).id())).extracting(Export::id)
                .containsExactlyInAnyOrder(jobs.get(1).id(), jobs.get(2).id());
        assertThat(jdbc.queryForObject("select count(*) from jobs where parent_job_id = ?", Integer.class,
                jobs.get(0).id())).isEqualTo(2);
    }

    @Test
    void a_file_written_in_parts_reads_back_from_any_offset() throws Exception {
        UUID id = tx.execute(s -> exports.request(request(ExportScope.wholeTenant(), ExportFormat.ZIP))).id();
        byte[] bytes = new byte[10_000];
        new Random(7).nextBytes(bytes);

        ExportPartWriter writer = files.writer(id, 1024);
        writer.write(bytes, 0, 3000);
        for (int i = 3000; i < 3100; i++) writer.write(bytes[i]);
        writer.write(bytes, 3100, bytes.length - 3100);
        writer.close();

        assertThat(jdbc.queryForObject("select count(*) from export_parts where export_id = ?", Integer.class, id))
                .isEqualTo(10);
        assertThat(writer.written().size()).isEqualTo(bytes.length);
        assertThat(writer.written().sha256())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertThat(read(id, 0, bytes.length)).isEqualTo(bytes);
        assertThat(read(id, 1000, 2100)).isEqualTo(Arrays.copyOfRange(bytes, 1000, 3100));
        assertThat(read(id, 9999, 1)).isEqualTo(new byte[]{bytes[9999]});
    }

    @Test
    void a_part_the_database_refuses_fails_the_writer_instead_of_hanging_it() {
        UUID noSuchExport = UUID.randomUUID(); // export_parts.export_id references jobs: every insert fails

        ExportPartWriter writer = files.writer(noSuchExport, 1024);
        // More parts than the queue holds: the exporter must not block on a storing thread that has died.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> {
            writer.write(new byte[(ExportPartWriter.QUEUED + 5) * 1024]);
            writer.close();
        }).isInstanceOf(IOException.class).hasMessageContaining(noSuchExport.toString()));
        assertThat(parts(noSuchExport)).isZero();
    }

    @Test
    void delete_expired_removes_only_expired_files_in_batches_and_keeps_the_rows() throws Exception {
        UUID live = written();
        UUID expired1 = written();
        UUID expired2 = written();
        jdbc.update("update exports set expires_at = now() - interval '1 minute' where id in (?, ?)", expired1, expired2);

        assertThat(exports.deleteExpired(1)).isEqualTo(1);
        assertThat(exports.deleteExpired(10)).isEqualTo(1);
        assertThat(exports.deleteExpired(10)).isZero();

        assertThat(parts(expired1)).isZero();
        assertThat(parts(expired2)).isZero();
        assertThat(parts(live)).isEqualTo(2);
        assertThat(exports.purged(expired1)).isTrue();
        assertThat(exports.purged(live)).isFalse();
        assertThat(exports.find("acme", expired1)).isPresent();
    }

    private UUID written() throws Exception {
        UUID id = tx.execute(s -> exports.request(request(ExportScope.wholeTenant(), ExportFormat.JSON))).id();
        ExportPartWriter writer = files.writer(id, 1024);
        writer.write(new byte[1500]);
        writer.close();
        exports.complete(id, "export.json", writer.written(), 0);
        return id;
    }

    private int parts(UUID id) {
        return jdbc.queryForObject("select count(*) from export_parts where export_id = ?", Integer.class, id);
    }

    private byte[] read(UUID id, long offset, long length) throws Exception {
        try (InputStream in = files.reader(id, 1024, offset, length)) {
            return in.readAllBytes();
        }
    }
}
