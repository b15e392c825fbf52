-- ReviewDesk schema, version 1. Runs unchanged on PGlite and PostgreSQL 15+.
--
-- Conventions: snake_case, NOT NULL unless absence means something, ids are UUIDs made by the
-- application, every time is timestamptz in UTC and comes from the server's clock (passed as a
-- parameter, never now(), so tests can move time). Rows that clients mirror carry `row_version`:
-- the value of the space version counter (sync_space) of the transaction that last wrote them.

CREATE TABLE server_meta (
  key text PRIMARY KEY,
  value text NOT NULL
);

-- ── People ──────────────────────────────────────────────────────────────────────────────────

CREATE TABLE institutions (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('institution', 'tutor')),
  credit_code text,
  created_at timestamptz NOT NULL,
  row_version bigint NOT NULL DEFAULT 0
);
CREATE INDEX institutions_row_version ON institutions (row_version);

-- Team members: everyone who signs in. Submitters and collaborators belong to an institution.
CREATE TABLE users (
  id uuid PRIMARY KEY,
  username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9_.-]{1,31}$'),
  display_name text NOT NULL,
  role text NOT NULL CHECK (
    role IN ('submitter', 'collaborator', 'assistant', 'reviewer', 'ops_manager', 'ta', 'mentor')
  ),
  active boolean NOT NULL DEFAULT true,
  password_hash text NOT NULL,
  institution_id uuid REFERENCES institutions (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  row_version bigint NOT NULL DEFAULT 0
);
CREATE INDEX users_row_version ON users (row_version);

CREATE TABLE mentor_profiles (
  id uuid PRIMARY KEY,
  institution_id uuid REFERENCES institutions (id),
  name text NOT NULL,
  title text NOT NULL DEFAULT '',
  verified boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  row_version bigint NOT NULL DEFAULT 0
);
CREATE INDEX mentor_profiles_row_version ON mentor_profiles (row_version);

-- Refresh tokens are stored hashed; a family is one sign-in. Presenting a token that was already
-- used revokes its whole family (reuse detection: the token was stolen or replayed).
CREATE TABLE refresh_tokens (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id),
  token_hash text NOT NULL UNIQUE,
  issued_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz,
  replaced_by uuid
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- ── Listings ────────────────────────────────────────────────────────────────────────────────

CREATE TABLE listings (
  id uuid PRIMARY KEY,
  institution_id uuid NOT NULL REFERENCES institutions (id),
  owner_id uuid NOT NULL REFERENCES users (id),
  state text NOT NULL CHECK (state IN ('draft', 'pending', 'in_review', 'rejected', 'live', 'offline')),
  -- The revision being edited or reviewed, and the one the market shows (may differ during an update).
  current_revision_id uuid,
  live_revision_id uuid,
  name text NOT NULL DEFAULT '',
  country text,
  offline_reason text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  deleted_at timestamptz,
  row_version bigint NOT NULL DEFAULT 0
);
CREATE INDEX listings_institution ON listings (institution_id);
CREATE INDEX listings_state ON listings (state);
CREATE INDEX listings_row_version ON listings (row_version);

CREATE TABLE listing_revisions (
  id uuid PRIMARY KEY,
  listing_id uuid NOT NULL REFERENCES listings (id),
  number integer NOT NULL CHECK (number >= 1),
  state text NOT NULL CHECK (
    state IN ('draft', 'pending', 'in_review', 'rejected', 'live', 'offline', 'superseded', 'withdrawn')
  ),
  document jsonb NOT NULL,
  -- Indexed copies of document fields the queue filters and searches on.
  name text NOT NULL DEFAULT '',
  country text,
  stages text[] NOT NULL DEFAULT '{}',
  provider_name text NOT NULL DEFAULT '',
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  submitted_at timestamptz,
  decided_at timestamptz,
  row_version bigint NOT NULL DEFAULT 0,
  UNIQUE (listing_id, number)
);
CREATE INDEX listing_revisions_state ON listing_revisions (state);
CREATE INDEX listing_revisions_row_version ON listing_revisions (row_version);

-- Uploaded credential files (licences, contract samples, certificates), content-addressed per listing.
CREATE TABLE credential_files (
  id uuid PRIMARY KEY,
  listing_id uuid NOT NULL REFERENCES listings (id),
  institution_id uuid NOT NULL REFERENCES institutions (id),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  mime_type text NOT NULL CHECK (mime_type IN ('application/pdf', 'image/jpeg', 'image/png', 'image/webp')),
  size_bytes bigint NOT NULL CHECK (size_bytes > 0),
  original_name text NOT NULL,
  storage_key text NOT NULL,
  uploaded_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  row_version bigint NOT NULL DEFAULT 0,
  UNIQUE (listing_id, sha256)
);
CREATE INDEX credential_files_row_version ON credential_files (row_version);

