-- Every bucket of the engine in one table. Keys are bytea so that order is byte
-- order, as in bbolt (text would follow a collation and refuse bytes that are not
-- UTF-8).
CREATE TABLE engage_kv (
    bucket text  NOT NULL,
    key    bytea NOT NULL,
    value  bytea NOT NULL,
    PRIMARY KEY (bucket, key)
);
