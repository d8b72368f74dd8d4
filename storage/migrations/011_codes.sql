-- Codes sent to a user and not used yet (ConfirmSignUp, ConfirmForgotPassword, VerifyUserAttribute),
-- and the end of a temporary password's life (AdminCreateUser). One row per user and purpose: a new
-- code replaces the one before it. pending_value holds an attribute's new value while it waits for
-- verification (AttributesRequireVerificationBeforeUpdate).
CREATE TABLE user_codes (
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose       TEXT NOT NULL,              -- SIGN_UP, FORGOT_PASSWORD, VERIFY:<attribute>, ...
    code          TEXT NOT NULL,              -- '' for TEMPORARY_PASSWORD
    expires       INTEGER NOT NULL,           -- epoch milliseconds
    failures      INTEGER NOT NULL DEFAULT 0, -- wrong codes given for this one
    pending_value TEXT,
    PRIMARY KEY (user_id, purpose)
) WITHOUT ROWID;

-- An email's subject line (empty for SMS).
ALTER TABLE messages ADD COLUMN subject TEXT NOT NULL DEFAULT '';
