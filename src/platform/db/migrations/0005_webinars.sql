-- Webinars: topics, speakers, sessions and registrations.
--
-- Deviations from the spec, each deliberate:
--  * Defect 7: UNIQUE(slug) of webinar_sessions becomes a partial unique index WHERE deleted_at IS NULL;
--    UNIQUE(session_id, email) of registrations compares e-mails case-insensitively among live rows.
--  * Consent is never presumed: webinar_registrations.privacy_consent defaults to false (the spec said true),
--    so a registration records consent only when the person gave it.
--  * Columns with a default that NULL would make meaningless are NOT NULL; durations, capacities, prices and
--    counters cannot be negative; registration closes after it opens.

CREATE TABLE webinar_topics (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),

    -- Content
    title JSONB NOT NULL,
    description JSONB,
    learning_objectives JSONB,
    prerequisites JSONB,
    target_audience JSONB,

    -- Configuration
    default_duration INTEGER NOT NULL DEFAULT 60,
    default_price DECIMAL(10,2) NOT NULL DEFAULT 0.00,
    default_capacity INTEGER,

    -- Categorization
    category VARCHAR(100),
    tags TEXT[] NOT NULL DEFAULT '{}',
    difficulty_level VARCHAR(20) NOT NULL DEFAULT 'intermediate',

    -- Media
    thumbnail_url VARCHAR(500),
    promotional_image_url VARCHAR(500),

    -- Integration
    odoo_product_id INTEGER,

    -- Audit Fields
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by UUID NOT NULL REFERENCES admin_users(id),
    updated_by UUID NOT NULL REFERENCES admin_users(id),
    deleted_at TIMESTAMPTZ,

    CONSTRAINT ck_webinar_topics_difficulty
        CHECK (difficulty_level IN ('beginner', 'intermediate', 'advanced')),
    CONSTRAINT ck_webinar_topics_duration CHECK (default_duration > 0),
    CONSTRAINT ck_webinar_topics_price CHECK (default_price >= 0),
    CONSTRAINT ck_webinar_topics_capacity CHECK (default_capacity > 0)
);

CREATE INDEX idx_webinar_topics_category ON webinar_topics(category);
CREATE INDEX idx_webinar_topics_tags ON webinar_topics USING GIN(tags);

CREATE TABLE webinar_speakers (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),

    -- Personal Information
    first_name VARCHAR(100) NOT NULL,
    last_name VARCHAR(100) NOT NULL,
    title VARCHAR(200),
    email VARCHAR(255) NOT NULL,
    phone VARCHAR(50),

    -- Professional Information
    biography JSONB,
    company VARCHAR(200),
    position VARCHAR(200),
    expertise TEXT[] NOT NULL DEFAULT '{}',

    -- Media
    photo_url VARCHAR(500),
    linkedin_url VARCHAR(500),
    website_url VARCHAR(500),

    -- Relationship to Consultants
    consultant_id UUID REFERENCES consultants(id),

    -- Audit Fields
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by UUID NOT NULL REFERENCES admin_users(id),
    updated_by UUID NOT NULL REFERENCES admin_users(id),
    deleted_at TIMESTAMPTZ
);

CREATE INDEX idx_webinar_speakers_email ON webinar_speakers(email);
CREATE INDEX idx_webinar_speakers_consultant ON webinar_speakers(consultant_id);

CREATE TABLE webinar_sessions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    slug VARCHAR(200) NOT NULL,

    -- Relationships
    topic_id UUID NOT NULL REFERENCES webinar_topics(id),
    speaker_id UUID NOT NULL REFERENCES webinar_speakers(id),

    -- Session Details
    title JSONB,
    description JSONB,
    datetime TIMESTAMPTZ NOT NULL,
    duration INTEGER NOT NULL,
    timezone VARCHAR(50) NOT NULL DEFAULT 'Europe/Berlin',

    -- Pricing & Capacity
    price DECIMAL(10,2) NOT NULL DEFAULT 0.00,
    currency VARCHAR(3) NOT NULL DEFAULT 'EUR',
    capacity INTEGER,

    -- Platform Integration
    meeting_url VARCHAR(500),
    meeting_password VARCHAR(100),
    recording_url VARCHAR(500),

    -- Content
    materials_url VARCHAR(500),
    slides_url VARCHAR(500),
    certificate_template VARCHAR(500),

    -- Status
    status VARCHAR(20) NOT NULL DEFAULT 'draft',
    registration_opens_at TIMESTAMPTZ,
    registration_closes_at TIMESTAMPTZ,

    -- Analytics
    registration_count INTEGER NOT NULL DEFAULT 0,
    attendance_count INTEGER NOT NULL DEFAULT 0,
    completion_rate DECIMAL(5,2),
    average_rating DECIMAL(3,2),

    -- Integration
    odoo_event_id INTEGER,
    google_calendar_event_id VARCHAR(255),

    -- Audit Fields
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by UUID NOT NULL REFERENCES admin_users(id),
    updated_by UUID NOT NULL REFERENCES admin_users(id),
    deleted_at TIMESTAMPTZ,
    version INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT ck_webinar_sessions_status
        CHECK (status IN ('draft', 'published', 'live', 'completed', 'cancelled')),
    CONSTRAINT ck_webinar_sessions_duration CHECK (duration > 0),
    CONSTRAINT ck_webinar_sessions_price CHECK (price >= 0),
    CONSTRAINT ck_webinar_sessions_currency CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT ck_webinar_sessions_capacity CHECK (capacity > 0),
    CONSTRAINT ck_webinar_sessions_counts CHECK (registration_count >= 0 AND attendance_count >= 0),
    CONSTRAINT ck_webinar_sessions_completion_rate CHECK (completion_rate BETWEEN 0 AND 100),
    CONSTRAINT ck_webinar_sessions_average_rating CHECK (average_rating BETWEEN 1 AND 5),
    CONSTRAINT ck_webinar_sessions_registration_window
        CHECK (registration_closes_at IS NULL OR registration_opens_at IS NULL
               OR registration_closes_at > registration_opens_at)
);

