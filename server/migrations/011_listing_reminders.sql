-- Reminders of project-submission-workspace.zh.md §7 (issue 11): a draft untouched for 7 days,
-- a rejection unanswered for 48 hours. Raised by the server's own schedule
-- (server/src/listings/reminders.ts) for the listing's owner, once per occurrence: `basis_at` is
-- the draft's last change or the rejection's time, so a draft touched and left again is reminded
-- again, and a retried round raises nothing twice.
CREATE TABLE listing_reminders (
  id uuid PRIMARY KEY,
  rule text NOT NULL CHECK (rule IN ('stale_draft', 'unanswered_rejection')),
  listing_id uuid NOT NULL REFERENCES listings (id),
  user_id uuid NOT NULL REFERENCES users (id),
  basis_at timestamptz NOT NULL,
  raised_at timestamptz NOT NULL,
  read_at timestamptz,
  details jsonb NOT NULL DEFAULT '{}',
  row_version bigint NOT NULL DEFAULT 0,
  UNIQUE (rule, listing_id, basis_at)
);
CREATE INDEX listing_reminders_user ON listing_reminders (user_id, raised_at);
CREATE INDEX listing_reminders_raised ON listing_reminders (raised_at);
