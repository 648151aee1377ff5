-- jobs.status and jobs.type hold only what JobStatus and JobType define. JobStatusSchemaIT compares these
-- lists with the enums, so adding a status or a job type without a migration that widens them fails a test.
alter table jobs add constraint jobs_status_known check (status in
    ('QUEUED', 'RUNNING', 'RETRY_SCHEDULED', 'SUCCEEDED', 'FAILED', 'CANCEL_REQUESTED', 'CANCELLED', 'DEAD_LETTERED'));
alter table jobs add constraint jobs_type_known check (type in ('INGEST', 'REINDEX', 'REINDEX_DOCUMENT'));