CREATE UNIQUE INDEX uq_webinar_sessions_slug ON webinar_sessions(slug) WHERE deleted_at IS NULL;
CREATE INDEX idx_webinar_sessions_slug ON webinar_sessions(slug);
CREATE INDEX idx_webinar_sessions_topic ON webinar_sessions(topic_id);
CREATE INDEX idx_webinar_sessions_speaker ON webinar_sessions(speaker_id);
CREATE INDEX idx_webinar_sessions_datetime ON webinar_sessions(datetime);
CREATE INDEX idx_webinar_sessions_status ON webinar_sessions(status);

CREATE TABLE webinar_registrations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id UUID NOT NULL REFERENCES webinar_sessions(id) ON DELETE CASCADE,

    -- Attendee Information
    first_name VARCHAR(100) NOT NULL,
    last_name VARCHAR(100) NOT NULL,
    email VARCHAR(255) NOT NULL,
    phone VARCHAR(50),
    company VARCHAR(200),
    position VARCHAR(200),
    website VARCHAR(500),

    -- Registration Details
    status VARCHAR(20) NOT NULL DEFAULT 'confirmed',
    registration_source VARCHAR(50) NOT NULL DEFAULT 'website',
    special_requirements TEXT,

    -- Consent & Legal
    terms_accepted BOOLEAN NOT NULL DEFAULT false,
    marketing_consent BOOLEAN NOT NULL DEFAULT false,
    privacy_consent BOOLEAN NOT NULL DEFAULT false,

    -- Payment (for paid webinars)
    payment_status VARCHAR(20) NOT NULL DEFAULT 'not_required',
    payment_amount DECIMAL(10,2),
    payment_method VARCHAR(50),
    payment_reference VARCHAR(100),

    -- Attendance Tracking
    joined_at TIMESTAMPTZ,
    left_at TIMESTAMPTZ,
    attendance_duration INTEGER,

    -- Engagement
    questions_asked INTEGER NOT NULL DEFAULT 0,
    chat_messages INTEGER NOT NULL DEFAULT 0,
    rating INTEGER,
    feedback TEXT,

    -- Integration
    odoo_registration_id INTEGER,

    -- Audit Fields
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    deleted_at TIMESTAMPTZ,

    CONSTRAINT ck_webinar_registrations_status
        CHECK (status IN ('confirmed', 'cancelled', 'attended', 'no_show')),
    CONSTRAINT ck_webinar_registrations_payment
        CHECK (payment_status IN ('not_required', 'pending', 'completed', 'failed', 'refunded')),
    CONSTRAINT ck_webinar_registrations_rating
        CHECK (rating BETWEEN 1 AND 5),
    CONSTRAINT ck_webinar_registrations_payment_amount CHECK (payment_amount >= 0),
    CONSTRAINT ck_webinar_registrations_engagement
        CHECK (questions_asked >= 0 AND chat_messages >= 0 AND attendance_duration >= 0),
    CONSTRAINT ck_webinar_registrations_attendance CHECK (left_at IS NULL OR joined_at IS NULL OR left_at >= joined_at)
);

CREATE UNIQUE INDEX uq_webinar_registrations_session_email
    ON webinar_registrations (session_id, lower(email)) WHERE deleted_at IS NULL;
CREATE INDEX idx_webinar_registrations_session ON webinar_registrations(session_id);
CREATE INDEX idx_webinar_registrations_email ON webinar_registrations(email);
CREATE INDEX idx_webinar_registrations_status ON webinar_registrations(status);
