package dev.quarry.audit;

import dev.quarry.testing.CommonTestApplication;
import dev.quarry.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The trail on the real database. Tampering happens inside a transaction that is rolled back, so the shared
 * database's chain stays intact for every other test.
 */
@SpringBootTest(classes = CommonTestApplication.class)
class AuditTrailIT {

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.register(registry);
    }

    @Autowired AuditTrail trail;
    @Autowired JdbcTemplate jdbc;
    @Autowired TransactionTemplate transactions;

    private final String tenant = "audit-" + UUID.randomUUID();

    private long record(String action) {
        return trail.record(new AuditRecord("alice", tenant, "admin", action, "id=42", "succeeded", "0af7651916cd43dd8448eb211c80319c"));
    }

    @Test
    void an_entry_is_stored_with_every_field_and_listed_newest_first() {
        long first = record("POST /api/v1/documents");
        long second = record("DELETE /api/v1/documents/{id}");

        List<AuditEntry> page = trail.page(new AuditFilter(tenant, null, null, null, null, null), 10);

        assertThat(second).isEqualTo(first + 1);
        assertThat(page).extracting(AuditEntry::seq).containsExactly(second, first);
        AuditEntry newest = page.get(0);
        assertThat(newest.actor()).isEqualTo("alice");
        assertThat(newest.role()).isEqualTo("admin");
        assertThat(newest.action()).isEqualTo("DELETE /api/v1/documents/{id}");
        assertThat(newest.target()).isEqualTo("id=42");
        assertThat(newest.outcome()).isEqualTo("succeeded");
        assertThat(newest.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(trail.page(new AuditFilter(tenant, null, null, null, null, second), 10))
                .extracting(AuditEntry::seq).containsExactly(first);
        assertThat(trail.page(new AuditFilter(tenant, null, "POST /api/v1/documents", null, null, null), 10))
                .extracting(AuditEntry::seq).containsExactly(first);
    }

    @Test
    void concurrent_appends_from_many_threads_form_one_gap_free_chain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> appends = IntStream.range(0, 80)
                    .mapToObj(i -> pool.submit(() -> record("concurrent " + i))).toList();
            for (Future<Long> append : appends) append.get();
        } finally {
            pool.shutdown();
        }

        List<AuditEntry> mine = trail.page(new AuditFilter(tenant, null, null, null, null, null), 100);
        assertThat(mine).hasSize(80);
        assertThat(mine.stream().map(AuditEntry::seq).distinct()).hasSize(80);
        assertThat(trail.verify()).isEqualTo(new ChainVerification(true, trail.verify().checked(), null, null));
    }

    @Test
    void the_database_refuses_update_delete_and_truncate() {
        long seq = record("refused");

        assertThatThrownBy(() -> jdbc.update("update audit_entries set outcome = 'failed' where seq = ?", seq))
                .hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("delete from audit_entries where seq = ?", seq))
                .hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> jdbc.execute("truncate audit_entries cascade")).hasStackTraceContaining("append-only");
        assertThat(trail.page(new AuditFilter(tenant, null, null, null, null, null), 10))
                .extracting(AuditEntry::outcome).containsExactly("succeeded");
    }

    @Test
    void verification_reports_the_first_changed_entry() {
        record("before");
        long changed = record("changed");
        record("after");

        ChainVerification result = tampered(jdbc -> jdbc.update(
                "update audit_entries set role = 'operator' where seq = ?", changed));

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSeq()).isEqualTo(changed);
        assertThat(result.reason()).isEqualTo("hash");
        assertThat(trail.verify().intact()).isTrue();
    }

    @Test
    void verification_reports_a_removed_entry_as_a_broken_link_after_it() {
        record("before");
        long removed = record("removed");
        record("after");

        ChainVerification result = tampered(jdbc -> jdbc.update("delete from audit_entries where seq = ?", removed));

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSeq()).isEqualTo(removed + 1);
        assertThat(result.reason()).isEqualTo("link");
    }

    @Test
    void verification_reports_removed_newest_entries_against_the_head() {
        long newest = record("newest");

        ChainVerification result = tampered(jdbc -> jdbc.update("delete from audit_entries where seq = ?", newest));

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSeq()).isEqualTo(newest);
        assertThat(result.reason()).isEqualTo("head");
    }

    @Test
    void retention_prunes_a_prefix_and_the_rest_still_verifies() {
        ChainVerification result = transactions.execute(status -> {
            record("old");
            int pruned = trail.prune(Instant.now().plusSeconds(60), 1_000_000);
            record("new");
            assertThat(pruned).isPositive();
            assertThat(jdbc.queryForObject("select count(*) from audit_entries", Long.class)).isEqualTo(1);
            status.setRollbackOnly();
            return trail.verify();
        });

        assertThat(result).isEqualTo(new ChainVerification(true, 1, null, null));
    }

    @Test
    void forgetting_an_actor_pseudonymises_their_entries_and_keeps_the_chain_intact() {
        String subject = "subject-" + UUID.randomUUID();
        trail.record(new AuditRecord(subject, tenant, "user", "POST /api/v1/documents", null, "succeeded 202", null));

        assertThat(trail.forgetActor(subject)).isEqualTo(1);

        List<AuditEntry> entries = trail.page(new AuditFilter(tenant, null, null, null, null, null), 10);
        assertThat(entries).singleElement().satisfies(e -> assertThat(e.actor()).startsWith("erased:").doesNotContain(subject));
        assertThat(trail.page(new AuditFilter(tenant, subject, null, null, null, null), 10)).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from audit_actors where subject = ?", Integer.class, subject)).isZero();
        assertThat(trail.verify().intact()).isTrue();
        assertThat(trail.forgetActor(subject)).isZero();
    }

    /** Changes the trail around its trigger, as a table owner could, verifies, and rolls everything back. */
    private ChainVerification tampered(Consumer<JdbcTemplate> change) {
        return transactions.execute(status -> {
            jdbc.execute("alter table audit_entries disable trigger audit_entries_append_only");
            change.accept(jdbc);
            status.setRollbackOnly();
            return trail.verify();
        });
    }
}
