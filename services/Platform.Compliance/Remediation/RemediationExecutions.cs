using Npgsql;
using NpgsqlTypes;
using Platform.ConfigRules.Remediation;

namespace Platform.Compliance.Remediation;

/// <summary>A (rule, resource) whose remediation is asked for.</summary>
public sealed record RemediationResource(string ResourceType, string ResourceId, string? AwsAccountId, string? AwsRegion);

/// <summary>The remediation state of one (rule, resource): the row of <c>remediation_executions</c>.</summary>
public sealed record RemediationExecution(
    string ConfigRuleName,
    string ResourceType,
    string ResourceId,
    string? AwsAccountId,
    string? AwsRegion,
    string State,
    bool Automatic,
    int Attempt,
    DateTimeOffset? WindowStartedAt,
    int WindowAttempts,
    bool Flagged,
    long ComplianceVersion,
    DateTimeOffset InvokedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LeaseUntil,
    string? LastError,
    long StreamVersion,
    Guid? LeaseHolder = null)
{
    public string StreamId => RemediationStreams.StreamId(ConfigRuleName, ResourceType, ResourceId);
}

/// <summary>What asking for a remediation did.</summary>
public enum RemediationRequestOutcome
{
    /// <summary>Queued: an attempt runs shortly.</summary>
    Queued,

    /// <summary>An attempt is queued or running already: nothing new.</summary>
    AlreadyPending,

    /// <summary>The verdict was heard before (a redelivery): nothing new.</summary>
    Duplicate,

    /// <summary>The automatic attempts budget is spent: the resource stays non-compliant, flagged.</summary>
    Held,
}

/// <summary>An attempt an instance holds under a lease, with what it needs to run it.</summary>
public sealed record LeasedAttempt(RemediationExecution Execution, RemediationConfiguration Configuration)
{
    public int Attempt => Execution.Attempt;

    /// <summary>The lease's holder: only it renews the attempt's lease or records its outcome.</summary>
    public Guid Holder => Execution.LeaseHolder!.Value;
}

/// <summary>
/// The remediation executions: each change to a (rule, resource)'s row appends the event that records it to the
/// resource's remediation stream in the same transaction (under the row's lock, so the row's version is the stream's).
/// Asking, leasing due attempts to one instance at a time, recording outcomes, and the reads of the API and timeline.
/// </summary>
public sealed class RemediationExecutions(ComplianceDbContext db, EventStore store, RemediationOptions options, TimeProvider clock)
{
    private const string Columns =
        "config_rule_name, resource_type, resource_id, aws_account_id, aws_region, state, automatic, attempt, window_started_at, " +
        "window_attempts, flagged, compliance_version, invoked_at, updated_at, next_attempt_at, lease_until, last_error, stream_version, lease_holder";

