-- The integration layer (Odoo, Google Calendar): what integration_logs needs beyond the spec.
--
-- Additions, each deliberate:
--  * One row per HTTP attempt, not per logical call: a timeout followed by a successful retry leaves two rows,
--    so what really went over the wire stays visible. attempt numbers them (1, 2, ...) within one call.
--  * correlation_id groups every row of one logical operation run (e.g. an Odoo lead export: authenticate,
--    search, create, and their attempts), so the admin can read an operation as a whole.
--  * idempotency_key: the key the call carried that the other side deduplicates on (a Google Calendar event id
--    derived from the client request id); attempts with the same key cannot duplicate the record. Odoo honours
--    no such key: its exports search before they create, and their retry_context holds the search domain.
--  * retry_context: the operation and its input, free of secrets, from which POST
--    /api/v1/integration-logs/:id/retry re-runs a failed operation. Credentials are read from the settings at
--    retry time, never from here. NULL: the operation is not safe to re-run (e.g. a bare Odoo create).
--  * retry_of: the failed row an admin retried; every row of the retry run points at it.

ALTER TABLE integration_logs
    ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN correlation_id UUID,
    ADD COLUMN idempotency_key VARCHAR(255),
    ADD COLUMN retry_context JSONB,
    ADD COLUMN retry_of UUID REFERENCES integration_logs(id) ON DELETE SET NULL,
    ADD CONSTRAINT ck_integration_logs_attempt CHECK (attempt >= 1);

CREATE INDEX idx_integration_logs_correlation ON integration_logs(correlation_id);
CREATE INDEX idx_integration_logs_retry_of ON integration_logs(retry_of);
CREATE INDEX idx_integration_logs_operation ON integration_logs(operation);
