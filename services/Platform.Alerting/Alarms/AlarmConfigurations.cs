namespace Platform.Alerting.Alarms;

/// <summary>
/// Applies provisioning's alarm changes to the alarms' streams and rows. Every instance hears every change (and the
/// catch-up snapshot at start); the first to apply a version writes it, the others find the row at that version (or
/// lose the race on the stream's version) and do nothing. Older changes arriving late are ignored.
/// </summary>
public sealed partial class AlarmConfigurations(
    AlertingDbContext db, EventStore store, TimeProvider clock, ProvisionedResourceVersions versions, ILogger<AlarmConfigurations> logger)
    : ILiveConfiguration<AlarmSpec>
{
    public const string Actor = "provisioning";

    public async Task ApplyAsync(string name, AlarmSpec spec, long version, CancellationToken cancellationToken)
    {
        versions.TryApply(ProvisioningKinds.Alarms, name, version);
        MetricAlarm alarm;
        try
        {
            alarm = MetricAlarm.FromValidSpec(name, spec);
        }
        catch (ArgumentException ex)
        {
            // Provisioning validates with the same parser; an alarm this version cannot read is left out, loudly.
            LogRejected(name, ex.Message);
            return;
        }

        await WriteAsync(name, version, async row =>
        {
            var created = row is null || row.Deleted;
            var specJson = JsonSerializer.Serialize(spec, PlatformJson.Options);
            var current = row?.Version ?? await store.GetVersionAsync(AlarmStreams.StreamId(name), cancellationToken);
            var streamVersion = store.Append(AlarmStreams.StreamId(name), current,
                [new AlarmConfigured(spec, version, created)], new EventMetadata(Actor));
            if (row is null)
            {
                row = new AlarmRecord
                {
                    Name = name, Spec = specJson, MetricKey = AlarmMetricKey.Of(alarm),
                    StateValue = AlarmStates.InsufficientData, StateReason = AlarmStateMachine.InitialReason,
                };
                db.Alarms.Add(row);
            }
            row.Version = streamVersion;
            row.ProvisionedVersion = version;
            row.Spec = specJson;
            row.MetricKey = AlarmMetricKey.Of(alarm);
            if (created)
            {
                // A new alarm (or one created again after a deletion) starts unchecked, as in CloudWatch; a changed one keeps its state.
                row.Deleted = false;
                row.StateValue = AlarmStates.InsufficientData;
                row.StateReason = AlarmStateMachine.InitialReason;
                row.StateReasonData = null;
                row.StateUpdatedAt = clock.GetUtcNow();
            }
        }, cancellationToken);
    }

    public async Task RemoveAsync(string name, long version, CancellationToken cancellationToken)
    {
        versions.TryApply(ProvisioningKinds.Alarms, name, version);
        await WriteAsync(name, version, row =>
        {
            if (row is not null && !row.Deleted)
            {
                row.Version = store.Append(AlarmStreams.StreamId(name), row.Version, [new AlarmRemoved(version)], new EventMetadata(Actor));
                row.Deleted = true;
            }
            row?.ProvisionedVersion = version;
            return Task.CompletedTask;
        }, cancellationToken);
    }

    /// <summary>
    /// After the catch-up: a deletion for each alarm this database has that provisioning no longer does (deleted while
    /// no instance ran), unless this instance has meanwhile heard of it live.
    /// </summary>
    public async Task CaughtUpAsync(IReadOnlySet<string> current, CancellationToken cancellationToken)
    {
        var stored = await db.Alarms.AsNoTracking().Where(a => !a.Deleted).Select(a => new { a.Name, a.ProvisionedVersion })
            .ToListAsync(cancellationToken);
        foreach (var alarm in stored.Where(a => !current.Contains(a.Name)))
        {
            // Version 0 is below any real one: this records nothing new, and says whether the instance has heard of the alarm.
            if (versions.TryApply(ProvisioningKinds.Alarms, alarm.Name, 0))
            {
                await RemoveAsync(alarm.Name, alarm.ProvisionedVersion + 1, cancellationToken);
            }
        }
    }

    /// <summary>Runs <paramref name="change"/> on the alarm's row (null when it has none) unless the row already has this version or a later one.</summary>
    private async Task WriteAsync(string name, long provisionedVersion, Func<AlarmRecord?, Task> change, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var row = await db.Alarms.FirstOrDefaultAsync(a => a.Name == name, cancellationToken);
        if (row is not null && row.ProvisionedVersion >= provisionedVersion)
        {
            return;
        }
        await change(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is StreamConcurrencyException
                                   or DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } })
        {
            // Another instance applied a change to this alarm first; it is (or will be) at this version or a later one.
            db.ChangeTracker.Clear();
        }
    }

    [LoggerMessage(LogLevel.Error, "Alarm {Name} was not applied: {Reason}")]
    private partial void LogRejected(string name, string reason);
}
