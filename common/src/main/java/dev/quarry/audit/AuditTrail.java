package dev.quarry.audit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one owner of {@code audit_entries}, {@code audit_chain_head} and {@code audit_actors} (the pseudonyms). Appends go through the database's
 * {@code quarry_audit_append} (V16), which locks the chain's head row: concurrent appends, from any process,
 * queue there and form one chain. An append inside a caller's transaction holds that lock until the caller
 * commits, so record outside long transactions. The database refuses UPDATE, DELETE and TRUNCATE on the
 * entries; only {@link #prune} deletes them (V16's {@code quarry_audit_prune}).
 */
@Repository
public class AuditTrail {
    private final JdbcClient jdbc;

    AuditTrail(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Appends an entry and returns its seq. */
    public long record(AuditRecord r) {
        return jdbc.sql("select quarry_audit_append(?, ?, ?, ?, ?, ?, ?)")
                .params(r.actor(), r.tenant(), r.role(), r.action(), r.target(), r.outcome(), r.traceId())
                .query(Long.class).single();
    }

    /** Entries matching the filter, newest first. */
    public List<AuditEntry> page(AuditFilter filter, int limit) {
        StringBuilder sql = new StringBuilder("""
                select e.seq, e.at, coalesce(a.subject, 'erased:' || e.actor_id) as actor, e.tenant_id, e.role, e.action,
                       e.target, e.outcome, e.trace_id
                from audit_entries e left join audit_actors a on a.id = e.actor_id where true""");
        List<Object> params = new ArrayList<>();
        condition(sql, params, " and e.tenant_id = ?", filter.tenant());
        condition(sql, params, " and a.subject = ?", filter.actor());
        condition(sql, params, " and e.action = ?", filter.action());
        condition(sql, params, " and e.at >= ?", filter.from() == null ? null : Timestamp.from(filter.from()));
        condition(sql, params, " and e.at < ?", filter.to() == null ? null : Timestamp.from(filter.to()));
        condition(sql, params, " and e.seq < ?", filter.beforeSeq());
        sql.append(" order by e.seq desc limit ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params).query((rs, i) -> new AuditEntry(rs.getLong("seq"),
                rs.getTimestamp("at").toInstant(), rs.getString("actor"), rs.getString("tenant_id"), rs.getString("role"),
                rs.getString("action"), rs.getString("target"), rs.getString("outcome"), rs.getString("trace_id"))).list();
    }

    private static void condition(StringBuilder sql, List<Object> params, String clause, Object value) {
        if (value == null) return;
        sql.append(clause);
        params.add(value);
    }

    /**
     * Recomputes every entry's hash and link, oldest first, and reports the first that does not verify. The
     * first remaining entry must chain to the head's anchor (zeros, or the last entry retention pruned).
     */
    public ChainVerification verify() {
        long checked = jdbc.sql("select count(*) from audit_entries").query(Long.class).single();
        List<Map<String, Object>> broken = jdbc.sql("""
                with chain as (
                    select seq, hash, prev_hash,
                           lag(seq) over (order by seq) as before_seq,
                           coalesce(lag(hash) over (order by seq), (select anchor from audit_chain_head)) as expected_prev,
                           quarry_audit_hash(prev_hash, seq, at, actor_id, tenant_id, role, action, target, outcome, trace_id)
                               as recomputed
                    from audit_entries)
                select seq, case when hash <> recomputed then 'hash'
                                 when prev_hash <> expected_prev then 'link'
                                 else 'gap' end as reason
                from chain
                where hash <> recomputed or prev_hash <> expected_prev or seq <> coalesce(before_seq + 1, seq)
                order by seq limit 1""").query().listOfRows();
        if (!broken.isEmpty()) {
            return ChainVerification.broken(checked, ((Number) broken.get(0).get("seq")).longValue(),
                    (String) broken.get(0).get("reason"));
        }
        List<Map<String, Object>> headMismatch = jdbc.sql("""
                select h.seq from audit_chain_head h
                left join audit_entries e on e.seq = h.seq
                where (e.hash is null and h.hash <> h.anchor) or e.hash <> h.hash""").query().listOfRows();
        if (!headMismatch.isEmpty()) {
            return ChainVerification.broken(checked, ((Number) headMismatch.get(0).get("seq")).longValue(), "head");
        }
        return ChainVerification.intact(checked);
    }

    /**
     * Pseudonymises a data subject: the entries they made stay in the chain (and still verify) but name
     * them only as {@code erased:<pseudonym>} from now on. Returns 1 if the subject had entries, else 0.
     */
    public int forgetActor(String subject) {
        return jdbc.sql("delete from audit_actors where subject = ?").param(subject).update();
    }

    /**
     * Deletes at most {@code limit} of the oldest entries recorded before {@code before}, as a prefix of the
     * chain, and moves the anchor so the rest still verifies. Returns how many were deleted.
     */
    public int prune(Instant before, int limit) {
        return jdbc.sql("select quarry_audit_prune(?, ?)").params(Timestamp.from(before), limit)
                .query(Integer.class).single();
    }
}
