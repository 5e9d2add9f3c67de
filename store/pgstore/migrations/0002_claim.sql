-- Leases of the outbox shared by several instances (core.Claimer): a record is
-- claimed until this time; a put of the record ends the lease.
ALTER TABLE engage_kv ADD COLUMN claimed_until timestamptz;
