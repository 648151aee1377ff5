-- Who uploaded each document: the token's sub. It scopes "my documents" and is the data subject of
-- access and erasure requests. Documents uploaded before this column existed have no recorded uploader.
alter table documents add column uploaded_by text;
create index documents_uploaded_by on documents (tenant_id, uploaded_by) where uploaded_by is not null;
