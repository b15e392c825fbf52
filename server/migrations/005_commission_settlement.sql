-- Course members and their orders (course-operations-sop.zh.md §8), as the course platform sends
-- them, and the monthly commission settlement runs the ops console proposes and approves.
CREATE TABLE course_members (
  id text PRIMARY KEY,
  name text NOT NULL,
  paying boolean NOT NULL,
  -- Who referred the member (推荐人); the chain may be bad data (a loop): the run says so.
  referrer_id text,
  updated_at timestamptz NOT NULL
);

CREATE TABLE course_orders (
  id text PRIMARY KEY,
  buyer_id text NOT NULL,
  amount numeric(18, 2) NOT NULL CHECK (amount >= 0),
  refunded numeric(18, 2) NOT NULL DEFAULT 0 CHECK (refunded >= 0),
  paid_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX course_orders_paid ON course_orders (paid_at);

CREATE TABLE commission_runs (
  month text PRIMARY KEY CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  state text NOT NULL CHECK (state IN ('proposed', 'approved')),
  -- The MonthSettlement of shared/ops/settlement.ts, as computed at `computed_at`.
  settlement jsonb NOT NULL,
  total numeric(18, 2) NOT NULL,
  computed_at timestamptz NOT NULL,
  computed_by uuid NOT NULL REFERENCES users (id),
  approved_at timestamptz,
  approved_by uuid REFERENCES users (id)
);
