-- Daily token and cost budgets (README "Budgets"): what each user and tenant spent per day, counted when a
-- request is accepted, and the budgets an admin raised for one day. Both are written only by the API's
-- dev.quarry.api.budgets. scope is 'tenant' (key = tenant) or 'user' (key = tenant || '/' || subject).
create table budget_usage (
    scope    text           not null check (scope in ('tenant', 'user')),
    key      text           not null,
    day      date           not null,
    tokens   bigint         not null default 0,
    cost_usd numeric(20, 10) not null default 0,
    primary key (scope, key, day)
);

create table budget_raises (
    scope      text           not null check (scope in ('tenant', 'user')),
    key        text           not null,
    day        date           not null,
    tokens     bigint         check (tokens > 0),
    cost_usd   numeric(20, 10) check (cost_usd > 0),
    raised_by  text           not null,
    raised_at  timestamptz    not null default now(),
    primary key (scope, key, day)
);
