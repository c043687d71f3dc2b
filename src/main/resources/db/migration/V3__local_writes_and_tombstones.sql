-- No lost updates between the sync and the admin mutations (issue 9, point 5).
--
-- local_write_at: when an admin mutation last wrote the row, in its local transaction (which begins after
--   LiteLLM accepted the write); NULL = never written by a mutation. A sync run that started at S only
--   updates (or marks STALE, or brings back ACTIVE) rows with local_write_at IS NULL OR local_write_at < S:
--   a row written later holds values newer than what the run read from LiteLLM. Such rows are counted as
--   skipped and left to the next sync.
-- deleted_at: a mutation's delete leaves a tombstone instead of removing the row at once, so that a sync which
--   read LiteLLM before the delete cannot bring the row back. Every read path hides tombstoned rows.
--   Purging: a sync run that started at S physically deletes the tombstones with deleted_at < S, first thing in
--   its apply transaction. Those deletes committed before the run started, so LiteLLM had dropped the rows
--   before the run read it; a tombstone with deleted_at >= S is kept and hides the upstream row the run may
--   still have read (the run counts it as skipped). Dry runs purge nothing.
ALTER TABLE model
    ADD COLUMN local_write_at timestamptz,
    ADD COLUMN deleted_at     timestamptz;
ALTER TABLE deployment
    ADD COLUMN local_write_at timestamptz,
    ADD COLUMN deleted_at     timestamptz;
ALTER TABLE budget
    ADD COLUMN local_write_at timestamptz,
    ADD COLUMN deleted_at     timestamptz;

-- Tombstones are few and short-lived: the sync's purge and its "deleted since the run started" read use these.
CREATE INDEX model_tombstone_idx ON model (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX deployment_tombstone_idx ON deployment (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX budget_tombstone_idx ON budget (deleted_at) WHERE deleted_at IS NOT NULL;

-- The public listing's partial index, now without tombstones (the listing filters on deleted_at IS NULL).
DROP INDEX model_visible_name_id_idx;
CREATE INDEX model_visible_name_id_idx ON model (name, id) WHERE enabled AND status = 'ACTIVE' AND deleted_at IS NULL;

-- Rows a run left alone because an admin wrote them after the run read LiteLLM.
ALTER TABLE sync_run ADD COLUMN skipped_count integer NOT NULL DEFAULT 0;
