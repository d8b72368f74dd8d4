-- Each pool's number of users, kept exact by triggers, so that DescribeUserPool's
-- EstimatedNumberOfUsers reads one row instead of counting the pool's users on every call.
-- Triggers rather than store code, so that every writer keeps it: the store, seeds, the benchmark's
-- bulk load, and the deletes ON DELETE CASCADE makes when a pool goes (their UPDATE then finds no
-- row, as the pool's own row is already gone). INSERT OR REPLACE into users would bypass the
-- delete trigger (SQLite fires none for REPLACE without recursive_triggers); nothing writes so.

ALTER TABLE user_pools ADD COLUMN user_count INTEGER NOT NULL DEFAULT 0;

UPDATE user_pools
SET user_count = (SELECT count(*) FROM users WHERE users.pool_seq = user_pools.seq);

CREATE TRIGGER user_count_after_insert AFTER INSERT ON users
BEGIN
    UPDATE user_pools SET user_count = user_count + 1 WHERE seq = NEW.pool_seq;
END;

CREATE TRIGGER user_count_after_delete AFTER DELETE ON users
BEGIN
    UPDATE user_pools SET user_count = user_count - 1 WHERE seq = OLD.pool_seq;
END;

-- Nothing moves a user to another pool; should anything ever, the counts follow.
CREATE TRIGGER user_count_after_move AFTER UPDATE OF pool_seq ON users
WHEN NEW.pool_seq IS NOT OLD.pool_seq
BEGIN
    UPDATE user_pools SET user_count = user_count - 1 WHERE seq = OLD.pool_seq;
    UPDATE user_pools SET user_count = user_count + 1 WHERE seq = NEW.pool_seq;
END;
