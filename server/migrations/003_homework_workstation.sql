-- The homework workstation (issue 10): rubrics and the comment bank per chapter, the roster of
-- students with their progress and the last time someone contacted them, the evidence snapshots
-- of submissions, and the student record that archived work is written to. All mirrored.

-- A course chapter's rubric, managed by ops managers. `criteria` is an array of
-- {id, title, description, points} (at most 9: TAs score them with the keys 1–9); the points add up
-- to `max_score` (checked by the shared domain rule, `validateRubric`). `revision` counts saves: a
-- grade names the revision it was scored against.
CREATE TABLE rubrics (
  id uuid PRIMARY KEY,
  chapter text NOT NULL UNIQUE CHECK (chapter <> ''),
  title text NOT NULL DEFAULT '',
  max_score integer NOT NULL CHECK (max_score BETWEEN 1 AND 100),
  criteria jsonb NOT NULL,
  revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
  updated_by uuid REFERENCES users (id),
  updated_at timestamptz NOT NULL,
  row_version bigint NOT NULL DEFAULT 0
);
CREATE INDEX rubrics_row_version ON rubrics (row_version);

-- Reusable feedback per chapter (the comment bank). `use_count` grows with every grade that
-- inserted the entry; `language` is the course language the text is written in.
CREATE TABLE comment_bank (
  id uuid PRIMARY KEY,
  chapter text NOT NULL CHECK (chapter <> ''),
  language text NOT NULL DEFAULT 'zh-CN' CHECK (language IN ('zh-CN', 'en')),
  text text NOT NULL CHECK (text <> ''),
  use_count integer NOT NULL DEFAULT 0 CHECK (use_count >= 0),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  deleted_at timestamptz,
  row_version bigint NOT NULL DEFAULT 0
);
CREATE INDEX comment_bank_chapter ON comment_bank (chapter);
CREATE INDEX comment_bank_row_version ON comment_bank (row_version);

-- The course roster: who joined when, in which cohort, how far they are, and the SOP's
-- private-chat intervention (the last contact note).
CREATE TABLE students (
  id uuid PRIMARY KEY,
  student_id text NOT NULL UNIQUE CHECK (student_id <> ''),
  name text NOT NULL,
  cohort text NOT NULL DEFAULT '',
  language text NOT NULL DEFAULT 'zh-CN' CHECK (language IN ('zh-CN', 'en')),
  joined_at timestamptz NOT NULL,
  progress_percent numeric(5, 2) NOT NULL DEFAULT 0 CHECK (progress_percent BETWEEN 0 AND 100),
  purchased_at timestamptz,
  contacted_at timestamptz,
  contacted_by uuid REFERENCES users (id),
  contact_note text,
  updated_at timestamptz NOT NULL,
  row_version bigint NOT NULL DEFAULT 0
);
CREATE INDEX students_row_version ON students (row_version);

-- What the student submitted, frozen: the server fetches nothing from the internet, it stores the
-- text, the link and the screenshots' hashes as they arrived, with a SHA-256 over them
-- (`homeworkEvidenceDigest`). An update of the submission through the API adds a version.
CREATE TABLE homework_evidence (
  id uuid PRIMARY KEY,
  submission_id uuid NOT NULL REFERENCES homework_submissions (id),
  version integer NOT NULL CHECK (version >= 1),
  article_url text NOT NULL,
  article_text text NOT NULL DEFAULT '',
  reflection text NOT NULL DEFAULT '',
  screenshots jsonb NOT NULL DEFAULT '[]',
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  captured_at timestamptz NOT NULL,
  row_version bigint NOT NULL DEFAULT 0,
  UNIQUE (submission_id, version)
);
CREATE INDEX homework_evidence_row_version ON homework_evidence (row_version);

-- The student record (学员档案): one row per archived submission.
CREATE TABLE student_records (
  id uuid PRIMARY KEY,
  submission_id uuid NOT NULL UNIQUE REFERENCES homework_submissions (id),
  student_id text NOT NULL,
  student_name text NOT NULL,
  chapter text NOT NULL,
  score integer CHECK (score BETWEEN 0 AND 100),
  excellent boolean NOT NULL,
  mentor_comment text,
  ta_id uuid REFERENCES users (id),
  mentor_id uuid REFERENCES users (id),
  archived_at timestamptz NOT NULL,
  row_version bigint NOT NULL DEFAULT 0
);
CREATE INDEX student_records_student ON student_records (student_id);
CREATE INDEX student_records_row_version ON student_records (row_version);

-- The submission's full article text (what the link pointed to when it was submitted, sent by the
-- course platform), the current evidence digest, and what the grade was based on.
ALTER TABLE homework_submissions ADD COLUMN article_text text NOT NULL DEFAULT '';
ALTER TABLE homework_submissions ADD COLUMN evidence_sha256 text;
ALTER TABLE homework_submissions ADD COLUMN evidence_version integer NOT NULL DEFAULT 1;
ALTER TABLE homework_submissions ADD COLUMN criterion_scores jsonb;
ALTER TABLE homework_submissions ADD COLUMN graded_evidence_sha256 text;
ALTER TABLE homework_submissions ADD COLUMN duplicate_flags jsonb NOT NULL DEFAULT '[]';

-- `review-desk homework export --chapter N` reads the student record by chapter.
CREATE INDEX student_records_chapter ON student_records (chapter);
