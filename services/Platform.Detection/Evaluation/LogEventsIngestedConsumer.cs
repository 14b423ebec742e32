using Platform.Detection.Insights;

namespace Platform.Detection.Evaluation;

/// <summary>
/// Evaluates every ingested event against the rules, feeds correlation windows, and turns the batch's matches
/// into finding changes: one append per finding per batch. The inbox record, the finding events (whose public
/// contracts the outbox relay publishes), the read model and the rule counters commit in one transaction, so a
/// redelivered batch changes nothing. Competing consumers: several instances share the queue.
/// CloudTrail Insights count the batch's minutes afterwards, in the <see cref="InsightsCommitter"/>'s group commits
/// under an inbox row of their own: the batches of every API share a few key rows, which would otherwise hold every
/// batch's findings waiting on each other.
/// </summary>
public sealed class LogEventsIngestedConsumer(
    DetectionDbContext db,
    BatchEvaluator evaluator,
    RuleCatalog catalog,
    RuleMatchCounter counter,
    InsightsCommitter insights,
    InsightsOptions insightsOptions,
    DetectionTelemetry telemetry,
    TimeProvider clock) : IConsumer<LogEventsIngested>
{
    public const string InboxName = "detection.log-events";

    public async Task Consume(ConsumeContext<LogEventsIngested> context)
    {
        var message = context.Message;
        var cancellationToken = context.CancellationToken;
        using var activity = DetectionTelemetry.ActivitySource.StartActivity("evaluate batch");
        activity?.SetTag("platform.batch_id", message.BatchId);
        activity?.SetTag("platform.events", message.Events.Count);

        // Matching is pure, so it runs before anything is written: a batch that matches nothing costs one statement.
        var rules = catalog.Current;
        var started = Stopwatch.GetTimestamp();
        var batch = BatchEvaluator.Match(rules, message.Events);
        var insightCounts = InsightCounts.Of(message.Events, insightsOptions);
        var messageId = context.MessageId ?? message.BatchId;
        if (batch.MatchesByRule.Count == 0)
        {
            if (await db.TryRecordInboxAsync(messageId, InboxName, clock.GetUtcNow(), cancellationToken))
            {
                RecordEvaluated(message, batch, Stopwatch.GetElapsedTime(started));
            }
        }
        else
        {
            await StageMatchesAsync(message, messageId, rules, batch, started, cancellationToken);
        }

        if (!insightCounts.IsEmpty)
        {
            await insights.CountAsync(messageId, insightCounts, message.IngestedAt, cancellationToken);
        }
    }

    private async Task StageMatchesAsync(
        LogEventsIngested message, Guid messageId, CompiledRules rules, BatchMatches batch, long started, CancellationToken cancellationToken)
    {
        // A retry runs in a context that may hold what the failed attempt staged.
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // A failed save fails the attempt, and the batch is retried from the start: no savepoint round trips around the saves.
        db.Database.AutoSavepointsEnabled = false;
        // Recorded before the correlation windows are fed: a concurrent redelivery of this batch waits here on the
        // inbox row instead of observing the same matches (which would then count for neither delivery).
        if (!await db.TryRecordInboxAsync(messageId, InboxName, clock.GetUtcNow(), cancellationToken))
        {
            return;
        }

        await BatchEvaluator.CorrelateAsync(rules, message.Events, batch, cancellationToken);
        var evaluation = Stopwatch.GetElapsedTime(started);
        var now = clock.GetUtcNow();

        // The rows concurrent batches share are locked at the end, each once, in one order (the findings, then the rule
        // counters), and written in one save: a batch of an attack adds to the same principals' findings as the batches
        // beside it, so it holds their rows for the save and the commit only.
        var raised = await evaluator.StageFindingsAsync(batch, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        // Last before the commit: every batch matching a rule updates that rule's row of the hour, so the row lock is
        // held for one round trip rather than through the saves (concurrent batches queue on it).
        await counter.AddAsync(batch.MatchesByRule, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // Counted once the batch's effects are: a retried attempt rolled back counts nothing, a redelivery stops at the inbox.
        RecordEvaluated(message, batch, evaluation);

        if (raised > 0)
        {
            telemetry.FindingsRaised.Add(raised);
            telemetry.IngestionToFinding.Record((clock.GetUtcNow() - message.IngestedAt).TotalSeconds);
        }
    }

    private void RecordEvaluated(LogEventsIngested message, BatchMatches batch, TimeSpan evaluation)
    {
        telemetry.EvaluationDuration.Record(evaluation.TotalSeconds);
        telemetry.EventsEvaluated.Add(message.Events.Count);
        telemetry.RuleMatches.Add(batch.MatchesByRule.Values.Sum());
    }
}

/// <summary>The live batches' endpoint: see <see cref="BatchConsumerDefinition{TConsumer}"/>.</summary>
public sealed class LogEventsIngestedConsumerDefinition(DetectionOptions options) : BatchConsumerDefinition<LogEventsIngestedConsumer>(options);
