-- Time actually spent (issue 5, "team actuals"): how long a reviewer had an item open with the
-- window focused, recorded on the device in slices and synced. Device times are informational;
-- the server's own time of receipt orders nothing but is kept for the audit.
CREATE TABLE time_entries (
  id uuid PRIMARY KEY,
  item_id uuid NOT NULL REFERENCES review_items (id),
  user_id uuid NOT NULL REFERENCES users (id),
  started_at timestamptz NOT NULL,
  seconds integer NOT NULL CHECK (seconds > 0 AND seconds <= 43200),
  recorded_at timestamptz NOT NULL,
  mutation_id uuid,
  row_version bigint NOT NULL DEFAULT 0
);
CREATE INDEX time_entries_item ON time_entries (item_id);
CREATE INDEX time_entries_user ON time_entries (user_id, started_at);
CREATE INDEX time_entries_row_version ON time_entries (row_version);
