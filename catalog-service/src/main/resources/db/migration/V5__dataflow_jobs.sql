-- A build that runs as a job elsewhere (a Dataflow job) is found again after a restart by that job,
-- as a local build is by its pid, and its polling resumes. The value names the runner and the job:
-- dataflow:projects/P/locations/R/jobs/ID. It stays after the build ends: which job made a version.
ALTER TABLE versions ADD COLUMN job text;
