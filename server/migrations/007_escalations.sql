-- Escalated customer-service conversations (issue 12, course-operations-sop.zh.md §9.2): the
-- AI customer service puts its conversations (PUT /api/v1/support/conversations/:id); one the bot
-- could not answer, or where the customer followed up 3 times in a row, becomes a review item of
-- kind `escalation` for the human desk (assistants, ops managers), who reply and close it.
CREATE TABLE support_conversations (
  id uuid PRIMARY KEY,
  -- The bot platform's own id of the conversation.
  external_id text NOT NULL UNIQUE CHECK (length(external_id) BETWEEN 1 AND 64),
  channel text NOT NULL DEFAULT '',
  customer_id text,
  customer_name text NOT NULL,
  -- How to reach the customer outside the chat (phone, WeChat id): hidden from assistants.
  customer_contact text,
  topic text NOT NULL DEFAULT '',
  state text NOT NULL CHECK (state IN ('bot', 'escalated', 'closed')),
  escalation_reason text CHECK (escalation_reason IN ('follow_ups', 'unanswerable')),
  escalated_at timestamptz,
  -- The response deadline (escalated_at + the setting `escalationResponseHours`).
  respond_by timestamptz,
  first_replied_at timestamptz,
  closed_at timestamptz,
  closed_by uuid REFERENCES users (id),
  resolution text,
  resolution_note text,
  started_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  row_version bigint NOT NULL DEFAULT 0
);
CREATE INDEX support_conversations_row_version ON support_conversations (row_version);

CREATE TABLE support_messages (
  id uuid PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES support_conversations (id),
  -- The bot platform's id of the message; null for replies written in ReviewDesk.
  external_id text,
  author text NOT NULL CHECK (author IN ('customer', 'bot', 'agent')),
  agent_id uuid REFERENCES users (id),
  text text NOT NULL,
  unanswerable boolean NOT NULL DEFAULT false,
  helpful boolean NOT NULL DEFAULT false,
  sent_at timestamptz NOT NULL,
  client_created_at timestamptz,
  mutation_id uuid,
  row_version bigint NOT NULL DEFAULT 0,
  UNIQUE (conversation_id, external_id)
);
CREATE INDEX support_messages_conversation ON support_messages (conversation_id, sent_at);
CREATE INDEX support_messages_row_version ON support_messages (row_version);

-- Backstop: one escalation item per conversation, whatever the intake does.
CREATE UNIQUE INDEX review_items_one_escalation ON review_items (subject_id)
  WHERE kind = 'escalation';
