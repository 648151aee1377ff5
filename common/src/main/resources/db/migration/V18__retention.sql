-- Retention policies: per tenant (collection '') and, for documents, per collection. A null period inherits:
-- a collection's from its tenant's, a tenant's from the defaults (quarry.retention.*). Audit entries and
-- export files have one period for the whole installation: the audit trail is one hash chain, which can
-- only lose a prefix.
create table retention_policies (
    tenant_id     text        not null,
    collection    text        not null default '',
    documents     interval,
    jobs          interval,
    dead_letters  interval,
    updated_at    timestamptz not null default now(),
    primary key (tenant_id, collection),
    check (documents is null or documents > interval '0'),
    check (jobs is null or jobs > interval '0'),
    check (dead_letters is null or dead_letters > interval '0')
);

-- Retention finds expired rows by age; these keep its batches from scanning whole tables.
create index documents_updated on documents (updated_at);
create index jobs_finished on jobs (finished_at) where finished_at is not null;
create index dead_letter_jobs_created on dead_letter_jobs (created_at);
