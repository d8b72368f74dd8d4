-- Indexes for lookups that scanned or sorted a table: ListUsers pages through one pool's users in
-- id order, and deleting a user or an app client finds their sessions and challenges by foreign
-- key (ON DELETE CASCADE), which scanned both tables without these.

CREATE INDEX users_by_pool ON users(pool_seq, id);
CREATE INDEX auth_sessions_by_client ON auth_sessions(client_seq);
CREATE INDEX challenges_by_user ON challenges(user_id);
CREATE INDEX challenges_by_client ON challenges(client_seq);
