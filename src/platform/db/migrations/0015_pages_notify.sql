-- Public pages are served from a copy in each instance's memory (src/modules/public/cache.ts). Any change to
-- pages (a write through the admin API, the publishing job, a script, psql) must reach every instance, so the
-- table itself announces it: an AFTER trigger runs pg_notify('pages_changed', TG_OP), which PostgreSQL
-- delivers to every listening connection when the writing transaction commits (not at all on rollback).
--
--  * Statement-level, not row-level: a page's path, breadcrumbs and the navigation depend on other pages, so
--    listeners drop their whole copy anyway; one NOTIFY per statement keeps a bulk import to one message.
--  * TRUNCATE is covered too (a restore or a test clean-up empties the table).

CREATE OR REPLACE FUNCTION notify_pages_changed()
RETURNS TRIGGER AS $$
BEGIN
    PERFORM pg_notify('pages_changed', TG_OP);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER notify_pages_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pages
    FOR EACH STATEMENT EXECUTE FUNCTION notify_pages_changed();

-- What the public site may show of a page's position: whether every page above it is live (published, not
-- deleted, its publication time reached), and its full path ("/services/ai-audit"). Public search filters
-- its matches with the first; a recursive CTE over the whole tree in each search cost tens of milliseconds
-- (and tipped the planner into JIT), while this walks only up from the pages that matched. plpgsql so the
-- planner does not inline it; a chain deeper than 32 (a cycle) counts as not live.
CREATE OR REPLACE FUNCTION pages_ancestors_live(start_id UUID)
RETURNS BOOLEAN AS $$
DECLARE
    current_id UUID := start_id;
    steps INTEGER := 0;
    above RECORD;
BEGIN
    WHILE current_id IS NOT NULL LOOP
        steps := steps + 1;
        IF steps > 32 THEN
            RETURN FALSE;
        END IF;
        SELECT parent_id,
               status = 'published' AND deleted_at IS NULL AND published_at IS NOT NULL
                   AND published_at <= now() AS live
          INTO above FROM pages WHERE id = current_id;
        IF NOT FOUND OR NOT above.live THEN
            RETURN FALSE;
        END IF;
        current_id := above.parent_id;
    END LOOP;
    RETURN TRUE;
END;
$$ LANGUAGE plpgsql STABLE;

CREATE OR REPLACE FUNCTION pages_path(page_id UUID)
RETURNS TEXT AS $$
DECLARE
    current_id UUID := page_id;
    steps INTEGER := 0;
    result TEXT := '';
    step RECORD;
BEGIN
    WHILE current_id IS NOT NULL AND steps < 32 LOOP
        steps := steps + 1;
        SELECT parent_id, slug INTO step FROM pages WHERE id = current_id;
        EXIT WHEN NOT FOUND;
        result := '/' || step.slug || result;
        current_id := step.parent_id;
    END LOOP;
    RETURN result;
END;
$$ LANGUAGE plpgsql STABLE;
