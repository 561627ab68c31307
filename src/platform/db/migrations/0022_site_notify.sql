-- The public website's HTML (src/site) is kept in each instance's memory like the public JSON (migration 0015).
-- A page's HTML is made of more than the pages table: the media it shows (alt texts, sizes, the WebP variants
-- a job adds later) and the consultants it lists. Each of those tables announces a change on `site_changed`
-- when the writing transaction commits, statement-level like pages_changed (listeners drop their whole copy).
-- Settings announce themselves already (magnetiq_settings, migration 0012).

CREATE OR REPLACE FUNCTION notify_site_changed()
RETURNS TRIGGER AS $$
BEGIN
    PERFORM pg_notify('site_changed', TG_TABLE_NAME);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER notify_site_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON media_files
    FOR EACH STATEMENT EXECUTE FUNCTION notify_site_changed();

CREATE TRIGGER notify_site_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON consultants
    FOR EACH STATEMENT EXECUTE FUNCTION notify_site_changed();
