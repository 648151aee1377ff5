-- Subscription tiers' rate limits as operators set them at run time (PUT /api/v1/admin/rate-limits/tiers/{tier}).
-- A row overrides the tier of the same name in quarry.rate-limit.tiers; the buckets themselves live in Redis.
-- version grows with every change: Bucket4j replaces a shared bucket's configuration when it sees a higher one.
create table rate_limit_tiers (
    tier              text primary key check (tier ~ '^[a-z0-9-]{1,40}$'),
    user_per_window   bigint not null check (user_per_window > 0),
    tenant_per_window bigint not null check (tenant_per_window > 0),
    version           bigint not null default 1,
    updated_at        timestamptz not null default now()
);
