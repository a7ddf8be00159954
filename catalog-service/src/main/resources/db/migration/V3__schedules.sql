-- Timetables read in a time zone, with a TTL of their own; versions remember the run that started
-- them and whether their content equals the previous completed version's.
ALTER TABLE datasets ADD COLUMN schedule_time_zone text;
ALTER TABLE datasets ADD COLUMN schedule_ttl text;
UPDATE datasets SET schedule_time_zone = 'UTC' WHERE schedule_cron IS NOT NULL;

ALTER TABLE versions ADD COLUMN scheduled_for timestamptz;
ALTER TABLE versions ADD COLUMN unchanged boolean NOT NULL DEFAULT false;

-- A timetable's run starts at most one version, whichever service instance starts it (the claim
-- on datasets.last_scheduled_run already decides; this makes a second version impossible).
CREATE UNIQUE INDEX versions_one_per_scheduled_run ON versions (dataset, scheduled_for)
  WHERE scheduled_for IS NOT NULL;
