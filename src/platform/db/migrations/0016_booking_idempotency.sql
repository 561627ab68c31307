-- Public bookings (POST /api/v1/public/bookings).
--
--  * bookings.language: the language the client booked in ('en' or 'de'); later mails to the client use it.
--  * bookings.privacy_consent_at: when the client gave the privacy consent the booking form requires (GDPR:
--    the consent must be demonstrable).
--  * booking_idempotency_keys: a client that retries a booking (a lost answer, a double click) sends the same
--    Idempotency-Key header and gets the first answer again instead of a second booking. Only digests are
--    stored: the SHA-256 of the key and of the request body (same key with another body is refused). The
--    answer is rebuilt from the booking (its manage link is an HMAC, recomputed), so nothing secret is kept.
--    The row is inserted in the booking's own transaction before the booking: a concurrent retry with the
--    same key waits on the primary key, then finds the committed row and replays it; a failed booking rolls
--    its key back, so a retry after an error is tried afresh.

ALTER TABLE bookings
    ADD COLUMN language VARCHAR(2) NOT NULL DEFAULT 'en',
    ADD COLUMN privacy_consent_at TIMESTAMPTZ,
    ADD CONSTRAINT ck_bookings_language CHECK (language IN ('en', 'de'));

CREATE TABLE booking_idempotency_keys (
    key_digest CHAR(64) PRIMARY KEY,
    request_digest CHAR(64) NOT NULL,
    booking_id UUID REFERENCES bookings(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_booking_idempotency_keys_created_at ON booking_idempotency_keys(created_at);
