-- A reader that keeps a window asks only for the rows of transactions that had not finished at its last read: this
-- index finds them without visiting the window's other rows (a window holds every observation of its timespan).
CREATE INDEX correlation_observations_writer ON correlation_observations (correlation_key, group_key, written_by);
CREATE INDEX retro_hunt_observations_writer ON retro_hunt_observations (correlation_key, group_key, written_by);
