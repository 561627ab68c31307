-- What happens to a booking after it is made: invites, reminders, self-service changes, staff outcomes,
-- feedback, and the sync to Google Calendar and Odoo.
--
--  * bookings.sequence: the iCalendar SEQUENCE of the booking's invite. 0 when booked; every change the client
--    is told about (a reschedule, a cancellation) adds one, so calendar programs replace the earlier invite
--    (RFC 5545 3.8.7.4). The UID never changes.
--  * bookings.reminder_job_id: the queued 24-hour reminder, cancelled when the booking moves or is cancelled.
--  * bookings.cancelled_at, cancelled_by ('client' or 'staff') and cancellation_reason: the spec kept no trace
--    of a cancellation but the status.
--  * bookings.calendar_synced_sequence: the sequence the consultant's Google event shows (NULL: never synced).
--    Lower than sequence means a sync is owed; a sweep job finds such rows, so an outage longer than a job's
--    retries still ends in a synced calendar.
--  * bookings.client_odoo_partner_id: the client's res.partner in Odoo, once found or created.
--  * bookings.feedback_at: when the client rated the meeting (a rating is given once).
--  * Bookkeeping columns (trigger arguments '~name', migration 0009): the jobs stamping confirmation_sent_at,
--    reminder_sent_at, reminder_job_id, calendar_synced_sequence, google_calendar_event_id and
--    client_odoo_partner_id neither move the booking's optimistic-locking version nor write audit rows, so
--    staff editing notes do not get a stale-version conflict because a mail went out. The same holds for a
--    consultant's total_bookings and average_rating, which follow completions and ratings. ends_at is named
--    too: a generated column is still NULL in a BEFORE trigger's NEW, so bump_version saw it change on every
--    update (a change of datetime or duration moves the version by itself).

ALTER TABLE bookings
    ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN reminder_job_id UUID,
    ADD COLUMN cancelled_at TIMESTAMPTZ,
    ADD COLUMN cancelled_by VARCHAR(10),
    ADD COLUMN cancellation_reason TEXT,
    ADD COLUMN calendar_synced_sequence INTEGER,
    ADD COLUMN client_odoo_partner_id INTEGER,
    ADD COLUMN feedback_at TIMESTAMPTZ,
    ADD CONSTRAINT ck_bookings_sequence CHECK (sequence >= 0),
    ADD CONSTRAINT ck_bookings_cancelled_by CHECK (cancelled_by IN ('client', 'staff')),
    ADD CONSTRAINT ck_bookings_cancellation CHECK (cancelled_at IS NULL OR status = 'cancelled'),
    ADD CONSTRAINT ck_bookings_cancellation_reason_length CHECK (char_length(cancellation_reason) <= 2000),
    ADD CONSTRAINT ck_bookings_feedback CHECK (feedback_at IS NULL OR client_rating IS NOT NULL);

-- The staff list filters by consultant and time, and the sweep looks for calendars owed a sync.
CREATE INDEX idx_bookings_consultant_datetime ON bookings(consultant_id, datetime) WHERE deleted_at IS NULL;
CREATE INDEX idx_bookings_calendar_owed ON bookings(id)
    WHERE calendar_synced_sequence IS DISTINCT FROM sequence;

DROP TRIGGER bump_bookings_version ON bookings;
CREATE TRIGGER bump_bookings_version
    BEFORE UPDATE ON bookings
    FOR EACH ROW EXECUTE FUNCTION bump_version(
        '~ends_at', '~confirmation_sent_at', '~reminder_sent_at', '~reminder_job_id', '~calendar_synced_sequence',
        '~google_calendar_event_id', '~client_odoo_partner_id');

DROP TRIGGER audit_bookings ON bookings;
CREATE TRIGGER audit_bookings
    AFTER INSERT OR UPDATE OR DELETE ON bookings
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function(
        'meeting_password', '~confirmation_sent_at', '~reminder_sent_at', '~reminder_job_id',
        '~calendar_synced_sequence', '~google_calendar_event_id', '~client_odoo_partner_id');

DROP TRIGGER bump_consultants_version ON consultants;
CREATE TRIGGER bump_consultants_version
    BEFORE UPDATE ON consultants
    FOR EACH ROW EXECUTE FUNCTION bump_version('~total_bookings', '~average_rating');

DROP TRIGGER audit_consultants ON consultants;
CREATE TRIGGER audit_consultants
    AFTER INSERT OR UPDATE OR DELETE ON consultants
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function('~total_bookings', '~average_rating');
