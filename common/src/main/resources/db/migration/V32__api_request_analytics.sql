-- Analytics: one row per API request (written in batches by the API's request tracking), and the daily
-- aggregates a recurring job builds from them and from the conversations.

-- route is the matched route template (/api/v1/documents/{id}), never the raw path with its ids;
-- tenant_id and subject are null when the request carried no accepted token. subject is the token's sub,
-- as documents.uploaded_by and conversations.owner hold it: erasure deletes a subject's rows, retention
-- deletes rows older than quarry.retention.api-requests.
create table api_requests (
    id              bigint      generated always as identity primary key,
    at              timestamptz not null,
    tenant_id       text,
    subject         text,
    method          text        not null,
    route           text        not null,
    status          smallint    not null,
    duration_micros integer     not null
);
create index api_requests_at on api_requests (at);
create index api_requests_tenant_at on api_requests (tenant_id, at);
create index api_requests_subject on api_requests (tenant_id, subject);

-- One row per UTC day and tenant ('' for requests without a tenant). Rebuilt whole for a day by each run
-- of the aggregation (delete and insert in one transaction), so a re-run for a day gives the same rows.
-- No user is named here: active_users is a count.
create table analytics_daily (
    day                   date             not null,
    tenant_id             text             not null,
    requests              bigint           not null,
    client_errors         bigint           not null,
    server_errors         bigint           not null,
    p50_ms                double precision,
    p95_ms                double precision,
    active_users          bigint           not null,
    conversations_created bigint           not null,
    messages              bigint           not null,
    input_tokens          bigint           not null,
    output_tokens         bigint           not null,
    cost_usd              double precision not null,
    built_at              timestamptz      not null default now(),
    primary key (day, tenant_id)
);
