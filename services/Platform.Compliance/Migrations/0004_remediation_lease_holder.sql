-- A runner's lease is short and renewed while the attempt runs (Platform.ServiceDefaults LeasedWorker): lease_holder
-- names the lease, so only its holder renews the row (lease_until and next_attempt_at) or records the attempt's outcome.
ALTER TABLE remediation_executions ADD COLUMN lease_holder uuid;
CREATE INDEX remediation_executions_by_lease_holder ON remediation_executions (lease_holder) WHERE lease_holder IS NOT NULL;
