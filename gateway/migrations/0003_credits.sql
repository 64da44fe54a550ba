-- Exact billing (src/billing/): a billed ledger row now records what the edit cost in credit units
-- (the price of its operation; 0 for `ze_test_` keys) and the credit hold it settles. The account's
-- balance lives in its AccountBalance Durable Object; a hold that neither settles nor is released
-- (the Worker died between the GPU call and the answer) is resolved by that object's alarm: billed
-- when a ledger row names the hold, refunded when none does.
ALTER TABLE ledger ADD COLUMN hold_id TEXT;
ALTER TABLE ledger ADD COLUMN operation TEXT;
CREATE UNIQUE INDEX ledger_by_hold ON ledger (hold_id) WHERE hold_id IS NOT NULL;
