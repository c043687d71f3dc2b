-- Money and per-token prices are numeric (exact); times are timestamptz.
-- A missing LiteLLM counterpart is NULL, never '' (the old backend stored '').

CREATE TABLE company (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    slug        text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    name        text        NOT NULL CHECK (btrim(name) <> ''),
    description text,
    logo_url    text,
    website     text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One LiteLLM provider key (openai, vertex_ai, bedrock ...) maps to exactly one company.
CREATE TABLE company_provider (
    provider   text PRIMARY KEY CHECK (provider = lower(provider) AND btrim(provider) <> ''),
    company_id uuid NOT NULL REFERENCES company (id) ON DELETE CASCADE
);
CREATE INDEX company_provider_company_idx ON company_provider (company_id);

CREATE TABLE model (
    id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name                  text        NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    company_id            uuid        REFERENCES company (id) ON DELETE SET NULL,
    -- true when an admin chose the company: sync then never reassigns it
    company_manual        boolean     NOT NULL DEFAULT false,
    description           text,
    mode                  text,
    input_cost_per_token  numeric(30, 18) CHECK (input_cost_per_token >= 0),
    output_cost_per_token numeric(30, 18) CHECK (output_cost_per_token >= 0),
    max_tokens            integer     CHECK (max_tokens >= 0),
    max_input_tokens      integer     CHECK (max_input_tokens >= 0),
    max_output_tokens     integer     CHECK (max_output_tokens >= 0),
    rpm                   bigint      CHECK (rpm >= 0),
    tpm                   bigint      CHECK (tpm >= 0),
    capabilities          text[]      NOT NULL DEFAULT '{}',
    enabled               boolean     NOT NULL DEFAULT true,
    free                  boolean     NOT NULL DEFAULT false,
    status                text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'STALE')),
    external_id           text        CHECK (external_id <> ''),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    last_synced_at        timestamptz
);
CREATE INDEX model_company_idx ON model (company_id, name);
CREATE INDEX model_created_idx ON model (created_at, id);
-- Keyset pages compare (name, id) row values: these indexes serve the public and the admin listing.
CREATE INDEX model_name_id_idx ON model (name, id);
CREATE INDEX model_visible_name_id_idx ON model (name, id) WHERE enabled AND status = 'ACTIVE';

CREATE TABLE deployment (
    id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    model_id              uuid        NOT NULL REFERENCES model (id) ON DELETE CASCADE,
    external_id           text        NOT NULL UNIQUE CHECK (btrim(external_id) <> ''),
    litellm_model         text        NOT NULL,
    provider              text,
    mode                  text,
    input_cost_per_token  numeric(30, 18) CHECK (input_cost_per_token >= 0),
    output_cost_per_token numeric(30, 18) CHECK (output_cost_per_token >= 0),
    max_tokens            integer     CHECK (max_tokens >= 0),
    max_input_tokens      integer     CHECK (max_input_tokens >= 0),
    max_output_tokens     integer     CHECK (max_output_tokens >= 0),
    rpm                   bigint      CHECK (rpm >= 0),
    tpm                   bigint      CHECK (tpm >= 0),
    capabilities          text[]      NOT NULL DEFAULT '{}',
    editable              boolean     NOT NULL DEFAULT true,
    -- litellm_params as /model/info shows them: secrets already masked or removed by LiteLLM
    params                jsonb,
    status                text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'STALE')),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    last_synced_at        timestamptz
);
CREATE INDEX deployment_model_idx ON deployment (model_id, external_id);

CREATE TABLE budget (
    id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    scope                 text        NOT NULL CHECK (scope IN ('SHARED', 'CUSTOMER', 'USER', 'TEAM')),
    external_id           text        CHECK (external_id <> ''),
    name                  text,
    max_budget            numeric(30, 12) CHECK (max_budget >= 0),
    soft_budget           numeric(30, 12) CHECK (soft_budget >= 0),
    spend                 numeric(30, 12) NOT NULL DEFAULT 0,
    duration              text        CHECK (duration ~ '^[0-9]+(s|m|h|d|w|mo|y)$'),
    reset_at              timestamptz,
    tpm_limit             bigint      CHECK (tpm_limit >= 0),
    rpm_limit             bigint      CHECK (rpm_limit >= 0),
    max_parallel_requests integer     CHECK (max_parallel_requests >= 0),
    model_budgets         jsonb       NOT NULL DEFAULT '[]',
    status                text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'STALE')),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    last_synced_at        timestamptz,
    UNIQUE (scope, external_id)
);

CREATE TABLE sync_run (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    kind            text        NOT NULL CHECK (kind IN ('MODELS', 'BUDGETS')),
    status          text        NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'ABANDONED')),
    dry_run         boolean     NOT NULL DEFAULT false,
    trigger         text        NOT NULL,
    created_count   integer     NOT NULL DEFAULT 0,
    updated_count   integer     NOT NULL DEFAULT 0,
    unchanged_count integer     NOT NULL DEFAULT 0,
    stale_count     integer     NOT NULL DEFAULT 0,
    failed_count    integer     NOT NULL DEFAULT 0,
    changes         jsonb,
    error_code      text,
    error_message   text,
    instance_id     text,
    heartbeat_at    timestamptz,
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz
);
-- At most one RUNNING run per kind, across every instance sharing the database.
CREATE UNIQUE INDEX sync_run_one_running_per_kind ON sync_run (kind) WHERE status = 'RUNNING';
CREATE INDEX sync_run_kind_started_idx ON sync_run (kind, started_at DESC, id DESC);
