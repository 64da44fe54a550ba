-- Webhooks (src/webhooks/): an account's endpoints (URL, the events wanted, the signing secret,
-- kept to sign every delivery and shown to the account once), one delivery per (endpoint, job
-- event) whose id is the `webhook-id` of every attempt, and every attempt of it.
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE INDEX webhooks_by_account ON webhooks (account_id, created_at);

CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  webhook_id TEXT NOT NULL REFERENCES webhooks (id),
  event TEXT NOT NULL,
  job_id TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  -- While one consumer sends an attempt, no other may (a queue message can arrive twice).
  claimed_until INTEGER,
  created_at INTEGER NOT NULL,
  -- When the current run of retries began (creation, or the last manual redelivery): retries
  -- stop a day after it.
  retry_from INTEGER NOT NULL,
  delivered_at INTEGER,
  UNIQUE (webhook_id, event, job_id)
);
CREATE INDEX deliveries_by_webhook ON webhook_deliveries (webhook_id, created_at);

CREATE TABLE webhook_attempts (
  delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id),
  attempt INTEGER NOT NULL,
  at INTEGER NOT NULL,
  status_code INTEGER,
  error TEXT,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
