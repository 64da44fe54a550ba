-- Multi-turn chains (POST /v1/edits with `parent`): an edit made from another edit's result names
-- that edit. The chain is walked from a turn to the original upload by these ids; an edit that is
-- the parent of a live edit cannot be deleted (409 has_children), so a chain's turns and their
-- artifacts stay while any later turn does. Chained edits write their row before their answer,
-- cache hits included, so the parent of a chained edit is always in D1 (a root's id verifies on
-- its own until its row lands, edit-id.ts). NULL for an edit of an uploaded image.
ALTER TABLE edits ADD COLUMN parent_id TEXT;
CREATE INDEX edits_by_parent ON edits (parent_id) WHERE parent_id IS NOT NULL;
