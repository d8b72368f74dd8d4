-- A pool's groups and their members (CreateGroup, AdminAddUserToGroup...). Names that differ only
-- in case are one group, as on Cognito: name_key holds the name with ASCII letters folded.
CREATE TABLE user_groups (
    seq           INTEGER PRIMARY KEY,          -- creation order, for stable paging
    pool_seq      INTEGER NOT NULL REFERENCES user_pools(seq) ON DELETE CASCADE,
    name          TEXT NOT NULL,                -- as created
    name_key      TEXT NOT NULL,
    description   TEXT,
    role_arn      TEXT,
    precedence    INTEGER,                      -- NULL ranks after every number
    created       INTEGER NOT NULL,
    last_modified INTEGER NOT NULL,
    UNIQUE (pool_seq, name_key)
);

CREATE TABLE group_members (
    group_seq INTEGER NOT NULL REFERENCES user_groups(seq) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_seq, user_id)
) WITHOUT ROWID;
-- A user's groups (tokens, AdminListGroupsForUser), and the cascade when a user is deleted.
CREATE INDEX group_members_by_user ON group_members(user_id, group_seq);
