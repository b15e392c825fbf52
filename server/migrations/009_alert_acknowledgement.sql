-- An ops manager acknowledges an alert ("seen, on it"): the status bar badge counts only the
-- alerts nobody has acknowledged yet, and the console says who took each one and when.
ALTER TABLE ops_alerts
  ADD COLUMN acknowledged_at timestamptz,
  ADD COLUMN acknowledged_by uuid REFERENCES users (id);
