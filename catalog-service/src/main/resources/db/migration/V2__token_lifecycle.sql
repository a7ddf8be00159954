-- Tokens can be named, listed and revoked; the last use is kept (to the minute) to spot stale ones.
ALTER TABLE tokens ADD COLUMN name text;
ALTER TABLE tokens ADD COLUMN last_used_at timestamptz;
-- A revoked token stays as a record of what existed; every lookup skips it.
ALTER TABLE tokens ADD COLUMN revoked_at timestamptz;
