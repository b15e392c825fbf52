-- Sign-in attempts (issue 14): the limits on failed sign-ins per username and on attempts per
-- client IP live in the database, so every server node sees the same windows and a restart does
-- not reset a lockout. Rows older than the longest window are pruned by the server.
CREATE TABLE sign_in_attempts (
  -- 'username' (failed sign-ins of a normalized username) or 'ip' (every attempt of a client).
  scope text NOT NULL CHECK (scope IN ('username', 'ip')),
  subject text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX sign_in_attempts_window ON sign_in_attempts (scope, subject, at);
CREATE INDEX sign_in_attempts_at ON sign_in_attempts (at);
