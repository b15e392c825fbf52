-- Collaborators of one listing (project-submission-workspace.zh.md §6, issue 11): the listing's
-- owner invites members of its institution; an invited collaborator edits the listing's drafts
-- and never submits them. A removal keeps the row (`removed_at`): who was invited, by whom and
-- when stays part of the draft's history; inviting the same person again adds a new row.
CREATE TABLE listing_collaborators (
  id uuid PRIMARY KEY,
  listing_id uuid NOT NULL REFERENCES listings (id),
  user_id uuid NOT NULL REFERENCES users (id),
  invited_by uuid NOT NULL REFERENCES users (id),
  invited_at timestamptz NOT NULL,
  removed_at timestamptz,
  removed_by uuid REFERENCES users (id),
  row_version bigint NOT NULL DEFAULT 0
);
-- At most one standing invitation per person and listing.
CREATE UNIQUE INDEX listing_collaborators_active ON listing_collaborators (listing_id, user_id)
  WHERE removed_at IS NULL;
CREATE INDEX listing_collaborators_user ON listing_collaborators (user_id) WHERE removed_at IS NULL;
