-- Pools that ignore case look attributes (email and phone aliases, email usernames) up by their
-- ASCII-folded value; this index serves lower(value) = lower(?) without a scan.
CREATE INDEX user_attributes_by_folded_value ON user_attributes(name, lower(value));
