-- Fair share across releases, not only within one (docs/architecture.md, "The jobs table is the queue").
-- V28's share rank (a tenant's n-th waiting job ranks n plus the slots the tenant holds) resets whenever the
-- tenant holds nothing: with a limit of 1, every release found the backlog's tenant holding no slot, its
-- oldest job tied with another tenant's first, and the older job won every time. Ties now go to the tenant
-- whose last release is longest ago (never released: first), which turns them into a round robin.
create table job_release_turns (
    tenant_id        text        primary key,
    last_released_at timestamptz not null
);

create or replace view job_release_order as
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
       row_number() over (order by w.priority desc, w.tenant_rank + coalesce(h.slots, 0),
                          t.last_released_at nulls first, w.created_at, w.id) as release_rank
from waiting w
left join holding h on h.tenant_id = w.tenant_id
left join job_release_turns t on t.tenant_id = w.tenant_id;
