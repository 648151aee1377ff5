-- Quarry's system of record. Every tenant-owned row carries tenant_id and every query filters by it.
-- `bin/quarry services` creates the extension as superuser; this line only makes the dependency explicit.
create extension if not exists vector;

create table documents (
    id             uuid        primary key,
    tenant_id      text        not null,
    title          text        not null,
    collection     text        not null default 'default',
    source         text,
    tags           text[]      not null default '{}',
    reliability    text        not null default 'unknown'
                   check (reliability in ('verified', 'official', 'community', 'unknown')),
    media_type     text        not null,
    filename       text,
    size_bytes     bigint      not null,
    content_sha256 text        not null,
    status         text        not null default 'PENDING'
                   check (status in ('PENDING', 'INDEXED', 'FAILED')),
    chunk_count    integer     not null default 0,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now()
);
-- Cursor pagination walks (created_at, id) newest first.
create index documents_tenant_page on documents (tenant_id, created_at desc, id desc);

-- Original bytes live in PostgreSQL so any worker on any machine can read them; a separate table keeps
-- document listings from dragging the bytes through the buffer cache.
create table document_contents (
    document_id uuid  primary key references documents (id) on delete cascade,
    bytes       bytea not null
);

create table chunks (
    id                bigserial   primary key,
    tenant_id         text        not null,
    document_id       uuid        not null references documents (id) on delete cascade,
    ordinal           integer     not null,
    text              text        not null,
    token_count       integer     not null,
    embedding         vector(384) not null,
    embedding_version text        not null,
    tsv               tsvector    generated always as (to_tsvector('english', text)) stored,
    created_at        timestamptz not null default now(),
    -- A re-run of a job can never duplicate a chunk.
    constraint chunks_unique_ordinal unique (document_id, embedding_version, ordinal)
);
create index chunks_embedding_hnsw on chunks using hnsw (embedding vector_cosine_ops);
create index chunks_tsv_gin on chunks using gin (tsv);
create index chunks_tenant on chunks (tenant_id);

-- The public job resource; its id is also the JobRunr job's id.
create table jobs (
    id              uuid        primary key,
    tenant_id       text        not null,
    type            text        not null,
    status          text        not null,
    document_id     uuid        references documents (id) on delete set null,
    current_step    text,
    progress_done   integer     not null default 0,
    progress_total  integer     not null default 0,
    attempts        integer     not null default 0,
    error           text,
    idempotency_key text,
    trace_parent    text,
    -- Null until JobRunr holds the job: the jobs row doubles as the enqueue outbox (see JobOutbox).
    enqueued_at     timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    started_at      timestamptz,
    finished_at     timestamptz
);
create index jobs_tenant_created on jobs (tenant_id, created_at desc, id desc);
create index jobs_outbox on jobs (created_at) where enqueued_at is null;

-- Append-only; the id orders a job's events and is the SSE event id.
create table job_events (
    id         bigserial   primary key,
    job_id     uuid        not null references jobs (id) on delete cascade,
    tenant_id  text        not null,
    type       text        not null,
    data       jsonb       not null default '{}',
    created_at timestamptz not null default now()
);
create index job_events_job on job_events (job_id, id);

-- IETF Idempotency-Key records, scoped per tenant.
create table idempotency_keys (
    tenant_id        text        not null,
    key              text        not null,
    fingerprint      text        not null,
    state            text        not null check (state in ('IN_FLIGHT', 'COMPLETED')),
    response_status  integer,
    response_body    text,
    response_headers jsonb,
    created_at       timestamptz not null default now(),
    expires_at       timestamptz not null,
    primary key (tenant_id, key)
);
create index idempotency_keys_expiry on idempotency_keys (expires_at);
