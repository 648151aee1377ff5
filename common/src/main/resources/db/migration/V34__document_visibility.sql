-- Who inside a tenant may see a document (issue 13's roles): 'shared' documents are seen by every user of the
-- tenant, 'private' ones only by their uploader (uploaded_by, V8) and by tenant admins and operators. Existing
-- documents were visible to the whole tenant, so they stay shared; so does an upload that does not say.
alter table documents add column visibility text not null default 'shared'
    constraint documents_visibility_known check (visibility in ('shared', 'private'));
