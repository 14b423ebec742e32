using Platform.Detection.Evaluation;

namespace Platform.Detection.RetroHunts;

/// <summary>
/// Evaluates one batch of a hunt's stored events with the hunt's rules (the events ingestion found the rules may match,
/// standing for the <see cref="RetroHuntBatch.EventsScanned"/> it scanned), as live detection evaluates ingested batches
/// (<see cref="BatchEvaluator"/>), a correlation's evidence including the window's events of the hunt's other batches
/// (<see cref="RetroHuntEvidence"/>): the batch's inbox row (keyed by hunt and sequence), its findings (marked with the
/// hunt's origin) and the hunt's progress commit together, so a redelivered or re-streamed batch changes nothing. A
/// batch of a hunt that is not running (cancelled, ended) is ignored. Competing consumers.
/// </summary>
public sealed class RetroHuntBatchConsumer(
    DetectionDbContext db,
    RetroHuntStore hunts,
    RetroHuntRules huntRules,
    RetroHuntEvidence evidence,
    BatchEvaluator evaluator,
    RetroHuntEnding ending,
    DetectionTelemetry telemetry,
    TimeProvider clock) : IConsumer<RetroHuntBatch>
{
    public const string InboxName = "detection.retro-hunt-batches";

    public async Task Consume(ConsumeContext<RetroHuntBatch> context)
    {
        var message = context.Message;
        var cancellationToken = context.CancellationToken;
        if (await hunts.FindAsync(message.HuntId, cancellationToken) is not { Status: RetroHuntStatus.Running } hunt)
        {
            huntRules.Forget(message.HuntId);
            return;
        }

        using var activity = DetectionTelemetry.ActivitySource.StartActivity("retro-hunt batch");
        activity?.SetTag("platform.hunt_id", message.HuntId);
        activity?.SetTag("platform.sequence", message.Sequence);
        activity?.SetTag("platform.events", message.Count);
        activity?.SetTag("platform.scanned", message.EventsScanned);
        var events = message.Unpack();
        var rules = huntRules.For(hunt);
        var batch = BatchEvaluator.Match(rules, events, FindingOrigin.OfHunt(hunt.Id));

        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (!await db.TryRecordInboxAsync(RetroHuntBatch.IdOf(message.HuntId, message.Sequence), InboxName, now, cancellationToken))
        {
            return;
        }

        // The evidence of the batch's correlated events before their observations: a batch that reads one finds the other.
        await evidence.RecordAsync(hunt.Id, batch.CorrelatedEvents.DistinctBy(e => e.EventId).ToList(), cancellationToken);
        await BatchEvaluator.CorrelateAsync(rules, events, batch, cancellationToken, (ids, ct) => evidence.FindAsync(hunt.Id, ids, ct));
        var raised = await evaluator.StageFindingsAsync(batch, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        // Last before the commit: batches of one hunt queue on its row for one round trip.
        if (await hunts.RecordBatchAsync(hunt.Id, message.EventsScanned, raised, now, cancellationToken) is not { } progress)
        {
            // Cancelled meanwhile: the batch changes nothing.
            await transaction.RollbackAsync(cancellationToken);
            return;
        }

        await transaction.CommitAsync(cancellationToken);
        telemetry.RetroHuntEventsScanned.Add(message.EventsScanned);
        if (raised > 0)
        {
            telemetry.FindingsRaised.Add(raised);
        }

        await ending.ProgressedAsync(progress, message.EventsScanned, cancellationToken);
    }
}

/// <summary>The batches' endpoint: see <see cref="BatchConsumerDefinition{TConsumer}"/>.</summary>
public sealed class RetroHuntBatchConsumerDefinition(DetectionOptions options) : BatchConsumerDefinition<RetroHuntBatchConsumer>(options);

/// <summary>
/// A batch that failed for good (its retries spent, it lies in the error queue): its hunt could never scan every event,
/// so it ends failed with the reason instead of staying running.
/// </summary>
public sealed class RetroHuntBatchFaultConsumer(RetroHuntStore hunts, RetroHuntEnding ending, TimeProvider clock) : IConsumer<Fault<RetroHuntBatch>>
{
    public async Task Consume(ConsumeContext<Fault<RetroHuntBatch>> context)
    {
        var batch = context.Message.Message;
        var reason = $"batch {batch.Sequence} could not be evaluated: {context.Message.Exceptions.FirstOrDefault()?.Message ?? "it faulted"}";
        if (await hunts.EndAsync(batch.HuntId, RetroHuntStatus.Failed, reason, clock.GetUtcNow(), context.CancellationToken) is { } hunt)
        {
            await ending.EndedAsync(hunt, context.CancellationToken);
        }
    }
}

/// <summary>Ingestion's count and end of a hunt's stream: the hunt's total, and its completion (or failure).</summary>
public sealed class RetroHuntStreamConsumer(RetroHuntStore hunts, RetroHuntEnding ending, TimeProvider clock) :
    IConsumer<RetroHuntEventsCounted>,
    IConsumer<RetroHuntStreamEnded>
{
    public async Task Consume(ConsumeContext<RetroHuntEventsCounted> context)
    {
        if (await hunts.RecordCountAsync(context.Message.HuntId, context.Message.Total, context.CancellationToken) is { } hunt)
        {
            await ending.ProgressedAsync(hunt, 0, context.CancellationToken);
        }
    }

    public async Task Consume(ConsumeContext<RetroHuntStreamEnded> context)
    {
        var message = context.Message;
        var hunt = message.Failure is null
            ? await hunts.RecordStreamedAsync(message.HuntId, message.Events, clock.GetUtcNow(), context.CancellationToken)
            : await hunts.EndAsync(message.HuntId, RetroHuntStatus.Failed, message.Failure, clock.GetUtcNow(), context.CancellationToken);
        if (hunt is not null)
        {
            await ending.ProgressedAsync(hunt, 0, context.CancellationToken);
        }
    }
}
