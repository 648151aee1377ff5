-- A tenant's chat model, chosen at run time by its admins from the model registry (README "Language models"):
-- it wins over quarry.llm.tenant-defaults and quarry.llm.default-model, and a thread's own choice wins over it.
-- Owned by dev.quarry.llm (PgModelRegistry). Registry rows are never deleted, only disabled; a default whose
-- model was disabled is refused as an unknown model when a chat asks for it.
create table tenant_model_defaults (
    tenant_id  text        primary key,
    provider   text        not null,
    model      text        not null,
    updated_at timestamptz not null default now(),
    foreign key (provider, model) references language_models (provider, model)
);
