-- Batch-embedding jobs (issue 11): a client's texts embedded by an EMBED_BATCH job, the vectors downloaded as a
-- JSONL file. A batch's id is its job's id, like an export's: the job carries status, progress and events.
alter table jobs drop constraint jobs_type_known;
alter table jobs add constraint jobs_type_known check (type in
    ('INGEST', 'REINDEX', 'REINDEX_DOCUMENT', 'EXPORT', 'EXPORT_BULK', 'ERASURE', 'DELETE_DOCUMENTS', 'CHAT',
     'EMBED_BATCH'));

-- export_parts becomes the store of any job's result file: an export's (as before) or an embedding batch's
-- results. Both ids are job ids, so the parts now hang off the job, and go with it as they went with the export
-- (whose row itself only ever went with its job).
alter table export_parts drop constraint export_parts_export_id_fkey;
alter table export_parts add constraint export_parts_job_fkey
    foreign key (export_id) references jobs (id) on delete cascade;

create table embedding_batches (
    id                uuid        primary key references jobs (id) on delete cascade,
    tenant_id         text        not null,
    -- The tenant's active version when the batch was accepted: the vectors are comparable with its chunks.
    embedding_version text        not null,
    requested_by      text,
    -- The caller's [{"id", "text"}], as accepted; dropped when the results are written or purged (the texts
    -- are the caller's data, kept only as long as the job needs them).
    items             jsonb,
    item_count        integer     not null check (item_count > 0),
    tokens            bigint,
    -- The results file in export_parts, described once complete; until then the download is refused.
    size_bytes        bigint,
    sha256            text,
    part_size         integer     not null,
    purged_at         timestamptz,
    created_at        timestamptz not null default now(),
    completed_at      timestamptz,
    expires_at        timestamptz not null
);
create index embedding_batches_expiry on embedding_batches (expires_at) where purged_at is null;
