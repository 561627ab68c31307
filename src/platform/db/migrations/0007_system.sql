-- System and integration tables: audit_logs (partitioned by month), system_settings, integration_logs,
-- translations.
--
-- Deviations from the spec, each deliberate:
--  * Defect 2: the spec created monthly partitions of a table that was not partitioned. audit_logs is
--    PARTITION BY RANGE (created_at); its primary key therefore includes created_at. audit_logs_default catches
--    rows no monthly partition covers, and ensure_audit_log_partitions(n) creates the partitions of this month
--    and the n months after it, moving any rows the default partition already holds for them. The application
--    calls it at start and, with the jobs module, monthly.
--  * audit_logs.user_id is the actor; a hard-deleted user leaves their trail with user_id NULL (ON DELETE SET
--    NULL) rather than blocking the delete or losing history. user_email keeps who it was.
--  * translations.source_language is NOT NULL (a NULL made UNIQUE(namespace, key, source, target) toothless)
--    and differs from the target language.
--  * Columns with a default that NULL would make meaningless are NOT NULL.

CREATE TABLE audit_logs (
    id UUID NOT NULL DEFAULT gen_random_uuid(),

    -- Event Details
    event_type VARCHAR(50) NOT NULL,
    table_name VARCHAR(100),
    record_id UUID,

    -- User Context
    user_id UUID REFERENCES admin_users(id) ON DELETE SET NULL,
    user_email VARCHAR(255),
    session_id UUID,

    -- Request Context
    ip_address INET,
    user_agent TEXT,
    request_id UUID,

    -- Change Details
    old_values JSONB,
    new_values JSONB,
    changed_fields TEXT[],

    -- Additional Context
    description TEXT,
    metadata JSONB,

    -- Timestamp
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE TABLE audit_logs_default PARTITION OF audit_logs DEFAULT;

CREATE INDEX idx_audit_logs_event_type ON audit_logs(event_type);
CREATE INDEX idx_audit_logs_table ON audit_logs(table_name);
CREATE INDEX idx_audit_logs_user ON audit_logs(user_id);
CREATE INDEX idx_audit_logs_record ON audit_logs(table_name, record_id);
CREATE INDEX idx_audit_logs_created ON audit_logs(created_at);

CREATE OR REPLACE FUNCTION ensure_audit_log_partitions(months_ahead INTEGER DEFAULT 3)
RETURNS INTEGER AS $$
DECLARE
    this_month DATE := date_trunc('month', NOW() AT TIME ZONE 'UTC')::DATE;
    month_start DATE;
    range_start TIMESTAMPTZ;
    range_end TIMESTAMPTZ;
    partition_name TEXT;
    created INTEGER := 0;
BEGIN
    FOR i IN 0..months_ahead LOOP
        month_start := (this_month + make_interval(months => i))::DATE;
        range_start := month_start::TIMESTAMP AT TIME ZONE 'UTC';
        range_end := (month_start + INTERVAL '1 month')::TIMESTAMP AT TIME ZONE 'UTC';
        partition_name := format('audit_logs_y%sm%s', to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
        CONTINUE WHEN to_regclass(partition_name) IS NOT NULL;

        EXECUTE format('CREATE TABLE %I (LIKE audit_logs INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name);
        -- Attaching fails while the default partition holds rows of the new range: move them first.
        EXECUTE format(
            'WITH moved AS (DELETE FROM audit_logs_default WHERE created_at >= %L AND created_at < %L RETURNING *) '
            'INSERT INTO %I SELECT * FROM moved',
            range_start, range_end, partition_name);
        EXECUTE format('ALTER TABLE audit_logs ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
            partition_name, range_start, range_end);
        created := created + 1;
    END LOOP;
    RETURN created;
END;
$$ LANGUAGE plpgsql;

SELECT ensure_audit_log_partitions(3);

CREATE TABLE system_settings (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    key VARCHAR(100) UNIQUE NOT NULL,
    value JSONB,
    data_type VARCHAR(20) NOT NULL DEFAULT 'string',
    description TEXT,
    category VARCHAR(50),
    is_public BOOLEAN NOT NULL DEFAULT false,
    is_sensitive BOOLEAN NOT NULL DEFAULT false,

    -- Validation
    validation_rules JSONB,
    default_value JSONB,

    -- Audit
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_by UUID REFERENCES admin_users(id) ON DELETE SET NULL,

    CONSTRAINT ck_system_settings_data_type
        CHECK (data_type IN ('string', 'number', 'boolean', 'json', 'array')),
    -- A sensitive setting is never served to the public site.
    CONSTRAINT ck_system_settings_public_not_sensitive
        CHECK (NOT (is_public AND is_sensitive))
);

CREATE INDEX idx_system_settings_key ON system_settings(key);
CREATE INDEX idx_system_settings_category ON system_settings(category);
CREATE INDEX idx_system_settings_public ON system_settings(is_public);

CREATE TABLE integration_logs (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),

    -- Integration Details
    integration_name VARCHAR(50) NOT NULL,
    operation VARCHAR(50) NOT NULL,
    direction VARCHAR(10) NOT NULL,

    -- Request/Response
    endpoint VARCHAR(500),
    request_data JSONB,
    response_data JSONB,

    -- Status
    status VARCHAR(20) NOT NULL,
    error_message TEXT,
    error_code VARCHAR(50),

    -- Performance
    started_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    completed_at TIMESTAMPTZ,
    duration_ms INTEGER,

    -- Context
    triggered_by UUID REFERENCES admin_users(id) ON DELETE SET NULL,
    related_table VARCHAR(100),
    related_id UUID,

    CONSTRAINT ck_integration_logs_direction
        CHECK (direction IN ('inbound', 'outbound')),
    CONSTRAINT ck_integration_logs_status
        CHECK (status IN ('success', 'error', 'timeout', 'cancelled')),
    CONSTRAINT ck_integration_logs_duration CHECK (duration_ms >= 0)
);

CREATE INDEX idx_integration_logs_name ON integration_logs(integration_name);
CREATE INDEX idx_integration_logs_status ON integration_logs(status);
CREATE INDEX idx_integration_logs_started ON integration_logs(started_at);
CREATE INDEX idx_integration_logs_related ON integration_logs(related_table, related_id);

CREATE TABLE translations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),

    -- Translation Key
    namespace VARCHAR(100) NOT NULL,
    key VARCHAR(200) NOT NULL,

    -- Languages
    source_language VARCHAR(2) NOT NULL DEFAULT 'en',
    target_language VARCHAR(2) NOT NULL,

    -- Content
    source_text TEXT NOT NULL,
    translated_text TEXT,
    context TEXT,

    -- Status & Quality
    status VARCHAR(20) NOT NULL DEFAULT 'pending',
    translation_method VARCHAR(20) NOT NULL DEFAULT 'manual',
    confidence_score DECIMAL(3,2),

    -- Review Process
    translator_id UUID REFERENCES admin_users(id) ON DELETE SET NULL,
    reviewer_id UUID REFERENCES admin_users(id) ON DELETE SET NULL,
    translated_at TIMESTAMPTZ,
    reviewed_at TIMESTAMPTZ,

    -- Audit
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    UNIQUE(namespace, key, source_language, target_language),

    CONSTRAINT ck_translations_status
        CHECK (status IN ('pending', 'translated', 'reviewed', 'approved', 'rejected')),
    CONSTRAINT ck_translations_method
        CHECK (translation_method IN ('manual', 'ai', 'imported')),
    CONSTRAINT ck_translations_languages
        CHECK (source_language IN ('en', 'de') AND target_language IN ('en', 'de')),
    CONSTRAINT ck_translations_distinct_languages
        CHECK (source_language <> target_language),
    CONSTRAINT ck_translations_confidence
        CHECK (confidence_score BETWEEN 0 AND 1)
);

CREATE INDEX idx_translations_namespace_key ON translations(namespace, key);
CREATE INDEX idx_translations_language ON translations(target_language);
CREATE INDEX idx_translations_status ON translations(status);
