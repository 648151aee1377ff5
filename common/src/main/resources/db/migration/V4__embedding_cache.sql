-- Embeddings by content: a chunk whose normalized, scrubbed text was embedded before, for the same tenant
-- and embedding version, is never embedded again (re-ingesting an unchanged or slightly changed document).
-- Per tenant, so that one tenant cannot learn from ingest timing whether another holds a given text.
-- The column is untyped `vector`: versions of different dimensions coexist in one table.
create table embedding_cache (
    tenant_id         text        not null,
    embedding_version text        not null,
    text_sha256       text        not null,
    embedding         vector      not null,
    created_at        timestamptz not null default now(),
    primary key (tenant_id, embedding_version, text_sha256)
);
