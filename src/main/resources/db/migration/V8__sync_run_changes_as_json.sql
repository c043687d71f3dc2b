-- sync_run.changes is written once, at the end of a run's apply transaction (up to hub.sync.max-changes entries:
-- about 2 MB of JSON for 2,000 creations), and only ever read back whole. As jsonb, PostgreSQL parsed that text
-- into its binary form inside the transaction, about 40 ms before every large sync could commit; json only checks
-- that the text is JSON and keeps it as written.
ALTER TABLE sync_run ALTER COLUMN changes TYPE json USING changes::json;

-- Compressing those 2 MB with lz4 takes about 7 ms, with the default pglz 15-25 ms (both to about 210 kB). A server
-- built without lz4 keeps pglz.
DO
$$
BEGIN
    ALTER TABLE sync_run ALTER COLUMN changes SET COMPRESSION lz4;
EXCEPTION
    WHEN feature_not_supported THEN
        RAISE NOTICE 'lz4 is not available on this server: sync_run.changes keeps the default compression';
END
$$;
