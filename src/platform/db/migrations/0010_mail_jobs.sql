-- Mail sent by background jobs (pg-boss keeps its own tables in the schema `pgboss`, which it installs and
-- migrates itself at start).
--
-- Additions beyond the spec, each deliberate:
--  * mail_outbox.attachments: files sent with a message (an ICS invitation), as [{filename, content_type,
--    content (base64)}], so a retry sends exactly what was accepted.
--  * mail_outbox.attempts and last_attempt_at: how often delivery was tried; `queued` now means "waiting for
--    the next attempt", `failed` that every retry was used (the job stays visible under /api/v1/jobs).

ALTER TABLE mail_outbox
    ADD COLUMN attachments JSONB,
    ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN last_attempt_at TIMESTAMPTZ,
    ADD CONSTRAINT ck_mail_outbox_attempts CHECK (attempts >= 0),
    ADD CONSTRAINT ck_mail_outbox_attachments CHECK (attachments IS NULL OR jsonb_typeof(attachments) = 'array');
CREATE INDEX idx_mail_outbox_status ON mail_outbox(status) WHERE status IN ('queued', 'failed');
