-- Accounts, API keys (only their peppered HMAC), edits, the append-only usage ledger and
-- idempotency records. Times are Unix milliseconds.

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  hint TEXT NOT NULL,
  environment TEXT NOT NULL CHECK (environment IN ('live', 'test')),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  last_used_at INTEGER
);

CREATE TABLE edits (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  key_id TEXT NOT NULL REFERENCES api_keys (id),
  cache_key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed')),
  cache TEXT NOT NULL CHECK (cache IN ('HIT', 'MISS', 'COALESCED')),
  meta TEXT,
  created_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE INDEX edits_by_cache_key ON edits (cache_key);
CREATE INDEX edits_by_account ON edits (account_id, created_at);

-- One row per edit id, ever: retries, coalesced waiters and replays cannot bill twice.
CREATE TABLE ledger (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  edit_id TEXT NOT NULL UNIQUE REFERENCES edits (id),
  account_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('billed', 'cache_hit')),
  units INTEGER NOT NULL CHECK (units >= 0),
  created_at INTEGER NOT NULL
);
CREATE INDEX ledger_by_account ON ledger (account_id, created_at);
CREATE TRIGGER ledger_append_only_update BEFORE UPDATE ON ledger
BEGIN
  SELECT RAISE(ABORT, 'the ledger is append-only');
END;
CREATE TRIGGER ledger_append_only_delete BEFORE DELETE ON ledger
BEGIN
  SELECT RAISE(ABORT, 'the ledger is append-only');
END;

CREATE TABLE idempotency (
  account_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
  status INTEGER,
  headers TEXT,
  body TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, idempotency_key)
);
