-- The slots a visitor sees are computed from a consultant's schedule and bookings, which each instance keeps in
-- memory while nothing changes (src/modules/availability/snapshot.ts). Every statement that changes bookings
-- announces it on `bookings_changed` when it commits, statement-level like pages_changed (0015): listeners drop
-- their whole copy. Consultants announce themselves on `site_changed` (0022). A booking itself never relies on
-- the copy: it re-checks its slot inside its transaction, and the exclusion constraint has the last word.

CREATE OR REPLACE FUNCTION notify_bookings_changed()
RETURNS TRIGGER AS $$
BEGIN
    PERFORM pg_notify('bookings_changed', TG_OP);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER notify_bookings_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bookings
    FOR EACH STATEMENT EXECUTE FUNCTION notify_bookings_changed();
