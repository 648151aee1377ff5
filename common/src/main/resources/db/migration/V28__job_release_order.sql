-- Quarry's jobs table is the ordered queue; JobRunr only runs what JobReleaser released to it (enqueued_at
-- set). docs/architecture.md, "The jobs table is the queue", explains the order defined here.

-- Higher runs first, 0 to 100. Each job type has a default (JobType.defaultPriority); jobs already waiting
-- get theirs, so an upgrade does not reorder them against new ones.
alter table jobs add column priority smallint not null default 50
    constraint jobs_priority_range check (priority between 0 and 100);
update jobs set priority = case type
    when 'INGEST' then 80 when 'REINDEX' then 40 when 'REINDEX_DOCUMENT' then 40
    when 'EXPORT' then 30 when 'EXPORT_BULK' then 30 else 20 end
where status = 'QUEUED';

-- Cluster-wide limits on a job type's running jobs, set at runtime by an operator
-- (PUT /api/v1/admin/job-types/{type}/concurrency); a type without a row has the configured default.
create table job_type_limits (
    type        text        primary key,
    max_running integer     not null constraint job_type_limits_positive check (max_running > 0),
    updated_by  text        not null,
    updated_at  timestamptz not null default now()
);

-- The waiting jobs in the order the releaser takes them: priority first; within one priority, fair share
-- between tenants: a tenant's n-th waiting job of that priority ranks n plus the jobs the tenant has holding
-- a slot already (running, or released and not started), so the next free slot goes to the tenant with the
-- fewest jobs in the system, and one tenant's 5,000 jobs do not delay another's first. Created order breaks
-- ties. PgJobQueue reads the same view for queue positions. Per-type limits are applied by the releaser.
create view job_release_order as
with holding as (
    select tenant_id, count(*) as slots from jobs
    where status in ('RUNNING', 'CANCEL_REQUESTED') or (status = 'QUEUED' and enqueued_at is not null)
    group by tenant_id),
waiting as (
    select id, tenant_id, type, priority, created_at,
           row_number() over (partition by tenant_id, priority order by created_at, id) as tenant_rank
    from jobs where status = 'QUEUED' and enqueued_at is null)
select w.id, w.tenant_id, w.type, w.priority, w.created_at,
       w.tenant_rank + coalesce(h.slots, 0) as share_rank,
       row_number() over (order by w.priority desc, w.tenant_rank + coalesce(h.slots, 0), w.created_at, w.id)
           as release_rank
from waiting w left join holding h on h.tenant_id = w.tenant_id;

-- The releaser's reads on every release: the waiting jobs per tenant and priority, and the jobs that hold
-- a slot (of the window or of their type's limit; a retry waiting for its time holds its type's slot).
create index jobs_unreleased on jobs (tenant_id, priority, created_at, id)
    where status = 'QUEUED' and enqueued_at is null;
create index jobs_holding on jobs (type, tenant_id)
    where status in ('RUNNING', 'CANCEL_REQUESTED', 'RETRY_SCHEDULED') or (status = 'QUEUED' and enqueued_at is not null);
