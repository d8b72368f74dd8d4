-- The device operations name their owner by pool and username and need back only the user's id
-- and the username as created. The UNIQUE index on (pool_seq, username_key) finds the row but
-- holds neither of those beyond the rowid, so every device call also read the user's row: with
-- the SRP verifier some 500 bytes, eight to a page, which on a database of many users is a page
-- nothing else has touched. This index holds the username too, so the lookup stays in it.
CREATE INDEX users_by_name_key ON users(pool_seq, username_key, username);
