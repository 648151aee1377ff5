-- GDPR erasure (Art. 17) of a data subject (documents.uploaded_by, the token's sub), run as an ERASURE job.
alter table jobs drop constraint jobs_type_known;
alter table jobs add constraint jobs_type_known
    check (type in ('INGEST', 'REINDEX', 'REINDEX_DOCUMENT', 'ERASURE'));

-- One row per erasure request: the job's input while it runs, its receipt afterwards. The subject itself is
-- kept only until the erasure finishes (then null): the receipt names the subject by its SHA-256, which
-- lets someone who knows the sub confirm it was erased without the table holding it. The counts grow in
-- the transaction of each document's deletion, so a run resumed after a crash keeps exact totals.
create table erasures (
    job_id          uuid        primary key references jobs (id) on delete cascade,
    tenant_id       text        not null,
    subject         text,
    subject_sha256  text        not null,
    documents       integer     not null default 0,
    chunks          integer     not null default 0,
    cache_entries   integer     not null default 0,
    jobs            integer     not null default 0,
    audit_actors    integer     not null default 0,
    requested_at    timestamptz not null default now(),
    finished_at     timestamptz
);
create index erasures_tenant on erasures (tenant_id, requested_at desc);
