-- Assisted entry (issue 11): an assistant (or a collaborator) who entered a listing from paper
-- sends the draft to the institution for confirmation; the institution's submitter confirms it
-- (which submits it for review) or returns it with a comment. One open request per listing.
CREATE TABLE listing_confirmations (
  id uuid PRIMARY KEY,
  listing_id uuid NOT NULL REFERENCES listings (id),
  revision_id uuid NOT NULL REFERENCES listing_revisions (id),
  requested_by uuid NOT NULL REFERENCES users (id),
  requested_at timestamptz NOT NULL,
  message text NOT NULL DEFAULT '',
  status text NOT NULL CHECK (status IN ('requested', 'confirmed', 'returned')),
  answered_by uuid REFERENCES users (id),
  answered_at timestamptz,
  comment text,
  -- The review item the confirmation's submission opened.
  item_id uuid REFERENCES review_items (id),
  row_version bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX listing_confirmations_open ON listing_confirmations (listing_id)
  WHERE status = 'requested';
CREATE INDEX listing_confirmations_listing ON listing_confirmations (listing_id, requested_at);
