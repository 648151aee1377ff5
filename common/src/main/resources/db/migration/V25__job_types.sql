-- The job families from work that landed side by side (exports V14, erasure V17, deletions V19) each widened
-- jobs_type_known to their own list; this is the union, exactly JobType's values (JobStatusSchemaIT checks).
alter table jobs drop constraint jobs_type_known;
alter table jobs add constraint jobs_type_known check (type in
    ('INGEST', 'REINDEX', 'REINDEX_DOCUMENT', 'EXPORT', 'EXPORT_BULK', 'ERASURE', 'DELETE_DOCUMENTS'));
