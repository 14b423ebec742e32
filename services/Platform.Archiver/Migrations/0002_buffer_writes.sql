-- What each buffered event costs the database. seq orders the buffer inside the pending and file indexes, and no query
-- looks an event up by seq alone: its own unique index was one more index written for every event buffered and again
-- for every event assigned to a file.
ALTER TABLE archive_buffer DROP CONSTRAINT archive_buffer_seq_key;

-- Records compressed with LZ4 (faster than the default pglz) and, once a row passes 2 KB (where Postgres starts to
-- shrink rows), moved apart from it until the row is under 512 bytes: assigning events to their file rewrites each
-- row (file_id is indexed, so the update cannot stay on its page), and the rewrite then copies a pointer to the
-- record instead of the record.
ALTER TABLE archive_buffer ALTER COLUMN record SET COMPRESSION lz4;
ALTER TABLE archive_buffer SET (toast_tuple_target = 512);
