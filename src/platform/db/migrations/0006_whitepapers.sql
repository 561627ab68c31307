-- Whitepapers and their downloads (the leads).
--
-- Deviations from the spec, each deliberate:
--  * Defect 5: UNIQUE(whitepaper_id, lead_email, created_at) only refused a repeat in the same microsecond.
--    ex_whitepaper_downloads_hourly refuses a download of the same whitepaper by the same e-mail (any case)
--    within an hour of the last one (download_dedupe_window is the hour after a download).
--  * Defect 7: UNIQUE(slug) becomes a partial unique index WHERE deleted_at IS NULL.
--  * Consent is never presumed: privacy_consent defaults to false (the spec said true).
--  * Columns with a default that NULL would make meaningless are NOT NULL; counts and sizes cannot be negative.

CREATE TABLE whitepapers (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    slug VARCHAR(200) NOT NULL,

    -- Content
    title JSONB NOT NULL,
    description JSONB,
    summary JSONB,

    -- Author Information
    author_name VARCHAR(200) NOT NULL,
    author_title VARCHAR(200),
    author_email VARCHAR(255),
    author_bio JSONB,

    -- Publication Details
    publication_date DATE NOT NULL,
    version VARCHAR(10) NOT NULL DEFAULT '1.0',
    page_count INTEGER,
    word_count INTEGER,

    -- File Information
    file_path VARCHAR(500) NOT NULL,
    file_size BIGINT NOT NULL,
    file_format VARCHAR(20) NOT NULL DEFAULT 'PDF',

    -- Categorization
    category VARCHAR(100),
    tags TEXT[] NOT NULL DEFAULT '{}',
    keywords TEXT[] NOT NULL DEFAULT '{}',
    difficulty_level VARCHAR(20) NOT NULL DEFAULT 'intermediate',

    -- Media
    thumbnail_url VARCHAR(500),
    cover_image_url VARCHAR(500),

    -- Status & Visibility
    status VARCHAR(20) NOT NULL DEFAULT 'draft',
    is_featured BOOLEAN NOT NULL DEFAULT false,
    requires_registration BOOLEAN NOT NULL DEFAULT true,

    -- Analytics
    view_count INTEGER NOT NULL DEFAULT 0,
    download_count INTEGER NOT NULL DEFAULT 0,
    lead_generation_count INTEGER NOT NULL DEFAULT 0,

    -- Integration
    odoo_product_id INTEGER,

    -- Audit Fields
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by UUID NOT NULL REFERENCES admin_users(id),
    updated_by UUID NOT NULL REFERENCES admin_users(id),
    deleted_at TIMESTAMPTZ,
    version_number INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT ck_whitepapers_status
        CHECK (status IN ('draft', 'published', 'archived')),
    CONSTRAINT ck_whitepapers_difficulty
        CHECK (difficulty_level IN ('beginner', 'intermediate', 'advanced')),
    CONSTRAINT ck_whitepapers_counts
        CHECK (view_count >= 0 AND download_count >= 0 AND lead_generation_count >= 0),
    CONSTRAINT ck_whitepapers_file_size CHECK (file_size >= 0),
    CONSTRAINT ck_whitepapers_page_count CHECK (page_count > 0),
    CONSTRAINT ck_whitepapers_word_count CHECK (word_count >= 0)
);

CREATE UNIQUE INDEX uq_whitepapers_slug ON whitepapers(slug) WHERE deleted_at IS NULL;
CREATE INDEX idx_whitepapers_slug ON whitepapers(slug);
CREATE INDEX idx_whitepapers_status ON whitepapers(status);
CREATE INDEX idx_whitepapers_category ON whitepapers(category);
CREATE INDEX idx_whitepapers_tags ON whitepapers USING GIN(tags);
CREATE INDEX idx_whitepapers_publication ON whitepapers(publication_date);

CREATE TABLE whitepaper_downloads (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    whitepaper_id UUID NOT NULL REFERENCES whitepapers(id) ON DELETE CASCADE,

    -- Lead Information
    lead_name VARCHAR(200) NOT NULL,
    lead_email VARCHAR(255) NOT NULL,
    lead_company VARCHAR(200),
    lead_website VARCHAR(500),
    lead_phone VARCHAR(50),

    -- Download Details
    session_id UUID,
    download_ip INET,
    user_agent TEXT,
    referrer_url VARCHAR(500),

    -- Consent
    marketing_consent BOOLEAN NOT NULL DEFAULT false,
    privacy_consent BOOLEAN NOT NULL DEFAULT false,

    -- Integration Status
    exported_to_odoo BOOLEAN NOT NULL DEFAULT false,
    odoo_lead_id INTEGER,
    exported_at TIMESTAMPTZ,

    -- Audit Fields
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT ex_whitepaper_downloads_hourly
        EXCLUDE USING gist (
            whitepaper_id WITH =,
            (lower(lead_email)) WITH =,
            download_dedupe_window(created_at) WITH &&
        )
);

CREATE INDEX idx_whitepaper_downloads_whitepaper ON whitepaper_downloads(whitepaper_id);
CREATE INDEX idx_whitepaper_downloads_email ON whitepaper_downloads(lead_email);
CREATE INDEX idx_whitepaper_downloads_session ON whitepaper_downloads(session_id);
CREATE INDEX idx_whitepaper_downloads_export ON whitepaper_downloads(exported_to_odoo);
CREATE INDEX idx_whitepaper_downloads_created ON whitepaper_downloads(created_at);
