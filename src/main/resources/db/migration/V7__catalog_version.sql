-- Catalog version (issue 12, point 3): the catalog response cache labels each stored answer with this number and
-- serves it only while the number is unchanged. Every transaction that writes a catalog table bumps it once, at
-- commit, whoever wrote (a sync apply, a mutation, manual SQL): triggers, so no write path can forget it.
--
-- Why not bump from the writing statement's trigger: the bump takes the version row's lock until commit. A sync
-- apply writing thousands of rows would hold it for its whole transaction, serialising every mutation behind it,
-- and two transactions that each wrote a catalog row and then the version row in different orders could
-- deadlock. So a statement trigger only records the transaction in catalog_write_pending (its own key, no shared
-- row), and a deferred constraint trigger on that row bumps the version, forgets the row and NOTIFYs at commit
-- time, when nothing else is left to lock: the version row is held from the bump to the commit only.
-- A rolled-back transaction takes its pending row with it and bumps nothing.
CREATE TABLE catalog_version (
    id      boolean PRIMARY KEY DEFAULT true CHECK (id),
    version bigint  NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (true, 1);

CREATE TABLE catalog_write_pending (
    txid bigint PRIMARY KEY
);

-- FOR EACH STATEMENT, with the changed rows as transition table "changed": a statement that changed nothing
-- (a no-op re-sync's UPDATE ... WHERE ... IS DISTINCT FROM) bumps nothing.
CREATE FUNCTION catalog_write_recorded() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'TRUNCATE' OR EXISTS (SELECT 1 FROM changed) THEN
        INSERT INTO catalog_write_pending (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

-- TRUNCATE triggers have no transition tables: a separate function that never looks at "changed".
CREATE FUNCTION catalog_truncate_recorded() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO catalog_write_pending (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE FUNCTION catalog_version_bump() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    bumped bigint;
BEGIN
    UPDATE catalog_version SET version = version + 1 WHERE id RETURNING version INTO bumped;
    DELETE FROM catalog_write_pending WHERE txid = NEW.txid;
    PERFORM pg_notify('catalog_version', bumped::text);
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER catalog_version_bump
    AFTER INSERT ON catalog_write_pending
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION catalog_version_bump();

-- Every table the catalog queries read (models, model, companies, company and their fields).
-- PostgreSQL allows a transition table only on a trigger for a single event: one trigger per event.
DO
$$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY ['company', 'company_provider', 'model', 'deployment'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed '
                           || 'FOR EACH STATEMENT EXECUTE FUNCTION catalog_write_recorded()', t || '_catalog_insert', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed '
                           || 'FOR EACH STATEMENT EXECUTE FUNCTION catalog_write_recorded()', t || '_catalog_update', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS changed '
                           || 'FOR EACH STATEMENT EXECUTE FUNCTION catalog_write_recorded()', t || '_catalog_delete', t);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I '
                           || 'FOR EACH STATEMENT EXECUTE FUNCTION catalog_truncate_recorded()', t || '_catalog_truncate', t);
    END LOOP;
END
$$;
