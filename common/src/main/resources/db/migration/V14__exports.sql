-- Export jobs (issue 9). An export's id is its job's id: the job carries status, progress and events, this
-- row what was asked for and, once done, the file's description. Bulk exports are a parent job
-- (EXPORT_BULK, no row here) whose children are ordinary exports (jobs.parent_job_id).
alter table jobs drop constraint jobs_type_known;
alter table jobs add constraint jobs_type_known check (type in
    ('INGEST', 'REINDEX', 'REINDEX_DOCUMENT', 'EXPORT', 'EXPORT_BULK'));

create table exports (
    id              uuid        primary key references jobs (id) on delete cascade,
    tenant_id       text        not null,
    format          text        not null check (format in ('MARKDOWN', 'JSON', 'ZIP', 'PDF', 'XLSX')),
    scope           jsonb       not null,
    include_vectors boolean     not null default false,
    requested_by    text,
    -- Filled when the file is complete; until then the download is refused.
    filename        text,
    content_type    text,
    size_bytes      bigint,
    sha256          text,
    documents       integer,
    -- Every part but the last holds exactly part_size bytes, so a Range request finds its first part by
    -- division instead of a scan.
    part_size       integer     not null,
    -- Set when the retention job deleted the file (its parts); the row stays as the job's record.
    purged_at       timestamptz,
    created_at      timestamptz not null default now(),
    completed_at    timestamptz,
    expires_at      timestamptz not null
);
create index exports_tenant on exports (tenant_id, created_at desc);
create index exports_expiry on exports (expires_at);

-- The file itself, in parts, so that every API and worker process can serve it (no worker's local disk) and
-- neither writing nor streaming it ever holds more than one part in memory.
create table export_parts (
    export_id uuid    not null references exports (id) on delete cascade,
    part_no   integer not null,
    bytes     bytea   not null,
    primary key (export_id, part_no)
);
-- Uncompressed out of line: a ZIP or XLSX is compressed already, and pglz on every part would cost the
-- export throughput for nothing.
alter table export_parts alter column bytes set storage external;
