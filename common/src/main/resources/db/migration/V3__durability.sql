-- Jobs whose retries ran out, or that failed permanently. An operator inspects and requeues them; a
-- requeued entry stays as history (requeued_at) and the job starts a fresh attempt cycle.
create table dead_letter_jobs (
    id              uuid        primary key,
    job_id          uuid        not null references jobs (id) on delete cascade,
    tenant_id       text        not null,
    job_type        text        not null,
    payload         jsonb       not null,
    error_class     text        not null,
    message         text,
    root_cause      text,
    classification  text        not null check (classification in ('PERMANENT', 'RETRIES_EXHAUSTED')),
    attempts        integer     not null,
    first_failed_at timestamptz not null,
    last_failed_at  timestamptz not null,
    requeued_at     timestamptz,
    created_at      timestamptz not null default now()
);
-- At most one open dead letter per job.
create unique index dead_letter_jobs_open on dead_letter_jobs (job_id) where requeued_at is null;
create index dead_letter_jobs_page on dead_letter_jobs (created_at desc, id desc) where requeued_at is null;

-- A fresh attempt cycle starts at 0 attempts; the first failure of the cycle is kept for dead letters.
alter table jobs add column first_failed_at timestamptz;

-- Backpressure counts the jobs waiting per type.
create index jobs_waiting on jobs (type) where status in ('QUEUED', 'RETRY_SCHEDULED');

-- Which pipeline steps are done for a document's content and embedding version: a job re-executed after
-- a crash skips them. Intermediate text is kept so a later step can resume without redoing extraction.
create table pipeline_steps (
    document_id       uuid        not null references documents (id) on delete cascade,
    content_sha256    text        not null,
    step              text        not null,
    embedding_version text        not null,
    completed_at      timestamptz not null default now(),
    primary key (document_id, content_sha256, step, embedding_version)
);

create table document_texts (
    document_id    uuid primary key references documents (id) on delete cascade,
    content_sha256 text not null,
    text           text not null
);
