-- System settings: optimistic locking, and how sensitive values are kept.
--
--  * The spec's system_settings has no version counter, so two people editing one setting would silently
--    overwrite each other. version moves on every real change (bump_version, like every other versioned table;
--    the trigger's name sorts before update_system_settings_updated_at, so a no-op write moves neither), and
--    PUT /api/v1/settings/:key carries the version it read: a stale one answers 409 conflict.stale_version.
--  * No schema change is needed for encryption: a sensitive setting's value is stored as the JSON string
--    "enc:v1.<iv>.<tag>.<ciphertext>" (AES-256-GCM under a key derived from APP_SECRET, the setting's key bound
--    as associated data), and the audit trigger (0001, 0009) already withholds value and default_value of
--    is_sensitive rows.
--  * Readers cache settings per process; a write runs pg_notify('magnetiq_settings', key) inside its
--    transaction, so every instance listening on that channel drops its cache when the write commits.

ALTER TABLE system_settings ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TRIGGER bump_system_settings_version
    BEFORE UPDATE ON system_settings
    FOR EACH ROW EXECUTE FUNCTION bump_version();
