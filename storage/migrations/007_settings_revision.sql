-- A value that changes whenever a pool's settings do, so that a connection holding the parsed
-- settings can tell they are still current from one integer instead of reading and comparing the
-- whole stored text (some 4 KB, on overflow pages) on every request. Triggers rather than store
-- code, so that every writer of settings sets it.
--
-- The value is random, not a counter: a counter would hand out its next value again after a
-- rollback or after a pool is deleted and made again under the same seq and id, and a connection
-- that had read the first settings under that value would keep them. Two settings texts sharing a
-- pool's seq and a random 64-bit value is a 2^-64 chance.

ALTER TABLE user_pools ADD COLUMN settings_revision INTEGER NOT NULL DEFAULT 0;

UPDATE user_pools SET settings_revision = random();

CREATE TRIGGER settings_revision_after_insert AFTER INSERT ON user_pools
BEGIN
    UPDATE user_pools SET settings_revision = random() WHERE seq = NEW.seq;
END;

CREATE TRIGGER settings_revision_after_update AFTER UPDATE OF settings ON user_pools
BEGIN
    UPDATE user_pools SET settings_revision = random() WHERE seq = NEW.seq;
END;
