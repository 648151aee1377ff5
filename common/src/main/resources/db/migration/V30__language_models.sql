-- The model registry (README "Language models"): which chat models of which provider may be used, with their
-- configuration (non-secret parameters: temperature, max tokens...; keys come only from the environment),
-- and live performance figures the system keeps itself after every completion (dev.quarry.llm.ModelStats).
-- Owned by dev.quarry.llm (PgModelRegistry). A disabled model is refused as an unknown one.
create table language_models (
    provider           text        not null check (provider ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
    model              text        not null check (length(model) between 1 and 200),
    config             jsonb       not null default '{}'::jsonb check (jsonb_typeof(config) = 'object'),
    enabled            boolean     not null default true,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    -- Live stats: totals since registration, and the latencies (ms) of the last completions, newest last,
    -- from which the percentiles are read (a bounded window, so they follow the model's current behaviour).
    calls              bigint      not null default 0,
    failures           bigint      not null default 0,
    input_tokens       bigint      not null default 0,
    output_tokens      bigint      not null default 0,
    recent_latency_ms  integer[]   not null default '{}',
    last_used_at       timestamptz,
    last_error         text,
    primary key (provider, model)
);

-- The models the price table knows, so a fresh install can use any of them once its provider has a key.
insert into language_models (provider, model) values
    ('openai', 'gpt-4o-mini'), ('openai', 'gpt-4o'), ('openai', 'gpt-4.1-mini'), ('openai', 'gpt-4.1'),
    ('anthropic', 'claude-3-5-haiku-latest'), ('anthropic', 'claude-sonnet-4-0'),
    ('gemini', 'gemini-2.0-flash'), ('gemini', 'gemini-2.5-flash'), ('gemini', 'gemini-2.5-pro');
