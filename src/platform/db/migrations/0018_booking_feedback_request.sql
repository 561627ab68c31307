-- The client's feedback request goes out once per meeting.
--
--  * bookings.feedback_requested_at: when the mail asking for a rating entered the outbox. Staff may correct an
--    outcome (completed -> no_show -> completed) until the client has rated; only the first completion asks,
--    through a conditional update of this column in the mail's transaction.
--  * A bookkeeping column like the other mail stamps (migration 0017): stamping it moves neither the booking's
--    version nor the audit trail, so the staff user who recorded the completion holds the current version.

ALTER TABLE bookings ADD COLUMN feedback_requested_at TIMESTAMPTZ;

DROP TRIGGER bump_bookings_version ON bookings;
CREATE TRIGGER bump_bookings_version
    BEFORE UPDATE ON bookings
    FOR EACH ROW EXECUTE FUNCTION bump_version(
        '~ends_at', '~confirmation_sent_at', '~reminder_sent_at', '~reminder_job_id', '~calendar_synced_sequence',
        '~google_calendar_event_id', '~client_odoo_partner_id', '~feedback_requested_at');

DROP TRIGGER audit_bookings ON bookings;
CREATE TRIGGER audit_bookings
    AFTER INSERT OR UPDATE OR DELETE ON bookings
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function(
        'meeting_password', '~confirmation_sent_at', '~reminder_sent_at', '~reminder_job_id',
        '~calendar_synced_sequence', '~google_calendar_event_id', '~client_odoo_partner_id',
        '~feedback_requested_at');
