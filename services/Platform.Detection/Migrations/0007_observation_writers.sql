-- Each observation's writing transaction: an instance keeps the windows it has read and asks the next time only for
-- the rows of transactions that had not finished when it last read (the xmin of that read's snapshot), instead of
-- reading every row of a window again for every batch.
ALTER TABLE correlation_observations ADD COLUMN written_by xid8 NOT NULL DEFAULT pg_current_xact_id();
ALTER TABLE retro_hunt_observations ADD COLUMN written_by xid8 NOT NULL DEFAULT pg_current_xact_id();
