-- Business entities: consultants and bookings.
--
-- Deviations from the spec, each deliberate:
--  * Defect 6: nothing stopped two confirmed bookings of one consultant from overlapping. bookings gains
--    ends_at, generated from datetime + duration (booking_ends_at is immutable: minutes on an instant do not
--    depend on the time zone), and the exclusion constraint ex_bookings_no_overlap refuses any confirmed,
--    not-deleted booking whose [datetime, ends_at) overlaps another of the same consultant. Back-to-back is fine.
--  * Defect 7: consultants' UNIQUE(email) becomes a partial unique index on lower(email) WHERE deleted_at IS NULL.
--  * Columns with a default that NULL would make meaningless are NOT NULL; ratings stay within 1..5.

CREATE TABLE consultants (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),

    -- Personal Information
    first_name VARCHAR(100) NOT NULL,
    last_name VARCHAR(100) NOT NULL,
    title VARCHAR(200),
    email VARCHAR(255) NOT NULL,
    phone VARCHAR(50),
    photo_url VARCHAR(500),

    -- Professional Information
    biography JSONB,
    expertise TEXT[] NOT NULL DEFAULT '{}',
    linkedin_url VARCHAR(500),
    languages TEXT[] NOT NULL DEFAULT '{"en"}',

    -- Availability
    timezone VARCHAR(50) NOT NULL DEFAULT 'UTC',
    is_online BOOLEAN NOT NULL DEFAULT true,
    is_accepting_bookings BOOLEAN NOT NULL DEFAULT true,
    working_hours JSONB,
    holidays JSONB,

    -- Integration
    google_calendar_id VARCHAR(255),
    odoo_partner_id INTEGER,

    -- Analytics
    total_bookings INTEGER NOT NULL DEFAULT 0,
    average_rating DECIMAL(3,2),

    -- Audit Fields
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by UUID NOT NULL REFERENCES admin_users(id),
    updated_by UUID NOT NULL REFERENCES admin_users(id),
    deleted_at TIMESTAMPTZ,
    version INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT ck_consultants_average_rating CHECK (average_rating BETWEEN 1 AND 5),
    CONSTRAINT ck_consultants_total_bookings CHECK (total_bookings >= 0),
    CONSTRAINT ck_consultants_languages
        CHECK (cardinality(languages) > 0 AND languages <@ ARRAY['en', 'de']::TEXT[])
);

CREATE UNIQUE INDEX uq_consultants_email ON consultants (lower(email)) WHERE deleted_at IS NULL;
CREATE INDEX idx_consultants_email ON consultants (lower(email));
CREATE INDEX idx_consultants_online ON consultants(is_online) WHERE deleted_at IS NULL;
CREATE INDEX idx_consultants_accepting ON consultants(is_accepting_bookings) WHERE deleted_at IS NULL;
CREATE INDEX idx_consultants_expertise ON consultants USING GIN(expertise);

CREATE TABLE bookings (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    reference VARCHAR(20) UNIQUE NOT NULL,

    -- Booking Details
    consultant_id UUID NOT NULL REFERENCES consultants(id),
    datetime TIMESTAMPTZ NOT NULL,
    duration INTEGER NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL GENERATED ALWAYS AS (booking_ends_at(datetime, duration)) STORED,
    timezone VARCHAR(50) NOT NULL,
    meeting_type VARCHAR(20) NOT NULL DEFAULT 'video',

    -- Client Information
    client_first_name VARCHAR(100) NOT NULL,
    client_last_name VARCHAR(100) NOT NULL,
    client_email VARCHAR(255) NOT NULL,
    client_phone VARCHAR(50),
    client_company VARCHAR(200),
    client_website VARCHAR(500),

    -- Booking Content
    subject VARCHAR(300),
    message TEXT,
    preparation_notes TEXT,

    -- Status & Tracking
    status VARCHAR(20) NOT NULL DEFAULT 'confirmed',
    booking_source VARCHAR(50) NOT NULL DEFAULT 'website',

    -- Meeting Integration
    google_calendar_event_id VARCHAR(255),
    meeting_url VARCHAR(500),
    meeting_password VARCHAR(50),

    -- Notifications
    confirmation_sent_at TIMESTAMPTZ,
    reminder_sent_at TIMESTAMPTZ,

    -- Feedback
    client_rating INTEGER,
    client_feedback TEXT,
    consultant_notes TEXT,

    -- Audit Fields
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    deleted_at TIMESTAMPTZ,
    version INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT ck_bookings_status
        CHECK (status IN ('confirmed', 'cancelled', 'completed', 'no_show')),
    CONSTRAINT ck_bookings_meeting_type
        CHECK (meeting_type IN ('video', 'phone', 'in_person')),
    CONSTRAINT ck_bookings_duration
        CHECK (duration IN (30, 60, 90, 120)),
    CONSTRAINT ck_bookings_rating
        CHECK (client_rating BETWEEN 1 AND 5),
    CONSTRAINT ck_bookings_reference
        CHECK (reference ~ '^VLT-[0-9]{8}-[0-9A-Z]{4}$'),
    CONSTRAINT ex_bookings_no_overlap
        EXCLUDE USING gist (consultant_id WITH =, tstzrange(datetime, ends_at, '[)') WITH &&)
        WHERE (status = 'confirmed' AND deleted_at IS NULL)
);

CREATE INDEX idx_bookings_reference ON bookings(reference);
CREATE INDEX idx_bookings_consultant ON bookings(consultant_id);
CREATE INDEX idx_bookings_datetime ON bookings(datetime);
CREATE INDEX idx_bookings_status ON bookings(status);
CREATE INDEX idx_bookings_client_email ON bookings(client_email);
