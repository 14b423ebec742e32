using Npgsql;
using Platform.ConfigRules;

namespace Platform.Compliance.Evaluation;

/// <summary>
/// Records verdicts, exactly once in effect: a verdict whose compliance type differs from the current one appends
/// <see cref="ComplianceChanged"/> to the (rule, resource) stream at the version its row was read at and updates the
/// row in the same transaction (the outbox relay publishes it after commit); the same verdict again only refreshes the
/// row. A second writer of the same change (a redelivery, another instance) loses on the stream's version, reads again
/// and finds nothing left to change. A verdict about an older configuration than the current one's is stale and dropped.
/// </summary>
public sealed partial class ComplianceRecorder(ComplianceDbContext db, EventStore store, TimeProvider clock, ILogger<ComplianceRecorder> logger)
{
    public const string Actor = "rule-evaluation";

    private const int MaxAttempts = 5;

    /// <summary>The stream of one rule's verdicts on one resource.</summary>
    public static string StreamId(string rule, string resourceType, string resourceId) => $"evaluations/{rule}/{resourceType}/{resourceId}";

    /// <summary>Records <paramref name="evaluation"/> of <paramref name="rule"/> on a resource of the account; true when the compliance type changed.</summary>
    public async Task<bool> RecordAsync(string rule, string awsAccountId, string awsRegion, RuleEvaluation evaluation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryRecordAsync(rule, awsAccountId, awsRegion, evaluation, cancellationToken);
            }
            catch (Exception ex) when (attempt < MaxAttempts && ex is StreamConcurrencyException or DbUpdateConcurrencyException
                                           or DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } })
            {
                // Another writer recorded a verdict on this (rule, resource) first: read what it left and decide again.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<bool> TryRecordAsync(string rule, string awsAccountId, string awsRegion, RuleEvaluation evaluation, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var row = await db.Set<EvaluationRecord>().FirstOrDefaultAsync(
            e => e.ConfigRuleName == rule && e.ResourceType == evaluation.ResourceType && e.ResourceId == evaluation.ResourceId, cancellationToken);
        var now = clock.GetUtcNow();
        if (row is not null && evaluation.OrderingTimestamp < row.OrderingTimestamp)
        {
            LogStale(rule, evaluation.ResourceType, evaluation.ResourceId, evaluation.OrderingTimestamp, row.OrderingTimestamp);
            return false;
        }

        var changed = row?.ComplianceType != evaluation.ComplianceType;
        if (changed)
        {
            var stream = StreamId(rule, evaluation.ResourceType, evaluation.ResourceId);
            // A rule deleted and provisioned again finds its old stream without a row: the stream goes on.
            var version = row?.Version ?? await store.GetVersionAsync(stream, cancellationToken);
            var change = new ComplianceChanged(
                rule, evaluation.ResourceType, evaluation.ResourceId, awsAccountId, awsRegion, row?.ComplianceType, evaluation.ComplianceType,
                evaluation.Annotation, evaluation.OrderingTimestamp, version + 1);
            store.Append(stream, version, [change], new EventMetadata(Actor));
            if (row is null)
            {
                row = new EvaluationRecord
                {
                    ConfigRuleName = rule, ResourceType = evaluation.ResourceType, ResourceId = evaluation.ResourceId,
                    AwsAccountId = awsAccountId, AwsRegion = awsRegion, ComplianceType = evaluation.ComplianceType,
                };
                db.Add(row);
            }
            row.Version = change.Version;
        }
        row!.AwsAccountId = awsAccountId;
        row.AwsRegion = awsRegion;
        row.ComplianceType = evaluation.ComplianceType;
        row.Annotation = evaluation.Annotation;
        row.OrderingTimestamp = evaluation.OrderingTimestamp;
        row.RecordedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        if (changed)
        {
            LogChanged(rule, evaluation.ResourceType, evaluation.ResourceId, evaluation.ComplianceType, evaluation.Annotation);
        }
        return changed;
    }

    [LoggerMessage(LogLevel.Information, "Config rule {Rule} judged {ResourceType} {ResourceId} {ComplianceType}: {Annotation}")]
    private partial void LogChanged(string rule, string resourceType, string resourceId, string complianceType, string? annotation);

    [LoggerMessage(LogLevel.Debug, "Config rule {Rule}: a verdict on {ResourceType} {ResourceId} about {Ordering} is older than the current one ({Current}) and was dropped")]
    private partial void LogStale(string rule, string resourceType, string resourceId, DateTimeOffset ordering, DateTimeOffset current);
}
