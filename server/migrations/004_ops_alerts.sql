-- Alerts of the ops console (project-submission-workspace.zh.md §9): raised by the server's own
-- schedule (server/src/ops/alerts.ts), at most once per rule and Shanghai day.
CREATE TABLE ops_alerts (
  id uuid PRIMARY KEY,
  rule text NOT NULL CHECK (rule IN ('submission_spike', 'rejection_rate')),
  -- The Shanghai calendar day the alert is about.
  day date NOT NULL,
  raised_at timestamptz NOT NULL,
  value double precision NOT NULL,
  threshold double precision NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  row_version bigint NOT NULL DEFAULT 0,
  UNIQUE (rule, day)
);
CREATE INDEX ops_alerts_raised ON ops_alerts (raised_at);
