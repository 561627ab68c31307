-- Identity and access: sessions with rotating refresh tokens, two-factor authentication, the mail outbox.
--
-- Additions beyond the spec, each deliberate:
--  * admin_sessions.access_expires_at: the access token (session_token) lives minutes, the session (expires_at)
--    days; refreshing rotates both tokens. invalidated_reason says why a session ended (logout, revoked,
--    refresh_reuse, password_changed, user_deactivated, user_deleted).
--  * admin_session_rotated_tokens keeps the digests of refresh tokens that were already exchanged, so presenting
--    one again is recognised as theft and ends that whole session.
--  * Two-factor authentication (TOTP, RFC 6238): admin_users.totp_secret (AES-256-GCM ciphertext, never clear),
--    totp_enabled_at (NULL while enrolment is not confirmed) and totp_last_step (a code is accepted once).
--    admin_recovery_codes holds the SHA-256 digests of ten one-time recovery codes.
--  * mail_outbox: every e-mail the product sends, with its state; without SMTP_URL it is where mail stays for
--    the admin to read.
--  * bump_version() and audit_trigger_function() learn "bookkeeping" columns (an argument written '~name'): a
--    change only to them (last login, failed attempts, lock, reset token) neither moves the optimistic-locking
--    version nor writes a row-change audit entry. Logins, failures and lockouts are recorded as their own audit
--    events instead, so an admin editing a user does not get a stale-version conflict because that user signed in.

ALTER TABLE admin_sessions
    ADD COLUMN access_expires_at TIMESTAMPTZ,
    ADD COLUMN invalidated_reason VARCHAR(30);
UPDATE admin_sessions SET access_expires_at = LEAST(expires_at, created_at + INTERVAL '15 minutes');
ALTER TABLE admin_sessions
    ALTER COLUMN access_expires_at SET NOT NULL,
    ADD CONSTRAINT ck_admin_sessions_access_expiry CHECK (access_expires_at <= expires_at),
    ADD CONSTRAINT ck_admin_sessions_invalidated_reason CHECK (
        invalidated_reason IN ('logout', 'revoked', 'refresh_reuse', 'password_changed', 'password_reset',
                               'user_deactivated', 'user_deleted', 'expired'));
CREATE INDEX idx_admin_sessions_live ON admin_sessions(user_id) WHERE invalidated_at IS NULL;

CREATE TABLE admin_session_rotated_tokens (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash CHAR(64) NOT NULL UNIQUE,
    session_id UUID NOT NULL REFERENCES admin_sessions(id) ON DELETE CASCADE,
    rotated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT ck_admin_session_rotated_tokens_hashed CHECK (token_hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX idx_admin_session_rotated_tokens_session ON admin_session_rotated_tokens(session_id);

ALTER TABLE admin_users
    ADD COLUMN totp_secret TEXT,
    ADD COLUMN totp_enabled_at TIMESTAMPTZ,
    ADD COLUMN totp_last_step BIGINT,
    ADD CONSTRAINT ck_admin_users_totp_enabled CHECK (totp_enabled_at IS NULL OR totp_secret IS NOT NULL);

CREATE TABLE admin_recovery_codes (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES admin_users(id) ON DELETE CASCADE,
    code_hash CHAR(64) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    used_at TIMESTAMPTZ,
    CONSTRAINT ck_admin_recovery_codes_hashed CHECK (code_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT uq_admin_recovery_codes UNIQUE (user_id, code_hash)
);

CREATE TABLE mail_outbox (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    recipient VARCHAR(255) NOT NULL,
    subject VARCHAR(500) NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT,
    language VARCHAR(2) NOT NULL DEFAULT 'en',
    template VARCHAR(100),
    -- 'queued': waiting for the SMTP server; 'sent': accepted by it; 'failed': refused or unreachable;
    -- 'outbox': kept for the admin to read, because no SMTP server is configured.
    status VARCHAR(20) NOT NULL,
    message_id VARCHAR(255),
    error TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    sent_at TIMESTAMPTZ,
    CONSTRAINT ck_mail_outbox_status CHECK (status IN ('queued', 'sent', 'failed', 'outbox')),
    CONSTRAINT ck_mail_outbox_language CHECK (language IN ('en', 'de'))
);
CREATE INDEX idx_mail_outbox_created ON mail_outbox(created_at DESC);
CREATE INDEX idx_mail_outbox_recipient ON mail_outbox(lower(recipient));

-- The bookkeeping columns among trigger arguments (those written '~column'), without the '~'.
CREATE OR REPLACE FUNCTION bookkeeping_columns(args TEXT[])
RETURNS TEXT[] AS $$
    SELECT COALESCE(array_agg(substr(a, 2)), '{}') FROM unnest(args) AS a WHERE left(a, 1) = '~';
$$ LANGUAGE sql IMMUTABLE;

-- Arguments written '~column' name bookkeeping columns: a change to them alone does not bump the version.
CREATE OR REPLACE FUNCTION bump_version()
RETURNS TRIGGER AS $$
DECLARE
    v_quiet TEXT[] := ARRAY['updated_at', 'version'] || bookkeeping_columns(TG_ARGV);
BEGIN
    IF (to_jsonb(NEW) - v_quiet) IS DISTINCT FROM (to_jsonb(OLD) - v_quiet) THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- Arguments: 'column' names a secret column (its values never enter the trail); '~column' a bookkeeping column
-- (kept in the values, but a change to bookkeeping columns only writes no row). A name may appear in both forms.
CREATE OR REPLACE FUNCTION audit_trigger_function()
RETURNS TRIGGER AS $$
DECLARE
    v_old JSONB;
    v_new JSONB;
    v_changed TEXT[];
    v_event TEXT := TG_OP;
    v_arg TEXT;
    v_quiet TEXT[] := ARRAY['updated_at', 'version', 'version_number'] || bookkeeping_columns(TG_ARGV);
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
          AND NOT (n.key = ANY (v_quiet));
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

    FOREACH v_arg IN ARRAY COALESCE(TG_ARGV, '{}') LOOP
        IF left(v_arg, 1) <> '~' THEN
            v_old := v_old - v_arg;
            v_new := v_new - v_arg;
        END IF;
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

DROP TRIGGER bump_admin_users_version ON admin_users;
CREATE TRIGGER bump_admin_users_version
    BEFORE UPDATE ON admin_users
    FOR EACH ROW EXECUTE FUNCTION bump_version(
        '~last_login_at', '~login_attempts', '~locked_until', '~password_reset_token',
        '~password_reset_expires_at', '~totp_last_step');

DROP TRIGGER audit_admin_users ON admin_users;
CREATE TRIGGER audit_admin_users
    AFTER INSERT OR UPDATE OR DELETE ON admin_users
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function(
        'hashed_password', 'password_reset_token', 'totp_secret',
        '~last_login_at', '~login_attempts', '~locked_until', '~password_reset_token',
        '~password_reset_expires_at', '~totp_last_step');
