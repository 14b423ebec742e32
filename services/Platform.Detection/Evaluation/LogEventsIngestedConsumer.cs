using Platform.Detection.Insights;

namespace Platform.Detection.Evaluation;

/// <summary>
/// Evaluates every ingested event against the rules, feeds correlation windows, and hands the batch's matches to the
/// <see cref="FindingsCommitter"/>, whose group commits write them with the inbox record, the finding events (whose
/// public contracts the outbox relay publishes), the read model and the rule counters in one transaction, so a
/// redelivered batch changes nothing. Competing consumers: several instances share the queue.
/// CloudTrail Insights count the batch's minutes afterwards, in the <see cref="InsightsCommitter"/>'s group commits
/// under an inbox row of their own.
/// </summary>
/// <remarks>
/// The correlation windows are fed before the inbox record is written: the store keeps each observation once (by event
/// id), so a redelivered batch judges the windows it was judged in before and finds the results already recorded on its
/// findings (<see cref="PendingOccurrences.ToRecorded"/>), and its inbox row stops the rest.
/// </remarks>
public sealed class LogEventsIngestedConsumer(
    RuleCatalog catalog,
    FindingsCommitter findings,
    InsightsCommitter insights,
    InsightsOptions insightsOptions) : IConsumer<LogEventsIngested>
{
    public const string InboxName = "detection.log-events";

    public async Task Consume(ConsumeContext<LogEventsIngested> context)
    {
        var message = context.Message;
        var cancellationToken = context.CancellationToken;
        using var activity = DetectionTelemetry.ActivitySource.StartActivity("evaluate batch");
        activity?.SetTag("platform.batch_id", message.BatchId);
        activity?.SetTag("platform.events", message.Events.Count);

        // Matching is pure, so it runs before anything is written.
        // Each stage is an activity of its own, so a trace shows where a batch's time went (waiting included).
        var rules = catalog.Current;
        var started = Stopwatch.GetTimestamp();
        BatchMatches batch;
        InsightCounts insightCounts;
        using (DetectionTelemetry.ActivitySource.StartActivity("match batch"))
        {
            batch = BatchEvaluator.Match(rules, message.Events);
            insightCounts = InsightCounts.Of(message.Events, insightsOptions);
        }

        var messageId = context.MessageId ?? message.BatchId;
        using (DetectionTelemetry.ActivitySource.StartActivity("correlate batch"))
        {
            await BatchEvaluator.CorrelateAsync(rules, message.Events, batch, cancellationToken);
        }

        using (DetectionTelemetry.ActivitySource.StartActivity("hand over findings"))
        {
            await findings.CommitAsync(
                new FindingsCommitter.Evaluated(messageId, batch, message.Events.Count, message.IngestedAt, Stopwatch.GetElapsedTime(started)),
                cancellationToken);
        }

        if (!insightCounts.IsEmpty)
        {
            using (DetectionTelemetry.ActivitySource.StartActivity("hand over insights"))
            {
                await insights.CountAsync(messageId, insightCounts, message.IngestedAt, cancellationToken);
            }
        }
    }
}

/// <summary>The live batches' endpoint: see <see cref="BatchConsumerDefinition{TConsumer}"/>.</summary>
public sealed class LogEventsIngestedConsumerDefinition(DetectionOptions options) : BatchConsumerDefinition<LogEventsIngestedConsumer>(options);
