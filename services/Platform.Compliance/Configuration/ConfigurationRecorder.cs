using System.Security.Cryptography;

namespace Platform.Compliance.Configuration;

/// <summary>An item to record, where it came from, and the CloudTrail call that changed it when one did.</summary>
public sealed record ItemToRecord(ConfigurationItem Item, string Origin, string? CloudTrailEventName = null);

/// <summary>What became of one item: its version in the resource's stream (null when it was already recorded) and whether it is current.</summary>
public sealed record RecordOutcome(string ResourceType, string ResourceId, long? Version, bool Current);

/// <summary>
/// Records items in their resources' configuration streams (<c>configuration/{resourceType}/{resourceId}</c>, one
/// <see cref="ConfigurationItemRecorded"/> each, published by the outbox relay after commit) and keeps the read models
/// in the same transaction: the history index and the current item. The same item (capture time and content) delivered
/// twice is recorded once; an item older than the current one is history but does not become current. Writers of one
/// resource take its lock in turn (a transaction-scoped advisory lock), so versions and the current item never race.
/// </summary>
public sealed partial class ConfigurationRecorder(
    ComplianceDbContext db, EventStore store, TimeProvider clock, ComplianceTelemetry telemetry, ILogger<ConfigurationRecorder> logger)
{
    /// <summary>Items per transaction: a snapshot of thousands commits in steps, each all or nothing.</summary>
    private const int ChunkSize = 500;

    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);

    public static string StreamOf(string resourceType, string resourceId) => $"configuration/{resourceType}/{resourceId}";

    /// <summary>Records <paramref name="items"/> in order, in transactions of up to <see cref="ChunkSize"/>.</summary>
    public async Task<IReadOnlyList<RecordOutcome>> RecordAsync(IReadOnlyList<ItemToRecord> items, CancellationToken cancellationToken)
    {
        var outcomes = new List<RecordOutcome>(items.Count);
        foreach (var chunk in items.Chunk(ChunkSize))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await LockAsync(chunk.Select(i => StreamOf(i.Item.ResourceType, i.Item.ResourceId)), cancellationToken);
            foreach (var item in chunk)
            {
                outcomes.Add(await AppendAsync(item, cancellationToken));
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _versions.Clear();
        }
        Count(items, outcomes);
        return outcomes;
    }

    /// <summary>
    /// Records what <paramref name="derive"/> makes of the resource's current item (null: nothing), under the resource's
    /// lock, so the change lands on the item it was derived from. With <paramref name="inbox"/>, a message id the
    /// consumer already handled records nothing (the claim commits with the item).
    /// </summary>
    public async Task<RecordOutcome?> RecordOnCurrentAsync(
        string resourceType, string resourceId, Func<ConfigurationItem?, ItemToRecord?> derive, (Guid MessageId, string Consumer)? inbox,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (inbox is { } claim && !await db.TryRecordInboxAsync(claim.MessageId, claim.Consumer, clock.GetUtcNow(), cancellationToken))
        {
            return null;
        }
        await LockAsync([StreamOf(resourceType, resourceId)], cancellationToken);
        var current = await new ConfigurationItems(db).FindAsync(resourceType, resourceId, cancellationToken);
        RecordOutcome? outcome = null;
        var toRecord = derive(current);
        if (toRecord is not null)
        {
            outcome = await AppendAsync(toRecord, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _versions.Clear();
        if (toRecord is not null)
        {
            Count([toRecord], [outcome!]);
        }
        return outcome;
    }

    /// <summary>
    /// Takes the resources' locks in the transaction, in one order (so two writers never wait on each other
    /// crosswise); held until it ends.
    /// </summary>
    private async Task LockAsync(IEnumerable<string> streams, CancellationToken cancellationToken)
    {
        foreach (var stream in streams.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({stream}, 0))", cancellationToken);
        }
    }

    /// <summary>
    /// Stages <paramref name="toRecord"/> in the transaction, which holds the resource's lock (<see cref="LockAsync"/>);
    /// the caller saves and commits.
    /// </summary>
    private async Task<RecordOutcome> AppendAsync(ItemToRecord toRecord, CancellationToken cancellationToken)
    {
        var item = toRecord.Item;
        var stream = StreamOf(item.ResourceType, item.ResourceId);
        var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(item, PlatformJson.Options));
        var seen = await db.Database.SqlQuery<int>(
                $"SELECT 1 AS \"Value\" FROM configuration_history WHERE resource_type = {item.ResourceType} AND resource_id = {item.ResourceId} AND content_hash = {hash}")
            .AnyAsync(cancellationToken);
        if (seen)
        {
            return new RecordOutcome(item.ResourceType, item.ResourceId, null, false);
        }
        if (!_versions.TryGetValue(stream, out var current))
        {
            current = await store.GetVersionAsync(stream, cancellationToken);
        }
        var version = store.Append(stream, current, [new ConfigurationItemRecorded(item, current + 1, toRecord.Origin, toRecord.CloudTrailEventName)], null);
        _versions[stream] = version;
        var captureTime = item.CaptureTime.ToUniversalTime();
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
             INSERT INTO configuration_history (resource_type, resource_id, version, capture_time, content_hash)
             VALUES ({item.ResourceType}, {item.ResourceId}, {version}, {captureTime}, {hash})
             """, cancellationToken);
        var json = JsonSerializer.Serialize(item, PlatformJson.Options);
        var updated = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
             INSERT INTO configuration_items (resource_type, resource_id, aws_account_id, capture_time, version, item)
             VALUES ({item.ResourceType}, {item.ResourceId}, {item.AwsAccountId}, {captureTime}, {version}, {json}::jsonb)
             ON CONFLICT (resource_type, resource_id) DO UPDATE
             SET aws_account_id = excluded.aws_account_id, capture_time = excluded.capture_time, version = excluded.version, item = excluded.item
             WHERE excluded.capture_time >= configuration_items.capture_time
             """, cancellationToken);
        return new RecordOutcome(item.ResourceType, item.ResourceId, version, updated == 1);
    }

    /// <summary>Counts and logs what was recorded, once committed.</summary>
    private void Count(IReadOnlyList<ItemToRecord> items, IReadOnlyList<RecordOutcome> outcomes)
    {
        for (var i = 0; i < outcomes.Count; i++)
        {
            var origin = new KeyValuePair<string, object?>("origin", items[i].Origin);
            var outcome = outcomes[i];
            if (outcome.Version is { } version)
            {
                telemetry.ItemsRecorded.Add(1, origin);
                LogRecorded(outcome.ResourceType, outcome.ResourceId, version, items[i].Origin, items[i].CloudTrailEventName, outcome.Current);
            }
            else
            {
                telemetry.ItemsUnchanged.Add(1, origin);
            }
        }
    }

    [LoggerMessage(LogLevel.Information,
        "Recorded configuration of {ResourceType} {ResourceId} as version {Version} from {Origin} {CloudTrailEventName} (current: {Current})")]
    private partial void LogRecorded(string resourceType, string resourceId, long version, string origin, string? cloudTrailEventName, bool current);
}