    /// <summary>
    /// Asks for the rule's remediation of <paramref name="resource"/>: automatically for the verdict at
    /// <paramref name="complianceVersion"/> (a version heard before starts nothing; a spent budget holds it, flagged),
    /// or manually by <paramref name="actor"/> (one attempt, outside the automatic budget).
    /// </summary>
    public Task<RemediationRequestOutcome> RequestAsync(
        RemediationConfiguration configuration, RemediationResource resource, long? complianceVersion, string? actor,
        CancellationToken cancellationToken) =>
        InTransactionAsync(async () =>
        {
            var automatic = complianceVersion is not null;
            var now = clock.GetUtcNow();
            var row = await LockAsync(configuration.ConfigRuleName, resource.ResourceType, resource.ResourceId, cancellationToken);
            if (automatic && row is not null && complianceVersion <= row.ComplianceVersion)
            {
                return RemediationRequestOutcome.Duplicate;
            }
            row ??= new RemediationExecution(
                configuration.ConfigRuleName, resource.ResourceType, resource.ResourceId, resource.AwsAccountId, resource.AwsRegion,
                RemediationStates.Succeeded, automatic, 0, null, 0, false, 0, now, now, null, null, null, 0);
            row = row with
            {
                AwsAccountId = resource.AwsAccountId ?? row.AwsAccountId,
                AwsRegion = resource.AwsRegion ?? row.AwsRegion,
                ComplianceVersion = Math.Max(row.ComplianceVersion, complianceVersion ?? 0),
            };
            if (row.State is RemediationStates.Queued or RemediationStates.InProgress)
            {
                await WriteAsync(row, [], cancellationToken);
                return RemediationRequestOutcome.AlreadyPending;
            }
            if (automatic)
            {
                if (row.WindowStartedAt is { } started && now >= started + options.AutomaticAttemptWindow)
                {
                    row = row with { WindowStartedAt = null, WindowAttempts = 0, Flagged = false };
                }
                if (row.WindowAttempts >= configuration.MaximumAutomaticAttempts)
                {
                    var reason = $"{row.WindowAttempts} automatic attempts since {row.WindowStartedAt:O} (MaximumAutomaticAttempts " +
                                 $"{configuration.MaximumAutomaticAttempts} per {options.AutomaticAttemptWindow}): the resource stays non-compliant";
                    await WriteAsync(row with { Flagged = true, LastError = reason, UpdatedAt = now },
                        [new RemediationHeld(reason, complianceVersion!.Value)], cancellationToken);
                    return RemediationRequestOutcome.Held;
                }
            }
            await WriteAsync(
                row with
                {
                    State = RemediationStates.Queued, Automatic = automatic, Attempt = 0, InvokedAt = now, UpdatedAt = now,
                    NextAttemptAt = now, LeaseUntil = null, LeaseHolder = null, LastError = null,
                },
                [new RemediationQueued(automatic, complianceVersion, actor)], cancellationToken);
            return RemediationRequestOutcome.Queued;
        }, cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="limit"/> due attempts whose configuration <paramref name="configurations"/> knows:
    /// queued ones whose time has come, and running ones whose instance's lease ran out (resumed, same attempt number),
    /// to <paramref name="lease"/>'s holder. An attempt of a deleted remediation ends failed; one whose configuration this
    /// instance has not heard of yet waits.
    /// </summary>
    public Task<IReadOnlyList<LeasedAttempt>> LeaseDueAsync(
        LiveRemediations configurations, WorkLease lease, int limit, CancellationToken cancellationToken) =>
        InTransactionAsync<IReadOnlyList<LeasedAttempt>>(async () =>
        {
            var now = clock.GetUtcNow();
            await using var command = Command(
                $"""
                SELECT {Columns} FROM remediation_executions
                WHERE state IN ('{RemediationStates.Queued}', '{RemediationStates.InProgress}') AND next_attempt_at <= $1
                ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED
                """);
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            var due = await ReadAsync(command, cancellationToken);

            var leased = new List<LeasedAttempt>();
            foreach (var row in due)
            {
                if (configurations.Find(row.ConfigRuleName) is not { } configuration)
                {
                    var ended = configurations.IsDeleted(row.ConfigRuleName);
                    await WriteAsync(ended
                        ? row with
                        {
                            State = RemediationStates.Failed, LastError = "the remediation configuration was deleted", UpdatedAt = now,
                            NextAttemptAt = null, LeaseUntil = null, LeaseHolder = null,
                        }
                        : row with { NextAttemptAt = now + options.PollInterval * 5 }, [], cancellationToken);
                    continue;
                }
                var resumed = row.State == RemediationStates.InProgress;
                var attempt = row with
                {
                    State = RemediationStates.InProgress,
                    Attempt = resumed ? row.Attempt : row.Attempt + 1,
                    WindowStartedAt = row.Automatic ? row.WindowStartedAt ?? now : row.WindowStartedAt,
                    WindowAttempts = row.Automatic && !resumed ? row.WindowAttempts + 1 : row.WindowAttempts,
                    UpdatedAt = now,
                    NextAttemptAt = lease.Until,
                    LeaseUntil = lease.Until,
                    LeaseHolder = lease.Holder,
                };
                var version = await WriteAsync(attempt,
                    [new RemediationAttemptStarted(attempt.Attempt, attempt.Automatic, configuration.TargetTypeName, configuration.TargetId, resumed)],
                    cancellationToken);
                leased.Add(new LeasedAttempt(attempt with { StreamVersion = version }, configuration));
            }
            return leased;
        }, cancellationToken);

    /// <summary>
    /// Records how a leased attempt ended, unless its lease was lost meanwhile (false): success; a failure retried after
    /// the remediation's interval while the automatic budget lasts; else failed for good (flagged when automatic).
    /// </summary>
    /// <returns>The event recorded (<see cref="RemediationCompleted"/> or <see cref="RemediationFailed"/>); null when the lease was lost.</returns>
    public Task<object?> RecordOutcomeAsync(LeasedAttempt leased, string? error, CancellationToken cancellationToken) =>
        InTransactionAsync<object?>(async () =>
        {
            var held = leased.Execution;
            var row = await LockAsync(held.ConfigRuleName, held.ResourceType, held.ResourceId, cancellationToken);
            if (row is not { State: RemediationStates.InProgress } || row.LeaseHolder != leased.Holder)
            {
                return null;
            }
            var now = clock.GetUtcNow();
            var configuration = leased.Configuration;
            object outcome;
            if (error is null)
            {
                outcome = new RemediationCompleted(row.ConfigRuleName, row.ResourceType, row.ResourceId, configuration.TargetTypeName,
                    configuration.TargetId, row.Attempt, row.Automatic, now);
                row = row with { State = RemediationStates.Succeeded, LastError = null, NextAttemptAt = null, Flagged = false };
            }
            else
            {
                var willRetry = row.Automatic && row.WindowAttempts < configuration.MaximumAutomaticAttempts;
                outcome = new RemediationFailed(row.ConfigRuleName, row.ResourceType, row.ResourceId, configuration.TargetTypeName,
                    configuration.TargetId, row.Attempt, row.Automatic, error, willRetry, now);
                row = willRetry
                    ? row with { State = RemediationStates.Queued, LastError = error, NextAttemptAt = now + configuration.RetryInterval }
                    : row with { State = RemediationStates.Failed, LastError = error, NextAttemptAt = null, Flagged = row.Automatic };
            }
            await WriteAsync(row with { LeaseUntil = null, LeaseHolder = null, UpdatedAt = now }, [outcome], cancellationToken);
            return outcome;
        }, cancellationToken);

    /// <summary>Extends the lease of the attempts <paramref name="lease"/>'s holder still runs to its end.</summary>
    public async Task RenewAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = Command(
                $"""
                UPDATE remediation_executions SET lease_until = $2, next_attempt_at = $2
                WHERE lease_holder = $1 AND state = '{RemediationStates.InProgress}'
                """);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = lease.Holder });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = lease.Until });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The rule's executions in (resource type, resource id) order, after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<RemediationExecution>> ListAsync(
        string configRuleName, (string ResourceType, string ResourceId)? after, int limit, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = Command(
                $"""
                SELECT {Columns} FROM remediation_executions
                WHERE config_rule_name = $1 AND ($2::text IS NULL OR (resource_type, resource_id) > ($2, $3))
                ORDER BY resource_type, resource_id LIMIT $4
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = configRuleName });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)after?.ResourceType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)after?.ResourceId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            return await ReadAsync(command, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The rules that have remediated (or been asked to remediate) the resource.</summary>
    public async Task<IReadOnlyList<string>> RulesOfAsync(string resourceType, string resourceId, CancellationToken cancellationToken) =>
        await db.Database
            .SqlQuery<string>($"SELECT config_rule_name AS \"Value\" FROM remediation_executions WHERE resource_type = {resourceType} AND resource_id = {resourceId} ORDER BY 1")
            .ToListAsync(cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a transaction and commits it with the events it staged.</summary>
    private async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await work();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private async Task<RemediationExecution?> LockAsync(string rule, string resourceType, string resourceId, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"SELECT {Columns} FROM remediation_executions WHERE config_rule_name = $1 AND resource_type = $2 AND resource_id = $3 FOR UPDATE");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = rule });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = resourceType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = resourceId });
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Writes the row and stages <paramref name="events"/> on its stream; returns the stream's version after them.</summary>
    private async Task<long> WriteAsync(RemediationExecution row, IReadOnlyList<object> events, CancellationToken cancellationToken)
    {
        var version = events.Count == 0
            ? row.StreamVersion
            : store.Append(row.StreamId, row.StreamVersion, events, new EventMetadata(Actor(events)));
        await using var command = Command(
            $"""
            INSERT INTO remediation_executions ({Columns})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
            ON CONFLICT (config_rule_name, resource_type, resource_id) DO UPDATE SET
                aws_account_id = $4, aws_region = $5, state = $6, automatic = $7, attempt = $8, window_started_at = $9,
                window_attempts = $10, flagged = $11, compliance_version = $12, invoked_at = $13, updated_at = $14,
                next_attempt_at = $15, lease_until = $16, last_error = $17, stream_version = $18, lease_holder = $19
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.ConfigRuleName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.ResourceType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.ResourceId });
        command.Parameters.Add(Text(row.AwsAccountId));
        command.Parameters.Add(Text(row.AwsRegion));
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.State });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = row.Automatic });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = row.Attempt });
        command.Parameters.Add(Time(row.WindowStartedAt));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = row.WindowAttempts });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = row.Flagged });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = row.ComplianceVersion });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = row.InvokedAt });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = row.UpdatedAt });
        command.Parameters.Add(Time(row.NextAttemptAt));
        command.Parameters.Add(Time(row.LeaseUntil));
        command.Parameters.Add(Text(row.LastError));
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = version });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)row.LeaseHolder ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return version;
    }

    /// <summary>Who caused the change: the person of a manual request, else the remediation itself.</summary>
    private static string Actor(IReadOnlyList<object> events) =>
        events is [RemediationQueued { Actor: { } actor }] ? actor : "remediation";

    private NpgsqlCommand Command(string sql)
    {
        var command = ((NpgsqlConnection)db.Database.GetDbConnection()).CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static async Task<List<RemediationExecution>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<RemediationExecution>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new RemediationExecution(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), NullableText(reader, 3), NullableText(reader, 4),
                reader.GetString(5), reader.GetBoolean(6), reader.GetInt32(7), NullableTime(reader, 8), reader.GetInt32(9),
                reader.GetBoolean(10), reader.GetInt64(11), reader.GetFieldValue<DateTimeOffset>(12), reader.GetFieldValue<DateTimeOffset>(13),
                NullableTime(reader, 14), NullableTime(reader, 15), NullableText(reader, 16), reader.GetInt64(17),
                reader.IsDBNull(18) ? null : reader.GetGuid(18)));
        }
        return rows;
    }

    private static string? NullableText(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
