-- Content: pages (with bilingual, weighted full-text search) and media_files.
--
-- Deviations from the spec, each deliberate:
--  * Defect 7: UNIQUE(slug) and UNIQUE(file_hash) become partial unique indexes WHERE deleted_at IS NULL, so a
--    soft-deleted page's slug, or a deleted file's content, can be used again.
--  * Columns with a default that NULL would make meaningless are NOT NULL.
--  * A page cannot be its own parent; file sizes cannot be negative; media have both dimensions
--    (positive) or neither.
--  * The spec's "ALTER TABLE pages ADD COLUMN search_vector" is folded into CREATE TABLE.

CREATE TABLE pages (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    slug VARCHAR(200) NOT NULL,

    -- Content
    title JSONB NOT NULL,
    content JSONB,
    excerpt JSONB,
    blocks JSONB,

    -- SEO
    meta_title JSONB,
    meta_description JSONB,
    meta_keywords JSONB,
    og_image VARCHAR(500),
    canonical_url VARCHAR(500),

    -- Publishing
    status VARCHAR(20) NOT NULL DEFAULT 'draft',
    published_at TIMESTAMPTZ,
    scheduled_at TIMESTAMPTZ,

    -- Hierarchy
    parent_id UUID REFERENCES pages(id),
    sort_order INTEGER NOT NULL DEFAULT 0,

    -- Full-text search (maintained by update_pages_search_vector)
    search_vector TSVECTOR,

    -- Audit Fields
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by UUID NOT NULL REFERENCES admin_users(id),
    updated_by UUID NOT NULL REFERENCES admin_users(id),
    deleted_at TIMESTAMPTZ,
    version INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT ck_pages_status
        CHECK (status IN ('draft', 'published', 'archived', 'scheduled')),
    CONSTRAINT ck_pages_not_own_parent
        CHECK (parent_id IS NULL OR parent_id <> id),
    CONSTRAINT ck_pages_scheduled_has_time
        CHECK (status <> 'scheduled' OR scheduled_at IS NOT NULL)
);

CREATE UNIQUE INDEX uq_pages_slug ON pages(slug) WHERE deleted_at IS NULL;
CREATE INDEX idx_pages_slug ON pages(slug) WHERE deleted_at IS NULL;
CREATE INDEX idx_pages_status ON pages(status) WHERE deleted_at IS NULL;
CREATE INDEX idx_pages_published ON pages(published_at) WHERE status = 'published';
CREATE INDEX idx_pages_parent ON pages(parent_id);
CREATE INDEX idx_pages_search ON pages USING GIN(search_vector);

CREATE OR REPLACE FUNCTION update_pages_search_vector()
RETURNS TRIGGER AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', COALESCE(NEW.title->>'en', '')), 'A') ||
        setweight(to_tsvector('english', COALESCE(NEW.content->>'en', '')), 'B') ||
        setweight(to_tsvector('german', COALESCE(NEW.title->>'de', '')), 'A') ||
        setweight(to_tsvector('german', COALESCE(NEW.content->>'de', '')), 'B');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER update_pages_search_vector
    BEFORE INSERT OR UPDATE ON pages
    FOR EACH ROW EXECUTE FUNCTION update_pages_search_vector();

CREATE TABLE media_files (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    filename VARCHAR(255) NOT NULL,
    original_filename VARCHAR(255) NOT NULL,
    file_path VARCHAR(500) NOT NULL,
    file_size BIGINT NOT NULL,
    mime_type VARCHAR(100) NOT NULL,
    file_hash VARCHAR(64),

    -- Media Metadata
    width INTEGER,
    height INTEGER,
    duration INTEGER,

    -- Organization
    title JSONB,
    alt_text JSONB,
    caption JSONB,
    tags TEXT[],
    folder VARCHAR(200),

    -- Usage Tracking
    download_count INTEGER NOT NULL DEFAULT 0,
    last_accessed_at TIMESTAMPTZ,

    -- Audit Fields
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    uploaded_by UUID NOT NULL REFERENCES admin_users(id),
    deleted_at TIMESTAMPTZ,

    CONSTRAINT ck_media_files_size CHECK (file_size >= 0),
    CONSTRAINT ck_media_files_dimensions
        CHECK ((width IS NULL) = (height IS NULL) AND (width IS NULL OR (width > 0 AND height > 0))),
    CONSTRAINT ck_media_files_duration CHECK (duration >= 0),
    CONSTRAINT ck_media_files_hash CHECK (file_hash ~ '^[0-9a-f]{64}$')
);

CREATE UNIQUE INDEX uq_media_files_hash ON media_files(file_hash) WHERE deleted_at IS NULL;
CREATE INDEX idx_media_files_filename ON media_files(filename);
CREATE INDEX idx_media_files_mime_type ON media_files(mime_type);
CREATE INDEX idx_media_files_folder ON media_files(folder);
CREATE INDEX idx_media_files_tags ON media_files USING GIN(tags);
CREATE INDEX idx_media_files_hash ON media_files(file_hash);
