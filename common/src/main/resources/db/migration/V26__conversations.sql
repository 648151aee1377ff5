-- Conversations (threads) and their messages, and CHAT: the job that answers a user's message.
create extension if not exists pg_trgm;

alter table jobs drop constraint jobs_type_known;
alter table jobs add constraint jobs_type_known check (type in
    ('INGEST', 'REINDEX', 'REINDEX_DOCUMENT', 'EXPORT', 'EXPORT_BULK', 'ERASURE', 'DELETE_DOCUMENTS', 'CHAT'));

-- A thread belongs to one user (the token's sub) inside one tenant. collections limits what its chat
-- searches (empty: every collection of the tenant); provider and model choose its language model (null:
-- the tenant's default). deleted_at is a soft delete: the thread can be restored until retention purges it.
create table conversations (
    id          uuid        primary key,
    tenant_id   text        not null,
    owner       text        not null,
    title       text        not null,
    collections text[]      not null default '{}',
    provider    text,
    model       text,
    pinned      boolean     not null default false,
    archived    boolean     not null default false,
    deleted_at  timestamptz,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
-- The keyset of the listing: newest first, by (created_at, id).
create index conversations_owner_page on conversations (tenant_id, owner, created_at desc, id desc);
-- Title search (ILIKE and similarity).
create index conversations_title_trgm on conversations using gin (title gin_trgm_ops);

-- Messages are stored whole: content is TEXT, bounded only by PostgreSQL's 1 GB per value. job_id is the
-- CHAT job a user message started, and the same job on the assistant message that answers it (one answer
-- per job: a retried job cannot store two).
create table conversation_messages (
    id              uuid        primary key,
    conversation_id uuid        not null references conversations (id) on delete cascade,
    tenant_id       text        not null,
    owner           text        not null,
    role            text        not null check (role in ('user', 'assistant', 'system', 'tool')),
    content         text        not null,
    metadata        jsonb       not null default '{}',
    job_id          uuid,
    created_at      timestamptz not null default now(),
    -- Full-text search reads the first 100,000 characters: a tsvector holds at most 1 MB, and a 5 MB
    -- message must still be storable.
    search_vector   tsvector generated always as (to_tsvector('english', left(content, 100000))) stored
);
create index conversation_messages_thread on conversation_messages (conversation_id, created_at, id);
create index conversation_messages_owner on conversation_messages (tenant_id, owner, created_at desc);
create unique index conversation_messages_one_per_job on conversation_messages (job_id, role) where job_id is not null;
create index conversation_messages_metadata on conversation_messages using gin (metadata jsonb_path_ops);
create index conversation_messages_fts on conversation_messages using gin (search_vector);
-- Trigram (typo-tolerant) search over the first 10,000 characters; queries use the same expression.
create index conversation_messages_trgm on conversation_messages using gin ((left(content, 10000)) gin_trgm_ops);
