-- Users and authentication: admin_users, admin_sessions, user_permissions.
--
-- Deviations from the spec, each deliberate:
--  * Defect 7: soft-deleted rows must not keep their e-mail forever, and e-mails compare case-insensitively:
--    UNIQUE(email) becomes the partial unique index uq_admin_users_email on lower(email) WHERE deleted_at IS NULL,
--    and idx_admin_users_email indexes lower(email) so look-ups by any spelling use it.
--  * Defect 8: session, refresh and password-reset tokens are stored only as SHA-256 hex digests; CHECKs refuse
--    anything else, so a raw token can never be written by mistake.
--  * Columns with a default that NULL would make meaningless (flags, counters, role, language, timestamps,
--    version) are NOT NULL.
--  * user_permissions: UNIQUE(user_id, permission, resource) let the same global grant (resource NULL) be stored
--    twice, since NULLs are distinct; uq_user_permissions_grant treats a NULL resource as one value.
--    granted_by loses its user on hard delete (SET NULL) instead of blocking it.

CREATE TABLE admin_users (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email VARCHAR(255) NOT NULL,
    hashed_password VARCHAR(255) NOT NULL,

    -- Profile Information
    first_name VARCHAR(100) NOT NULL,
    last_name VARCHAR(100) NOT NULL,
    avatar_url VARCHAR(500),
    timezone VARCHAR(50) NOT NULL DEFAULT 'UTC',
    language VARCHAR(2) NOT NULL DEFAULT 'en',

    -- Security & Access
    role VARCHAR(20) NOT NULL DEFAULT 'viewer',
    is_active BOOLEAN NOT NULL DEFAULT true,
    is_superuser BOOLEAN NOT NULL DEFAULT false,
    last_login_at TIMESTAMPTZ,
    login_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    password_reset_token VARCHAR(255),
    password_reset_expires_at TIMESTAMPTZ,
    password_changed_at TIMESTAMPTZ,

    -- Audit Fields
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by UUID REFERENCES admin_users(id),
    updated_by UUID REFERENCES admin_users(id),
    deleted_at TIMESTAMPTZ,
    version INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT ck_admin_users_role
        CHECK (role IN ('super_admin', 'admin', 'editor', 'viewer')),
    CONSTRAINT ck_admin_users_language
        CHECK (language IN ('en', 'de')),
    CONSTRAINT ck_admin_users_login_attempts
        CHECK (login_attempts >= 0),
    CONSTRAINT ck_admin_users_reset_token_hashed
        CHECK (password_reset_token ~ '^[0-9a-f]{64}$')
);

CREATE UNIQUE INDEX uq_admin_users_email ON admin_users (lower(email)) WHERE deleted_at IS NULL;
CREATE INDEX idx_admin_users_email ON admin_users (lower(email));
CREATE INDEX idx_admin_users_role ON admin_users(role);
CREATE INDEX idx_admin_users_active ON admin_users(is_active) WHERE deleted_at IS NULL;

CREATE TABLE admin_sessions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES admin_users(id) ON DELETE CASCADE,
    session_token VARCHAR(500) NOT NULL UNIQUE,
    refresh_token VARCHAR(500) UNIQUE,

    -- Session Metadata
    ip_address INET,
    user_agent TEXT,
    device_info JSONB,
    location JSONB,

    -- Timestamps
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    expires_at TIMESTAMPTZ NOT NULL,
    last_activity_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    invalidated_at TIMESTAMPTZ,

    CONSTRAINT ck_admin_sessions_valid_expiry
        CHECK (expires_at > created_at),
    CONSTRAINT ck_admin_sessions_token_hashed
        CHECK (session_token ~ '^[0-9a-f]{64}$'),
    CONSTRAINT ck_admin_sessions_refresh_hashed
        CHECK (refresh_token ~ '^[0-9a-f]{64}$')
);

CREATE INDEX idx_admin_sessions_user_id ON admin_sessions(user_id);
CREATE INDEX idx_admin_sessions_token ON admin_sessions(session_token);
CREATE INDEX idx_admin_sessions_expires ON admin_sessions(expires_at);

CREATE TABLE user_permissions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES admin_users(id) ON DELETE CASCADE,
    permission VARCHAR(100) NOT NULL,
    resource VARCHAR(100),
    granted_by UUID REFERENCES admin_users(id) ON DELETE SET NULL,
    granted_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    expires_at TIMESTAMPTZ,

    CONSTRAINT ck_user_permissions_expiry
        CHECK (expires_at IS NULL OR expires_at > granted_at)
);

CREATE UNIQUE INDEX uq_user_permissions_grant
    ON user_permissions (user_id, permission, COALESCE(resource, ''));
CREATE INDEX idx_user_permissions_user_id ON user_permissions(user_id);
CREATE INDEX idx_user_permissions_permission ON user_permissions(permission);