-- ── The generic review core ─────────────────────────────────────────────────────────────────

-- One row per thing in a queue. `kind` names the review-kind module that owns it (listing
-- revision, homework, refund, …); the core never interprets `subject_id` itself.
CREATE TABLE review_items (
  id uuid PRIMARY KEY,
  kind text NOT NULL,
  subject_id uuid NOT NULL,
  revision_id uuid,
  state text NOT NULL CHECK (state IN ('pending', 'in_review', 'decided', 'withdrawn', 'cancelled')),
  priority integer NOT NULL DEFAULT 0,
  due_at timestamptz,
  assignee_id uuid REFERENCES users (id),
  supersedes_item_id uuid REFERENCES review_items (id),
  title text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  row_version bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX review_items_one_per_revision ON review_items (kind, revision_id)
  WHERE revision_id IS NOT NULL;
CREATE INDEX review_items_queue ON review_items (kind, state, created_at);
CREATE INDEX review_items_subject ON review_items (subject_id);
CREATE INDEX review_items_row_version ON review_items (row_version);

-- Claims are leases. Backstop: at most one unreleased claim per item, whatever the code does.
CREATE TABLE claims (
  id uuid PRIMARY KEY,
  item_id uuid NOT NULL REFERENCES review_items (id),
  reviewer_id uuid NOT NULL REFERENCES users (id),
  claimed_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  released_at timestamptz,
  release_reason text,
  assigned_by uuid REFERENCES users (id)
);
CREATE UNIQUE INDEX claims_one_active_per_item ON claims (item_id) WHERE released_at IS NULL;
CREATE INDEX claims_reviewer ON claims (reviewer_id) WHERE released_at IS NULL;

-- Backstop: one final decision per item and per revision.
CREATE TABLE decisions (
  id uuid PRIMARY KEY,
  item_id uuid NOT NULL REFERENCES review_items (id),
  revision_id uuid,
  kind text NOT NULL,
  outcome text NOT NULL,
  is_final boolean NOT NULL,
  reviewer_id uuid NOT NULL REFERENCES users (id),
  reasons jsonb NOT NULL DEFAULT '[]',
  note text NOT NULL DEFAULT '',
  details jsonb NOT NULL DEFAULT '{}',
  flags jsonb NOT NULL DEFAULT '[]',
  decided_at timestamptz NOT NULL,
  client_created_at timestamptz,
  mutation_id uuid,
  row_version bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX decisions_one_final_per_item ON decisions (item_id) WHERE is_final;
CREATE UNIQUE INDEX decisions_one_final_per_revision ON decisions (revision_id)
  WHERE is_final AND revision_id IS NOT NULL;
CREATE INDEX decisions_row_version ON decisions (row_version);

-- Review comments anchored to a field (JSON Pointer) and grouped by reason.
CREATE TABLE field_comments (
  id uuid PRIMARY KEY,
  item_id uuid NOT NULL REFERENCES review_items (id),
  revision_id uuid,
  decision_id uuid REFERENCES decisions (id),
  author_id uuid NOT NULL REFERENCES users (id),
  path text NOT NULL,
  reason_code text NOT NULL CHECK (
    reason_code IN ('missing_material', 'credential_problem', 'unclear_description', 'other')
  ),
  text text NOT NULL,
  carried_from_id uuid REFERENCES field_comments (id),
  field_changed boolean,
  created_at timestamptz NOT NULL,
  client_created_at timestamptz,
  mutation_id uuid,
  row_version bigint NOT NULL DEFAULT 0
);
CREATE INDEX field_comments_item ON field_comments (item_id);
CREATE INDEX field_comments_row_version ON field_comments (row_version);

-- Every transition, claim, comment and decision, with who and when (server and device time).
CREATE TABLE audit_events (
  id uuid PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_id uuid REFERENCES users (id),
  subject_type text NOT NULL,
  subject_id uuid NOT NULL,
  item_id uuid REFERENCES review_items (id),
  action text NOT NULL,
  from_state text,
  to_state text,
  reason text,
  details jsonb NOT NULL DEFAULT '{}',
  mutation_id uuid,
  client_created_at timestamptz,
  row_version bigint NOT NULL DEFAULT 0
);
CREATE INDEX audit_events_subject ON audit_events (subject_id, at);
CREATE INDEX audit_events_item ON audit_events (item_id);
CREATE INDEX audit_events_row_version ON audit_events (row_version);

-- ── Course operations ───────────────────────────────────────────────────────────────────────

CREATE TABLE homework_submissions (
  id uuid PRIMARY KEY,
  student_id text NOT NULL,
  student_name text NOT NULL,
  chapter text NOT NULL CHECK (chapter <> ''),
  article_url text NOT NULL,
  reflection text NOT NULL DEFAULT '',
  screenshots jsonb NOT NULL DEFAULT '[]',
  state text NOT NULL CHECK (state IN ('submitted', 'ta_passed', 'ta_rejected', 'mentor_reviewed', 'archived')),
  score integer CHECK (score BETWEEN 0 AND 100),
  ta_feedback text,
  ta_id uuid REFERENCES users (id),
  mentor_id uuid REFERENCES users (id),
  excellent boolean,
  mentor_comment text,
  submitted_at timestamptz NOT NULL,
  ta_due_at timestamptz NOT NULL,
  ta_decided_at timestamptz,
  mentor_reviewed_at timestamptz,
  archived_at timestamptz,
  updated_at timestamptz NOT NULL,
  row_version bigint NOT NULL DEFAULT 0
);
CREATE INDEX homework_submissions_row_version ON homework_submissions (row_version);

CREATE TABLE homework_files (
  id uuid PRIMARY KEY,
  submission_id uuid NOT NULL REFERENCES homework_submissions (id),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  mime_type text NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes > 0),
  original_name text NOT NULL,
  storage_key text NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (submission_id, sha256)
);

CREATE TABLE refund_requests (
  id uuid PRIMARY KEY,
  student_id text NOT NULL,
  student_name text NOT NULL,
  order_id text NOT NULL,
  amount numeric(18, 2) NOT NULL CHECK (amount > 0),
  currency text NOT NULL DEFAULT 'CNY',
  purchased_at timestamptz NOT NULL,
  requested_at timestamptz NOT NULL,
  progress_percent numeric(5, 2) NOT NULL CHECK (progress_percent BETWEEN 0 AND 100),
  eligible boolean NOT NULL,
  ineligibility_reasons jsonb NOT NULL DEFAULT '[]',
  state text NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
  decided_by uuid REFERENCES users (id),
  decided_at timestamptz,
  refund_due_by date,
  updated_at timestamptz NOT NULL,
  row_version bigint NOT NULL DEFAULT 0
);
CREATE INDEX refund_requests_row_version ON refund_requests (row_version);

CREATE TABLE commission_records (
  id uuid PRIMARY KEY,
  order_id text NOT NULL,
  buyer_id text NOT NULL,
  member_id text NOT NULL,
  level integer NOT NULL CHECK (level BETWEEN 1 AND 3),
  rate numeric(5, 4) NOT NULL,
  amount numeric(18, 2) NOT NULL,
  settle_on date NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (order_id, level)
);

-- ── Sync (RSP/1) ────────────────────────────────────────────────────────────────────────────

-- The per-space version counter. Every transaction that changes mirrored rows takes the next
-- value with UPDATE … RETURNING; the row lock orders writers, so commit order equals version
-- order and a pull by version never skips a row committed late.
CREATE TABLE sync_space (
  space_id text PRIMARY KEY,
  version bigint NOT NULL
);
INSERT INTO sync_space (space_id, version) VALUES ('main', 0);

CREATE TABLE sync_clients (
  client_id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  last_seq bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL
);

-- One stored result per processed mutation: a retried push gets the same answer, and a lost
-- response costs nothing. mutation_id is unique among originals; a `duplicate` row points at one.
CREATE TABLE sync_mutation_results (
  client_id uuid NOT NULL REFERENCES sync_clients (client_id),
  seq bigint NOT NULL,
  mutation_id uuid NOT NULL,
  name text NOT NULL,
  v integer NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'conflict', 'rejected', 'duplicate')),
  code text,
  message jsonb,
  details jsonb NOT NULL DEFAULT '{}',
  server_time timestamptz NOT NULL,
  space_version bigint NOT NULL,
  PRIMARY KEY (client_id, seq)
);
CREATE UNIQUE INDEX sync_mutation_results_unique_mutation ON sync_mutation_results (mutation_id)
  WHERE status <> 'duplicate';

-- Mutations the server could not run (unknown name or version), kept for an administrator to replay.
CREATE TABLE sync_dead_letter (
  client_id uuid NOT NULL,
  seq bigint NOT NULL,
  mutation_id uuid NOT NULL,
  user_id uuid NOT NULL,
  name text NOT NULL,
  v integer NOT NULL,
  args jsonb NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (client_id, seq)
);

-- Deleted mirrored rows, so that delta pulls can tell clients to drop them.
CREATE TABLE sync_tombstones (
  table_name text NOT NULL,
  row_id uuid NOT NULL,
  version bigint NOT NULL,
  deleted_at timestamptz NOT NULL,
  PRIMARY KEY (table_name, row_id)
);
CREATE INDEX sync_tombstones_version ON sync_tombstones (version);
