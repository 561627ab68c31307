-- Sign-in lockout that answers alike for addresses with and without an account (issue 12).
--
--  * unknown_login_attempts: failed sign-ins at e-mail addresses no live account has, counted and locked the way
--    admin_users.login_attempts / locked_until count them for accounts (the same settings
--    security.max_login_attempts and security.lockout_minutes). Before, a known address answered 423
--    auth.locked from the fifth wrong password on and an unknown one 401 for ever, which told anyone which
--    addresses have accounts. The address itself is never stored: address_digest is an HMAC-SHA-256 of the
--    normalised address (trimmed, lower case) under a key derived from APP_SECRET, so the table is no list of
--    the addresses people tried, and a digest cannot be checked against guessed addresses without the secret.
--    No audit or version triggers: these rows are counters, and failed sign-ins are audit events already.
--  * admin_users.last_failed_login_at, unknown_login_attempts.last_failed_at: a run of failures is forgotten
--    24 hours after its last failure, for accounts and unknown addresses alike (before, an account's count
--    stayed until a success). That keeps the two alike while rows of unknown addresses are pruned: a row whose
--    last failure is more than 24 hours old says nothing any more (its lock, at most 1440 minutes by the
--    setting's rule, has run out too), so identity's daily housekeeping (maintenance.sessions) deletes it, and
--    an account in the same state would start counting at 1 just the same.
--  * last_failed_login_at is a bookkeeping column like login_attempts (migration 0009): writing it moves neither
--    the version nor the row-change audit trail; the triggers are recreated with it.

CREATE TABLE unknown_login_attempts (
    address_digest CHAR(64) PRIMARY KEY,
    attempts INTEGER NOT NULL,
    locked_until TIMESTAMPTZ,
    last_failed_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT ck_unknown_login_attempts_hashed CHECK (address_digest ~ '^[0-9a-f]{64}$'),
    CONSTRAINT ck_unknown_login_attempts_attempts CHECK (attempts > 0)
);
CREATE INDEX idx_unknown_login_attempts_last_failed ON unknown_login_attempts(last_failed_at);

ALTER TABLE admin_users ADD COLUMN last_failed_login_at TIMESTAMPTZ;

DROP TRIGGER bump_admin_users_version ON admin_users;
CREATE TRIGGER bump_admin_users_version
    BEFORE UPDATE ON admin_users
    FOR EACH ROW EXECUTE FUNCTION bump_version(
        '~last_login_at', '~login_attempts', '~locked_until', '~password_reset_token',
        '~password_reset_expires_at', '~totp_last_step', '~last_failed_login_at');

DROP TRIGGER audit_admin_users ON admin_users;
CREATE TRIGGER audit_admin_users
    AFTER INSERT OR UPDATE OR DELETE ON admin_users
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function(
        'hashed_password', 'password_reset_token', 'totp_secret',
        '~last_login_at', '~login_attempts', '~locked_until', '~password_reset_token',
        '~password_reset_expires_at', '~totp_last_step', '~last_failed_login_at');
