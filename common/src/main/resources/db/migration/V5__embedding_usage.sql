-- Embedding usage and cost, per tenant, UTC day and model version, upserted by every embedding of a job.
-- Cost is tokens × the configured price of the model (quarry.embedding.prices), 0 for in-process models;
-- it is fixed when recorded, so a later price change does not rewrite history. Budgets build on this table.
create table embedding_usage (
    tenant_id  text           not null,
    day        date           not null,
    model      text           not null,
    version    text           not null,
    tokens     bigint         not null default 0,
    segments   bigint         not null default 0,
    calls      bigint         not null default 0,
    cost_usd   numeric(20, 10) not null default 0,
    updated_at timestamptz    not null default now(),
    primary key (tenant_id, day, model, version)
);
-- Operators read a period across tenants.
create index embedding_usage_day on embedding_usage (day);
