package dev.quarry.search;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;

/**
 * The keyword leg: Okapi BM25 over PostgreSQL full text (the english configuration), in one statement.
 * ts_rank has no inverse document frequency, so the idf and average length come from the per-tenant
 * statistics that {@link SearchStatistics} keeps fresh; a lexeme missing from stale statistics is counted
 * on the spot through the GIN index, and missing corpus statistics are computed from the chunks.
 *
 * <p>Candidates: scoring every chunk that holds any query word is exact but, at 100,000 chunks, a query
 * made of common words matches most of the corpus. As Elasticsearch's common-terms query did, the rarest
 * words choose the candidates and every word scores them: the words are taken rarest first while their
 * document frequencies add up to at most {@code keywordBudget} chunks (at least one word). When even the
 * rarest word is more common than that, the candidates must hold the rarest words together, as many as it
 * takes for the estimated intersection to fit the budget. On a corpus as small as Cranfield (1,400
 * chunks) every query stays exact. A hard cap ({@code keywordCandidateLimit}) bounds the worst case.
 * Required words and phrases ({@code +}), when present, choose the candidates instead; exclusions drop
 * them. A query word counts as often as the query repeats it (BM25's query term frequency, as Lucene's
 * query parser does): long pasted questions repeat what they are about. A chunk holding a quoted phrase
 * scores {@code 1 + phraseBoost × (share of the quoted phrases it holds)} times its BM25.
 */
@Repository
public class PgKeywordLeg {
    private static final String SQL = """
            with stats as materialized (
                select coalesce((select cs.chunk_count::float8 from search_corpus_stats cs
                                 where cs.tenant_id = :tenant and cs.embedding_version = :version
                                   and cs.chunk_count > 0),
                                (select count(*)::float8 from chunks
                                 where tenant_id = :tenant and embedding_version = :version)) as n,
                       coalesce((select cs.avg_token_len from search_corpus_stats cs
                                 where cs.tenant_id = :tenant and cs.embedding_version = :version
                                   and cs.chunk_count > 0),
                                (select avg(token_len)::float8 from chunks
                                 where tenant_id = :tenant and embedding_version = :version)) as avgdl
            ), terms as materialized (
                -- Correlated lookups, one primary-key probe per query word: a join would hash the
                -- tenant's whole vocabulary.
                select q.lexeme, coalesce(array_length(q.positions, 1), 1)::float8 as qtf,
                       coalesce((select ts.doc_freq from search_term_stats ts
                                 where ts.tenant_id = :tenant and ts.embedding_version = :version
                                   and ts.lexeme = q.lexeme),
                                (select count(*) from chunks c
                                 where c.tenant_id = :tenant and c.embedding_version = :version
                                   and c.tsv @@ quarry_lexeme_literal(q.lexeme)::tsquery))::float8 as df
                from unnest(to_tsvector('english', :positive)) as q
            ), ranked as (
                select t.lexeme, t.df,
                       t.qtf * ln(1 + (greatest(s.n, t.df) - t.df + 0.5) / (t.df + 0.5)) as weight,
                       sum(t.df) over w as cum_df,
                       s.n * exp(sum(ln(least(t.df / greatest(s.n, 1), 1))) over w) as and_estimate,
                       row_number() over w as rn
                from terms t, stats s
                where t.df > 0
                window w as (order by t.df, t.lexeme)
            ), cut as (
                select coalesce(min(rn) filter (where and_estimate <= :budget), max(rn)) as and_terms from ranked
            ), plan as (
                select array_agg(r.lexeme order by r.lexeme) as lexemes,
                       array_agg(r.weight order by r.lexeme) as weights,
                       case when min(r.df) <= :budget
                            then string_agg(quarry_lexeme_literal(r.lexeme), ' | ')
                                     filter (where r.rn = 1 or r.cum_df <= :budget)
                            else string_agg(quarry_lexeme_literal(r.lexeme), ' & ')
                                     filter (where r.rn <= cut.and_terms)
                       end as selective
                from ranked r, cut
            ), required as (
                select string_agg('(' || p::text || ')', ' & ')::tsquery as query
                from unnest(cast(:required as text[])) as phrase, phraseto_tsquery('english', phrase) as p
                where numnode(p) > 0
            ), boosted as (
                select array_agg(p) as queries
                from unnest(cast(:boosted as text[])) as phrase, phraseto_tsquery('english', phrase) as p
                where numnode(p) > 0
            ), excluded as (
                select string_agg('(' || p::text || ')', ' | ')::tsquery as query
                from unnest(cast(:negations as text[])) as negation, phraseto_tsquery('english', negation) as p
                where numnode(p) > 0
            ), candidates as (
                select c.id, c.document_id, c.tsv, c.token_len, d.reliability, d.collection,
                       coalesce(d.published_at, d.created_at) as dated
                from chunks c
                     join documents d on d.id = c.document_id and d.tenant_id = c.tenant_id
                where c.tenant_id = :tenant and c.embedding_version = :version
                  and c.tsv @@ coalesce((select query from required), (select selective::tsquery from plan))
                  and not coalesce(c.tsv @@ (select query from excluded), false) %s
                limit :candidateLimit
            ), top as (
                select cand.id as chunk_id, cand.document_id, cand.reliability, cand.collection, cand.dated,
                       coalesce((select sum(p.weights[array_position(p.lexemes, u.lexeme)]
                                            * array_length(u.positions, 1) * (:k1 + 1)
                                            / (array_length(u.positions, 1)
                                               + :k1 * (1 - :b + :b * cand.token_len / greatest(s.avgdl, 1))))
                                 from unnest(ts_filter(setweight(cand.tsv, 'A', p.lexemes), '{a}')) as u), 0)
                       * (1 + coalesce(:phraseBoost * (select count(*) filter (where cand.tsv @@ bq)::float8 / nullif(count(*), 0)
                                                       from unnest(bo.queries) as bq), 0)) as score
                from candidates cand, plan p, stats s, boosted bo
                order by score desc, chunk_id
                limit :candidates
            )
            -- Selecting from the limited CTE rather than ending the statement with its ORDER BY ... LIMIT:
            -- measured 3 to 8 times faster at 100,000 chunks, for reasons EXPLAIN ANALYZE does not show.
            select * from top order by score desc, chunk_id""";

    private final JdbcClient jdbc;
    private final SearchProperties properties;

    PgKeywordLeg(JdbcClient jdbc, SearchProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** The best {@code candidates} chunks by BM25, best first; never more than the tenant's own. */
    List<LegHit> search(String tenant, String version, KeywordQuery query, SearchFilters filters, int candidates) {
        var statement = jdbc.sql(SQL.formatted(filters.sql()))
                .param("tenant", tenant)
                .param("version", version)
                .param("positive", query.positive())
                .param("required", query.required().toArray(String[]::new))
                .param("boosted", query.boosted().toArray(String[]::new))
                .param("phraseBoost", properties.phraseBoost())
                .param("negations", query.negations().toArray(String[]::new))
                .param("budget", properties.keywordBudget())
                .param("candidateLimit", properties.keywordCandidateLimit())
                .param("k1", properties.bm25K1())
                .param("b", properties.bm25B())
                .param("candidates", candidates);
        return filters.bind(statement).query(LegRows::map).list();
    }
}
