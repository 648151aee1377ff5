-- DELETE_DOCUMENTS: a bulk deletion, or the deletion of a document too large to delete within a request.
alter table jobs drop constraint jobs_type_known;
alter table jobs add constraint jobs_type_known
    check (type in ('INGEST', 'REINDEX', 'REINDEX_DOCUMENT', 'ERASURE', 'DELETE_DOCUMENTS'));

-- The documents a DELETE_DOCUMENTS job deletes, fixed when it is accepted, and how far it got: the ids a
-- crashed run finds still in 'documents' are the ones left to do.
create table document_deletions (
    job_id        uuid        primary key references jobs (id) on delete cascade,
    tenant_id     text        not null,
    document_ids  uuid[]      not null,
    documents     integer     not null default 0,
    chunks        integer     not null default 0,
    created_at    timestamptz not null default now()
);
