-- Pools, users and their attributes, devices, and the record of applied seeds.
-- Times are milliseconds since the epoch; the wire shows them as seconds with a fraction.

CREATE TABLE user_pools (
    seq           INTEGER PRIMARY KEY,          -- creation order, for stable paging
    id            TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    created       INTEGER NOT NULL,
    last_modified INTEGER NOT NULL,
    settings      TEXT NOT NULL                 -- JSON: the rest of DescribeUserPool's UserPool
);
CREATE INDEX user_pools_by_name ON user_pools(name);

CREATE TABLE users (
    id                INTEGER PRIMARY KEY,
    pool_seq          INTEGER NOT NULL REFERENCES user_pools(seq) ON DELETE CASCADE,
    username          TEXT NOT NULL,            -- as created
    username_key      TEXT NOT NULL,            -- as looked up: folded when the pool ignores case
    sub               TEXT NOT NULL,
    status            TEXT NOT NULL,
    enabled           INTEGER NOT NULL,
    created           INTEGER NOT NULL,
    last_modified     INTEGER NOT NULL,
    password_salt     BLOB,                     -- SRP salt and verifier; never the password
    password_verifier BLOB,
    UNIQUE (pool_seq, username_key),
    UNIQUE (pool_seq, sub)
);

CREATE TABLE user_attributes (
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,                  -- keeps the order attributes were given in
    name     TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (user_id, name)
) WITHOUT ROWID;
-- Alias sign-in and ListUsers filters look users up by attribute value.
CREATE INDEX user_attributes_by_value ON user_attributes(name, value);

CREATE TABLE devices (
    seq                INTEGER PRIMARY KEY,     -- creation order, for stable paging
    device_key         TEXT NOT NULL UNIQUE,
    user_id            INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    group_key          TEXT NOT NULL,
    name               TEXT,
    status             TEXT NOT NULL DEFAULT 'valid',
    remembered         INTEGER NOT NULL,
    confirmed          INTEGER NOT NULL,        -- ConfirmDevice has run (seeded devices are)
    last_ip            TEXT,
    created            INTEGER NOT NULL,
    last_modified      INTEGER NOT NULL,
    last_authenticated INTEGER,
    verifier           BLOB,                    -- from ConfirmDevice's DeviceSecretVerifierConfig
    salt               BLOB
);
CREATE INDEX devices_by_user ON devices(user_id, seq);

CREATE TABLE applied_seeds (
    sha256  TEXT PRIMARY KEY,
    applied INTEGER NOT NULL
) WITHOUT ROWID;
