-- Foundation: extensions and the functions every table's triggers use.
--
-- Deviations from spec/database-schema.md made here (ARCHITECTURE.md, "Defects in the spec"):
--  * Defect 9: the spec's audit trigger records no actor. audit_trigger_function() reads the actor, IP, user
--    agent, session and request id from transaction-local settings (set_config('magnetiq.user_id', ..., true)
--    and friends) that the application sets at the start of every write transaction.
--  * Defect 10: nothing incremented `version`. bump_version() / bump_version_number() do it on every real change,
--    so optimistic locking (UPDATE ... WHERE version = $expected) has something to compare.
--  * Secrets (password hashes, tokens, meeting passwords, sensitive settings) never enter the audit trail: the
--    trigger drops the columns named in its arguments from old/new values (the change itself is still listed).
--  * A no-op UPDATE (nothing changed) writes no audit row and does not move updated_at or version.

-- Exclusion constraints over (uuid =, range &&) need btree_gist's equality operator classes.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE OR REPLACE FUNCTION update_updated_at_column()
RETURNS TRIGGER AS $$
BEGIN
    IF NEW IS DISTINCT FROM OLD THEN
        NEW.updated_at := NOW();
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- Assigns OLD + 1 rather than adding to NEW: a writer that bumps the version itself gets the same result.
CREATE OR REPLACE FUNCTION bump_version()
RETURNS TRIGGER AS $$
BEGIN
    IF NEW IS DISTINCT FROM OLD THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- whitepapers.version is the document's edition ('1.0'); its lock counter is version_number.
CREATE OR REPLACE FUNCTION bump_version_number()
RETURNS TRIGGER AS $$
BEGIN
    IF NEW IS DISTINCT FROM OLD THEN
        NEW.version_number := OLD.version_number + 1;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- A transaction-local setting, NULL when the application did not set it.
CREATE OR REPLACE FUNCTION audit_context(name TEXT)
RETURNS TEXT AS $$
    SELECT NULLIF(current_setting('magnetiq.' || name, true), '');
$$ LANGUAGE sql STABLE;

-- Arguments: names of columns whose values are secret. Rows of system_settings flagged is_sensitive also
-- have their value and default_value withheld.
CREATE OR REPLACE FUNCTION audit_trigger_function()
RETURNS TRIGGER AS $$
DECLARE
    v_old JSONB;
    v_new JSONB;
    v_changed TEXT[];
    v_event TEXT := TG_OP;
    v_secret TEXT;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        v_old := to_jsonb(OLD) - 'search_vector';
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        v_new := to_jsonb(NEW) - 'search_vector';
    END IF;

    IF TG_OP = 'UPDATE' THEN
        SELECT COALESCE(array_agg(n.key ORDER BY n.key), '{}')
        INTO v_changed
        FROM jsonb_each(v_new) AS n
        JOIN jsonb_each(v_old) AS o ON o.key = n.key
        WHERE n.value IS DISTINCT FROM o.value
          AND n.key NOT IN ('updated_at', 'version', 'version_number');
        IF cardinality(v_changed) = 0 THEN
            RETURN NULL;
        END IF;
        IF v_old ? 'deleted_at' THEN
            IF v_old->'deleted_at' = 'null' AND v_new->'deleted_at' <> 'null' THEN
                v_event := 'SOFT_DELETE';
            ELSIF v_old->'deleted_at' <> 'null' AND v_new->'deleted_at' = 'null' THEN
                v_event := 'RESTORE';
            END IF;
        END IF;
    END IF;

    FOREACH v_secret IN ARRAY COALESCE(TG_ARGV, '{}') LOOP
        v_old := v_old - v_secret;
        v_new := v_new - v_secret;
    END LOOP;
    IF COALESCE((v_new->>'is_sensitive')::boolean, (v_old->>'is_sensitive')::boolean, false) THEN
        v_old := v_old - 'value' - 'default_value';
        v_new := v_new - 'value' - 'default_value';
    END IF;

    INSERT INTO audit_logs (
        event_type, table_name, record_id,
        user_id, user_email, session_id, ip_address, user_agent, request_id,
        old_values, new_values, changed_fields
    ) VALUES (
        v_event, TG_TABLE_NAME, (COALESCE(v_new, v_old)->>'id')::uuid,
        audit_context('user_id')::uuid, audit_context('user_email'), audit_context('session_id')::uuid,
        audit_context('ip')::inet, audit_context('user_agent'), audit_context('request_id')::uuid,
        v_old, v_new, v_changed
    );
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Defect 6 helper: when a booking ends. Adding minutes to an instant does not depend on the time zone (only
-- days and months do), so this is truly immutable and may back a generated column.
CREATE OR REPLACE FUNCTION booking_ends_at(starts_at TIMESTAMPTZ, minutes INTEGER)
RETURNS TIMESTAMPTZ AS $$
    SELECT starts_at + make_interval(mins => minutes);
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

-- Defect 5 helper: the hour after a download, in which the same person's repeat download is refused.
CREATE OR REPLACE FUNCTION download_dedupe_window(downloaded_at TIMESTAMPTZ)
RETURNS TSTZRANGE AS $$
    SELECT tstzrange(downloaded_at, downloaded_at + INTERVAL '1 hour', '[)');
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;
