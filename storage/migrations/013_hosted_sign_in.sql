-- The OAuth 2.0 path: the scopes a sign-in was granted, authorization codes waiting for the token
-- endpoint, and the hosted login's sessions (its cookie).

-- Space-separated, as the access token's scope claim. NULL: a sign-in through the API, whose
-- tokens carry aws.cognito.signin.user.admin.
ALTER TABLE auth_sessions ADD COLUMN scope TEXT;

-- A code serves once: the token endpoint deletes it as it takes it.
CREATE TABLE authorization_codes (
    code_hash      TEXT PRIMARY KEY,          -- SHA-256 of the code; never the code
    client_seq     INTEGER NOT NULL REFERENCES app_clients(seq) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    redirect_uri   TEXT NOT NULL,
    scope          TEXT NOT NULL,             -- granted, space-separated
    nonce          TEXT,
    code_challenge TEXT,                      -- S256, base64url
    auth_time      INTEGER NOT NULL,          -- epoch seconds: when the user signed in
    expires        INTEGER NOT NULL           -- epoch milliseconds
) WITHOUT ROWID;

-- The `cognito` cookie of a pool's hosted login: who signed in, so that the next authorization
-- asks for no password until it expires or /logout ends it.
CREATE TABLE login_sessions (
    cookie_hash TEXT PRIMARY KEY,             -- SHA-256 of the cookie's value
    pool_seq    INTEGER NOT NULL REFERENCES user_pools(seq) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    auth_time   INTEGER NOT NULL,             -- epoch seconds
    expires     INTEGER NOT NULL              -- epoch milliseconds
) WITHOUT ROWID;
-- By client, pool and user: their deletes cascade here. By expiry: each insert clears what has
-- expired.
CREATE INDEX authorization_codes_by_client ON authorization_codes(client_seq);
CREATE INDEX authorization_codes_by_user ON authorization_codes(user_id);
CREATE INDEX authorization_codes_by_expiry ON authorization_codes(expires);
CREATE INDEX login_sessions_by_pool ON login_sessions(pool_seq);
CREATE INDEX login_sessions_by_user ON login_sessions(user_id);
CREATE INDEX login_sessions_by_expiry ON login_sessions(expires);
