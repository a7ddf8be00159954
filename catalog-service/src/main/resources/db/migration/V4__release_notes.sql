-- What a completed version brings against the previous one: size deltas, rows added, removed and
-- changed by key (as its build counted them), and schema changes. NULL for versions completed
-- before this column existed, or that never completed.
ALTER TABLE versions ADD COLUMN release_notes jsonb;
