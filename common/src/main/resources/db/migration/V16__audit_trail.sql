-- The audit trail: who did what to which target, with what outcome, in which trace. Append-only and
-- tamper-evident: each entry's hash covers the previous entry's hash and its own fields, so changing,
-- removing or inserting an entry anywhere but at the pruned start breaks the chain at that point.
--
-- Entries name their actor by a pseudonym (audit_actors.id), and audit_actors maps it to the token's sub.
-- Erasing a data subject deletes that mapping: the entries stay, and still verify, but no longer identify
-- anyone (GDPR Art. 17 with an immutable log).
create table audit_actors (
    id         uuid primary key default gen_random_uuid(),
    subject    text not null unique
);

create table audit_entries (
    seq        bigint primary key,
    at         timestamptz not null,
    actor_id   uuid not null,
    tenant_id  text,
    role       text not null,
    action     text not null,
    target     text,
    outcome    text not null,
    trace_id   text,
    prev_hash  bytea not null,
    hash       bytea not null
);
create index audit_entries_tenant on audit_entries (tenant_id, seq);
create index audit_entries_actor on audit_entries (actor_id, seq);
create index audit_entries_at on audit_entries (at);

-- The chain's head: one row, locked by every append. Concurrent appends therefore queue on this row and
-- form one chain, with seq gap-free and in commit order. 'anchor' is the hash the first remaining entry
-- chains to: all zeros until retention prunes the start of the chain, then the last pruned entry's hash.
create table audit_chain_head (
    id         smallint primary key check (id = 1),
    seq        bigint not null,
    hash       bytea not null,
    anchor     bytea not null
);
insert into audit_chain_head values (1, 0, '\x0000000000000000000000000000000000000000000000000000000000000000',
                                     '\x0000000000000000000000000000000000000000000000000000000000000000');

-- One canonical form of an entry, for the append and for verification alike. Times enter as epoch
-- microseconds, so no session setting (DateStyle, TimeZone) changes a hash; fields are separated by the
-- unit separator and nulls spelt as an empty field after a marker, so ('a','') and (null,'a') differ.
create function quarry_audit_hash(prev bytea, seq bigint, at timestamptz, actor uuid, tenant text, role text,
                                  action text, target text, outcome text, trace text) returns bytea
    language sql immutable parallel safe as $$
    select sha256(prev || convert_to(concat_ws(chr(31), seq::text,
        (extract(epoch from at) * 1000000)::bigint::text,
        'a' || actor::text, coalesce('t' || tenant, 'n'), 'r' || role, 'c' || action, coalesce('g' || target, 'n'),
        'o' || outcome, coalesce('i' || trace, 'n')), 'UTF8'))
$$;

create function quarry_audit_append(p_actor text, p_tenant text, p_role text, p_action text, p_target text,
                                    p_outcome text, p_trace text) returns bigint
    language plpgsql as $$
declare
    head audit_chain_head%rowtype;
    now_at timestamptz := clock_timestamp();
    next_hash bytea;
    actor uuid;
begin
    insert into audit_actors (subject) values (p_actor) on conflict (subject) do nothing;
    select id into actor from audit_actors where subject = p_actor;
    select * into head from audit_chain_head where id = 1 for update;
    next_hash := quarry_audit_hash(head.hash, head.seq + 1, now_at, actor, p_tenant, p_role, p_action, p_target,
                                   p_outcome, p_trace);
    insert into audit_entries (seq, at, actor_id, tenant_id, role, action, target, outcome, trace_id, prev_hash, hash)
    values (head.seq + 1, now_at, actor, p_tenant, p_role, p_action, p_target, p_outcome, p_trace, head.hash, next_hash);
    update audit_chain_head set seq = head.seq + 1, hash = next_hash where id = 1;
    return head.seq + 1;
end
$$;

-- UPDATE, DELETE and TRUNCATE raise an error, for the application and anyone else, except the DELETE that
-- quarry_audit_prune runs: it sets the transaction-local quarry.audit_retention flag around its own delete.
-- This stops every accidental or application-level change; it cannot stop the table's owner, who may disable
-- triggers. DATA_GOVERNANCE.md describes the hardened setup (a separate owner role), and the hash chain is
-- what exposes a change made around the trigger.
create function quarry_audit_forbid_change() returns trigger
    language plpgsql as $$
begin
    if tg_op = 'DELETE' and current_setting('quarry.audit_retention', true) = 'on' then
        return old;
    end if;
    raise exception 'audit_entries is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger audit_entries_append_only before update or delete on audit_entries
    for each row execute function quarry_audit_forbid_change();
create trigger audit_entries_no_truncate before truncate on audit_entries
    for each statement execute function quarry_audit_forbid_change();

-- Retention: deletes at most p_limit of the oldest entries older than p_before, and moves the anchor to
-- the last deleted entry's hash, so the remaining chain still verifies. Returns how many were deleted.
create function quarry_audit_prune(p_before timestamptz, p_limit integer) returns integer
    language plpgsql as $$
declare
    last_seq bigint;
    last_hash bytea;
    deleted integer;
begin
    perform 1 from audit_chain_head where id = 1 for update;
    select seq, hash into last_seq, last_hash from (
        select seq, hash from audit_entries where at < p_before order by seq limit p_limit) oldest
    order by seq desc limit 1;
    if last_seq is null then
        return 0;
    end if;
    -- Only a prefix of the chain may go: an entry older than p_before after a younger one stays.
    perform set_config('quarry.audit_retention', 'on', true);
    delete from audit_entries where seq <= last_seq;
    get diagnostics deleted = row_count;
    perform set_config('quarry.audit_retention', 'off', true);
    update audit_chain_head set anchor = last_hash where id = 1;
    return deleted;
end
$$;
