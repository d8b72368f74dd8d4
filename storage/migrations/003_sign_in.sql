-- Sign-in: app clients, pool signing keys, auth sessions (a refresh token and the tokens minted
-- from it), pending challenges, and the per-user global sign-out mark.

ALTER TABLE user_pools ADD COLUMN signing_keys TEXT;   -- JSON {"access": PEM, "id": PEM}; made on first use

ALTER TABLE users ADD COLUMN revoked_before INTEGER NOT NULL DEFAULT 0; -- GlobalSignOut, epoch seconds

CREATE TABLE app_clients (
    seq           INTEGER PRIMARY KEY,          -- creation order, for stable paging
    id            TEXT NOT NULL UNIQUE,
    pool_seq      INTEGER NOT NULL REFERENCES user_pools(seq) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    secret        TEXT,                         -- NULL when the client has no secret
    created       INTEGER NOT NULL,
    last_modified INTEGER NOT NULL,
    settings      TEXT NOT NULL                 -- JSON: the rest of the UserPoolClient shape
);
CREATE INDEX app_clients_by_pool ON app_clients(pool_seq, seq);

CREATE TABLE auth_sessions (
    origin_jti      TEXT PRIMARY KEY,           -- shared by every token of one sign-in
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_seq      INTEGER NOT NULL REFERENCES app_clients(seq) ON DELETE CASCADE,
    refresh_hash    TEXT NOT NULL UNIQUE,       -- SHA-256 of the refresh token; never the token
    device_key      TEXT,                       -- the device the sign-in was bound to
    auth_time       INTEGER NOT NULL,           -- epoch seconds
    refresh_expires INTEGER NOT NULL,           -- epoch seconds
    revoked         INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX auth_sessions_by_user ON auth_sessions(user_id);

CREATE TABLE challenges (
    session_hash TEXT PRIMARY KEY,              -- SHA-256 of the Session string
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_seq   INTEGER NOT NULL REFERENCES app_clients(seq) ON DELETE CASCADE,
    name         TEXT NOT NULL,                 -- NEW_PASSWORD_REQUIRED, ...
    expires      INTEGER NOT NULL,              -- epoch milliseconds
    state        TEXT NOT NULL                  -- JSON: what the next step needs
) WITHOUT ROWID;
