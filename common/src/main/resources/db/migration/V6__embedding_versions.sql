-- Embedding versions: every chunk's vector belongs to one version (model@revision). Versions of different
-- dimensions share the column; each version has its own HNSW index, a partial index over the column cast to
-- its dimensions (pgvector's documented way to index vectors of mixed dimensions in one column).

drop index chunks_embedding_hnsw;
alter table chunks alter column embedding type vector;

-- The versions that have an index. A version is registered (and its index built) before its first vector is
-- stored; the index's expression then also rejects a vector of the wrong dimensions for its version.
create table embedding_versions (
    tag        text        primary key,
    dimensions integer     not null check (dimensions between 1 and 2000),
    index_name text        not null unique,
    created_at timestamptz not null default now()
);

create function quarry_embedding_index_name(p_tag text) returns text
    language sql immutable strict parallel safe
    as $$ select 'chunks_hnsw_' || left(regexp_replace(lower(p_tag), '[^a-z0-9]+', '_', 'g'), 40)
                 || '_' || left(md5(p_tag), 8) $$;

-- Idempotent. The index is built only when missing, so registering a known version takes no lock on chunks;
-- a new version's index is built while no row has that version yet (one scan of the table, no graph).
create function quarry_register_embedding_version(p_tag text, p_dimensions integer) returns void
    language plpgsql as $$
declare
    known integer;
    index_name text := quarry_embedding_index_name(p_tag);
begin
    perform pg_advisory_xact_lock(hashtextextended('quarry.embedding_version/' || p_tag, 0));
    select dimensions into known from embedding_versions where tag = p_tag;
    if known is not null and known <> p_dimensions then
        raise exception 'embedding version % has % dimensions, not %', p_tag, known, p_dimensions
            using errcode = '22023';
    end if;
    if known is null then
        insert into embedding_versions (tag, dimensions, index_name) values (p_tag, p_dimensions, index_name);
    end if;
    -- Looked up on this chunks table, not by name along the search path.
    if not exists (select 1 from pg_index x join pg_class i on i.oid = x.indexrelid
                   where x.indrelid = 'chunks'::regclass and i.relname = index_name) then
        execute format('create index %I on chunks using hnsw ((embedding::vector(%s)) vector_cosine_ops) '
                       'where embedding_version = %L', index_name, p_dimensions, p_tag);
    end if;
end $$;

-- The version that serves each tenant's searches; a tenant without a row is served the configured version.
create table tenant_embedding_versions (
    tenant_id      text        primary key,
    active_version text        not null references embedding_versions (tag),
    activated_at   timestamptz not null default now()
);

-- A reindex of one tenant's chunks into another version; at most one runs per tenant.
create table reindexes (
    job_id         uuid        primary key references jobs (id) on delete cascade,
    tenant_id      text        not null,
    source_version text        not null,
    target_version text        not null,
    created_at     timestamptz not null default now(),
    finished_at    timestamptz
);
create unique index reindexes_one_running on reindexes (tenant_id) where finished_at is null;

-- A reindex's per-document jobs point at it; their document is jobs.document_id.
alter table jobs add column parent_job_id uuid references jobs (id) on delete cascade;
create index jobs_parent on jobs (parent_job_id) where parent_job_id is not null;

-- Drops a version's index and registration once no chunk of any tenant uses it any more.
create function quarry_unregister_embedding_version(p_tag text) returns boolean
    language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtextextended('quarry.embedding_version/' || p_tag, 0));
    if exists (select 1 from chunks where embedding_version = p_tag)
       or exists (select 1 from tenant_embedding_versions where active_version = p_tag)
       or exists (select 1 from reindexes where target_version = p_tag and finished_at is null) then
        return false;
    end if;
    execute format('drop index if exists %I', quarry_embedding_index_name(p_tag));
    delete from embedding_versions where tag = p_tag;
    return true;
end $$;

-- Chunks written before this migration keep their version and get its index. The versions are read into
-- arrays first: an index cannot be built while a loop's cursor over the table is open.
do $$
declare
    tags text[];
    dims integer[];
begin
    select array_agg(embedding_version order by embedding_version), array_agg(d order by embedding_version)
    into tags, dims
    from (select embedding_version, max(vector_dims(embedding)) as d from chunks group by embedding_version) v;
    for i in 1 .. coalesce(array_length(tags, 1), 0) loop
        perform quarry_register_embedding_version(tags[i], dims[i]);
    end loop;
    perform quarry_register_embedding_version('all-minilm-l6-v2-q@1', 384);
end $$;

-- A reindex whose job ended without closing its row (cancelled while queued, dead-lettered) no longer holds
-- its tenant.
create function quarry_close_ended_reindexes(p_tenant text) returns void
    language sql as $$
    update reindexes r set finished_at = now() from jobs j
    where j.id = r.job_id and r.tenant_id = p_tenant and r.finished_at is null
      and j.status in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'DEAD_LETTERED') $$;
