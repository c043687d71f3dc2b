-- Sync engine: progress state for late subscribers and what a run wrote.
ALTER TABLE sync_run
    ADD COLUMN last_event   jsonb,
    ADD COLUMN event_seq    integer NOT NULL DEFAULT 0,
    ADD COLUMN rows_written integer NOT NULL DEFAULT 0,
    ADD COLUMN change_count integer NOT NULL DEFAULT 0;

-- Sweeping abandoned runs looks for RUNNING rows with an old heartbeat.
CREATE INDEX sync_run_running_heartbeat_idx ON sync_run (heartbeat_at) WHERE status = 'RUNNING';
