-- A grace window for refresh tokens (issue 12).
--
--  * admin_session_rotated_tokens.successor_nonce: two browser tabs refreshing one cookie session at the same
--    moment both send the same refresh token; the second used to count as reuse (theft) and end the session.
--    Now a refresh token presented again within security.refresh_grace_seconds (10) of its exchange, while the
--    pair it was exchanged for is still the session's current one, is answered with that same pair: the
--    session goes on with one pair, and nothing is revoked. Reuse after the window, or of an older token, still
--    ends the session.
--    The server cannot re-derive a raw token from its stored digest, and no raw token is stored. Instead the
--    pair a refresh hands out is derived, not drawn: HMAC-SHA-256 (key derived from APP_SECRET) of a fresh
--    random nonce and the refresh token being exchanged. The nonce is kept here, beside the exchanged token's
--    digest; whoever presents that token again can be given the same pair, and only they can, since it takes
--    the raw token (which only its holders have) and the secret. A copy of the table alone gives no token.
--    Rows written before this migration have no nonce and get no grace.
--  * admin_session_rotated_tokens.grace_answered_at: the grace answers once per exchanged token. A second copy
--    presented within the window (a third tab, or a thief racing the second tab) counts as reuse and ends the
--    session, so a copied token cannot ride along unnoticed on every refresh of its owner.

ALTER TABLE admin_session_rotated_tokens
    ADD COLUMN successor_nonce CHAR(64),
    ADD COLUMN grace_answered_at TIMESTAMPTZ,
    ADD CONSTRAINT ck_admin_session_rotated_tokens_nonce CHECK (successor_nonce ~ '^[0-9a-f]{64}$');
