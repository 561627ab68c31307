-- The media library (issue 5).
--
-- Additions beyond the spec, each deliberate:
--  * media_files.version: the spec's table has no optimistic-locking counter, so two people editing one item's
--    title or tags would silently overwrite each other. It moves on every real change (bump_version, like every
--    other versioned table); PATCH and DELETE /api/v1/media/:id carry the version they read.
--  * media_files.variants: the resized WebP copies a background job (queue media.variants) makes of an image,
--    as [{"width", "height", "size", "key"}] (key: the storage key). They are bookkeeping ('~variants'): writing
--    them neither moves the version (an editor's open form stays valid) nor writes a row-change audit entry.
--  * ck_media_files_variants: variants is always a JSON array.

ALTER TABLE media_files
    ADD COLUMN version INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN variants JSONB NOT NULL DEFAULT '[]',
    ADD CONSTRAINT ck_media_files_variants CHECK (jsonb_typeof(variants) = 'array');

CREATE TRIGGER bump_media_files_version
    BEFORE UPDATE ON media_files
    FOR EACH ROW EXECUTE FUNCTION bump_version('~variants');

DROP TRIGGER audit_media_files ON media_files;
CREATE TRIGGER audit_media_files
    AFTER INSERT OR UPDATE OR DELETE ON media_files
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function('~variants');
