-- The catalog: dataset definitions, their versions (builds) and API tokens.

CREATE TABLE datasets (
  name               text PRIMARY KEY,
  source             text NOT NULL,
  query              text,
  table_name         text,
  formats            text[] NOT NULL,
  partition_column   text,
  partitions         integer,
  default_ttl        text,
  description        text,
  creators           jsonb NOT NULL DEFAULT '[]',
  license            text,
  schedule_cron      text,
  schedule_keep_last integer,
  ad_hoc             boolean NOT NULL DEFAULT false,
  -- Version numbers are handed out from here under the row lock, never reused.
  next_version       integer NOT NULL DEFAULT 1,
  last_scheduled_run timestamptz,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  deleted_at         timestamptz,
  CHECK ((query IS NULL) <> (table_name IS NULL))
);

CREATE TABLE versions (
  dataset            text NOT NULL REFERENCES datasets (name),
  version            integer NOT NULL,
  build_id           text NOT NULL UNIQUE,
  status             text NOT NULL CHECK (status IN
                       ('PENDING', 'QUEUED', 'EXECUTING', 'COMPLETED', 'ERROR', 'ABORTED', 'EXPIRED', 'DELETED')),
  request            jsonb NOT NULL,
  request_key        text NOT NULL,
  ttl                text,
  partitions_done    integer NOT NULL DEFAULT 0,
  partitions_total   integer NOT NULL DEFAULT 0,
  rows               bigint NOT NULL DEFAULT 0,
  bytes              bigint NOT NULL DEFAULT 0,
  created_at         timestamptz NOT NULL,
  started_at         timestamptz,
  finished_at        timestamptz,
  expires_at         timestamptz,
  status_changed_at  timestamptz NOT NULL,
  pinned             boolean NOT NULL DEFAULT false,
  content_digest     text,
  address            text,
  manifest_uri       text,
  build_record_uri   text,
  -- The committed manifest, so that a tombstone keeps its metadata after its files are gone.
  manifest           text,
  error_type         text,
  error_message      text,
  pid                bigint,
  files_deleted_at   timestamptz,
  PRIMARY KEY (dataset, version)
);

-- Single-flight: at most one unfinished build per dataset and request.
CREATE UNIQUE INDEX versions_one_active_build ON versions (dataset, request_key)
  WHERE status IN ('PENDING', 'QUEUED', 'EXECUTING');
CREATE INDEX versions_queue ON versions (created_at, dataset, version) WHERE status = 'QUEUED';
CREATE INDEX versions_content ON versions (dataset, address) WHERE address IS NOT NULL;
CREATE INDEX versions_expiry ON versions (expires_at) WHERE status = 'COMPLETED' AND NOT pinned;

CREATE TABLE tokens (
  id          text PRIMARY KEY,
  -- SHA-256 of the whole token; the token itself is shown once and never stored.
  token_hash  text NOT NULL UNIQUE,
  scope       text NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
  created_at  timestamptz NOT NULL
);
