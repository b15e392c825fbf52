-- Team actuals (issue 12, team-actuals-and-private-domain-ops.md): the hours team members declare
-- per project and Shanghai day (a timesheet), the projects (billable or support) ops manage, the
-- months ops close, and every change with who made it and why (the audit trail).
CREATE TABLE actual_projects (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  type text NOT NULL CHECK (type IN ('billable', 'support')),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX actual_projects_name ON actual_projects (lower(name));

CREATE TABLE actual_entries (
  user_id uuid NOT NULL REFERENCES users (id),
  project_id uuid NOT NULL REFERENCES actual_projects (id),
  day date NOT NULL,
  -- Quarter hours; a day's total over every project is at most 24 (checked on write).
  hours numeric(4, 2) NOT NULL CHECK (hours > 0 AND hours <= 24 AND hours * 4 = trunc(hours * 4)),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  updated_at timestamptz NOT NULL,
  updated_by uuid NOT NULL REFERENCES users (id),
  PRIMARY KEY (user_id, day, project_id)
);
CREATE INDEX actual_entries_day ON actual_entries (day);

-- A month ops have closed: members can no longer change its days.
CREATE TABLE actual_closed_months (
  month text PRIMARY KEY CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  closed_at timestamptz NOT NULL,
  closed_by uuid NOT NULL REFERENCES users (id)
);

-- Every change of an entry: hours and note before and after (null: no entry), who, when, why.
CREATE TABLE actual_changes (
  id uuid PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_id uuid NOT NULL REFERENCES users (id),
  user_id uuid NOT NULL REFERENCES users (id),
  project_id uuid NOT NULL REFERENCES actual_projects (id),
  day date NOT NULL,
  hours_before numeric(4, 2),
  hours_after numeric(4, 2),
  note_before text,
  note_after text,
  reason text NOT NULL DEFAULT ''
);
CREATE INDEX actual_changes_day ON actual_changes (day);
CREATE INDEX actual_changes_user ON actual_changes (user_id, at);
