-- Multi-factor authentication: each user's MFA settings, and the outbox of codes cognitod would
-- have sent by SMS (tests and demos read it at GET /_cognitod/messages).

ALTER TABLE users ADD COLUMN mfa TEXT NOT NULL DEFAULT '{}'; -- JSON: sms / totp settings and secrets

CREATE TABLE messages (
    seq         INTEGER PRIMARY KEY,
    pool_id     TEXT NOT NULL,
    username    TEXT NOT NULL,
    medium      TEXT NOT NULL,               -- SMS
    destination TEXT NOT NULL,               -- the phone number
    purpose     TEXT NOT NULL,               -- SMS_MFA
    code        TEXT NOT NULL,
    message     TEXT NOT NULL,
    created     INTEGER NOT NULL
);
CREATE INDEX messages_by_user ON messages(pool_id, username, seq);
