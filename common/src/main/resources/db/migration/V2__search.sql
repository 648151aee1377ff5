-- Hybrid search: BM25 over PostgreSQL full text, time decay, per-collection defaults, filter indexes.

-- BM25 normalises a term's frequency by the chunk's length in tokens: the number of positions in its
-- tsvector (stop words excluded, as Lucene's analyzer excludes them). A lexeme stored without positions
-- still counts once.
create function quarry_token_count(tsvector) returns integer
    language sql immutable strict parallel safe
    as $$ select coalesce(sum(coalesce(array_length(positions, 1), 1)), 0)::integer from unnest($1) $$;

-- A lexeme as a tsquery literal: quoted, with quote and backslash escaped, so that any lexeme (even one
-- holding punctuation) can be OR-ed or AND-ed into a query without going through a parser again.
create function quarry_lexeme_literal(text) returns text
    language sql immutable strict parallel safe
    as $$ select '''' || replace(replace($1, '\', '\\'), '''', '''''') || '''' $$;

-- A generated column cannot read another generated column, so the length comes from the text again.
alter table chunks add column token_len integer
    generated always as (quarry_token_count(to_tsvector('english', text))) stored;
-- Keep the tsvector inside the heap tuple (compressed if need be) rather than in TOAST: BM25 reads it for
-- every candidate, and a TOAST fetch per candidate tripled the keyword leg's time at 100,000 chunks.
alter table chunks alter column tsv set storage main;

-- Time decay works on the date the content was published, falling back to when it was uploaded.
alter table documents add column published_at timestamptz;

-- Filters run inside both legs' SQL; these keep the selective ones from scanning the tenant. Media type
-- has too few distinct values to be worth an index of its own.
create index documents_tenant_collection on documents (tenant_id, collection);
create index documents_tenant_source on documents (tenant_id, source);
create index documents_tags on documents using gin (tags);

-- Per-collection search defaults. A request's own halfLife wins; zero means no decay.
create table collection_settings (
    tenant_id  text        not null,
    collection text        not null,
    half_life  interval    check (half_life >= interval '0'),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, collection)
);

-- BM25 corpus statistics, per tenant and embedding version (the keyword leg searches the chunks of one
-- version, so their statistics must describe exactly those chunks).
create table search_term_stats (
    tenant_id         text    not null,
    embedding_version text    not null,
    lexeme            text    not null,
    doc_freq          integer not null,
    primary key (tenant_id, embedding_version, lexeme)
);
create table search_corpus_stats (
    tenant_id         text             not null,
    embedding_version text             not null,
    chunk_count       bigint           not null,
    avg_token_len     double precision not null,
    refreshed_at      timestamptz      not null default now(),
    primary key (tenant_id, embedding_version)
);

-- Append-only "statistics are stale" markers. Ingest never updates a shared row (no hot-row lock on a
-- per-tenant counter): it only inserts a marker, once per transaction and key. The refresh deletes the
-- markers it has accounted for.
create table search_stats_dirty (
    tenant_id         text        not null,
    embedding_version text        not null,
    marked_at         timestamptz not null default now()
);
create index search_stats_dirty_key on search_stats_dirty (tenant_id, embedding_version);

create function quarry_mark_search_stats_dirty() returns trigger
    language plpgsql as $$
declare
    changed_key record;
    flag text;
begin
    for changed_key in select distinct tenant_id, embedding_version from changed loop
        -- A transaction-local flag: a worker inserting chunks in many statements marks once.
        flag := 'quarry.stats_dirty_' || md5(changed_key.tenant_id || '/' || changed_key.embedding_version);
        if coalesce(current_setting(flag, true), '') = '' then
            insert into search_stats_dirty (tenant_id, embedding_version)
            values (changed_key.tenant_id, changed_key.embedding_version);
            perform set_config(flag, 'on', true);
        end if;
    end loop;
    return null;
end $$;
create trigger chunks_inserted_stats after insert on chunks
    referencing new table as changed for each statement execute function quarry_mark_search_stats_dirty();
create trigger chunks_deleted_stats after delete on chunks
    referencing old table as changed for each statement execute function quarry_mark_search_stats_dirty();

-- Recomputes one tenant's statistics for one embedding version from the chunks themselves. Single-flight
-- across every process: a caller that finds the advisory lock taken returns false at once, and the markers
-- left behind make the next check refresh again. Readers keep the previous statistics until commit.
create function quarry_refresh_search_stats(p_tenant text, p_version text) returns boolean
    language plpgsql as $$
begin
    if not pg_try_advisory_xact_lock(hashtextextended('quarry.search_stats/' || p_tenant || '/' || p_version, 0)) then
        return false;
    end if;
    -- Take chunks before the statistics tables, in the order a TRUNCATE of all of them takes its locks,
    -- so the two can never deadlock.
    lock table chunks in access share mode;
    -- Markers first: every marker deleted here belongs to a committed transaction whose chunks the
    -- statements below (each with a newer snapshot) will see. A marker committed later stays for next time.
    delete from search_stats_dirty where tenant_id = p_tenant and embedding_version = p_version;
    with fresh as materialized (
        select word as lexeme, ndoc as doc_freq
        from ts_stat(format('select tsv from chunks where tenant_id = %L and embedding_version = %L',
                            p_tenant, p_version))
    ), upserted as (
        insert into search_term_stats as s (tenant_id, embedding_version, lexeme, doc_freq)
        select p_tenant, p_version, lexeme, doc_freq from fresh
        on conflict (tenant_id, embedding_version, lexeme) do update set doc_freq = excluded.doc_freq
            where s.doc_freq <> excluded.doc_freq
    )
    delete from search_term_stats s
    where s.tenant_id = p_tenant and s.embedding_version = p_version
      and not exists (select 1 from fresh f where f.lexeme = s.lexeme);
    insert into search_corpus_stats (tenant_id, embedding_version, chunk_count, avg_token_len, refreshed_at)
    select p_tenant, p_version, count(*), coalesce(avg(token_len), 0), now()
    from chunks where tenant_id = p_tenant and embedding_version = p_version
    on conflict (tenant_id, embedding_version) do update
        set chunk_count = excluded.chunk_count, avg_token_len = excluded.avg_token_len,
            refreshed_at = excluded.refreshed_at;
    return true;
end $$;
