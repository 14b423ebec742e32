using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Platform.Contracts.Detection;
using Platform.Contracts.Ingestion;
using Platform.Detection.Findings;
using Platform.Detection.Rules;
using Platform.Detection.Suppression;
using Platform.EventSourcing.Storage;
using Platform.Sigma;
using Platform.Sigma.Correlation;

namespace Platform.Detection.Evaluation;

/// <summary>
/// Evaluates every ingested event against the rules, feeds correlation windows, and turns the batch's matches
/// into finding changes: one append per finding per batch. The inbox record, the finding events (whose public
/// contracts the outbox relay publishes), the read model and the rule counters commit in one transaction, so a
/// redelivered batch changes nothing. Competing consumers: several instances share the queue.
/// </summary>
public sealed class LogEventsIngestedConsumer(
    DetectionDbContext db,
    FindingStreams findings,
    RuleCatalog catalog,
    SuppressionRules suppressions,
    RuleMatchCounter counter,
    DetectionOptions options,
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

        // A retry runs in a context that may hold what the failed attempt staged.
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.TryRecordInboxAsync(context.MessageId ?? message.BatchId, InboxName, clock.GetUtcNow(), cancellationToken))
        {
            return;
        }

        var rules = catalog.Current;
        var started = Stopwatch.GetTimestamp();
        var batch = await EvaluateAsync(rules, message.Events, cancellationToken);
        DetectionTelemetry.EvaluationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        DetectionTelemetry.EventsEvaluated.Add(message.Events.Count);
        DetectionTelemetry.RuleMatches.Add(batch.MatchesByRule.Values.Sum());

        var raised = 0;
        var now = clock.GetUtcNow();
        var ordered = batch.Pending.Values.OrderBy(p => p.FindingId).ToList();
        var existing = ordered.Count == 0
            ? []
            : await findings.LockAsync([.. ordered.Select(p => p.FindingId)], cancellationToken);
        foreach (var pending in ordered)
        {
            var record = existing.GetValueOrDefault(pending.FindingId);
            var state = record?.ToState() ?? FindingState.Initial;
            var change = FindingDecisions.Record(state, pending, suppressions, options.DeduplicationWindow, now);
            if (change.IsEmpty)
            {
                continue;
            }

            await findings.AppendAsync(record, state, change, FindingDecisions.DetectionActor, cancellationToken);
            raised += change.Raised ? 1 : 0;
        }

        await counter.AddAsync(batch.MatchesByRule, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        if (raised > 0)
        {
            DetectionTelemetry.FindingsRaised.Add(raised);
            DetectionTelemetry.IngestionToFindingLatency.Record((clock.GetUtcNow() - message.IngestedAt).TotalSeconds);
        }
    }

    private static async Task<BatchMatches> EvaluateAsync(CompiledRules rules, IReadOnlyList<NormalizedLogEvent> events, CancellationToken cancellationToken)
    {
        var batch = new BatchMatches();
        var matches = new List<SigmaRule>();
        var correlated = new List<SigmaMatch>();
        var correlatedEvents = new List<NormalizedLogEvent>();
        var ruleSet = rules.RuleSet;
        foreach (var logEvent in events)
        {
            if (!LogSourceMapping.TryGet(logEvent.SourceType, out var logSource))
            {
                continue;
            }

            matches.Clear();
            ruleSet.Evaluate(new SigmaEvent(logEvent.Document, logSource), matches);
            foreach (var rule in matches)
            {
                batch.CountMatch(rule.Key);
                if (ruleSet.GeneratesResults(rule.Key) && rules.ByKey.TryGetValue(rule.Key, out var info))
                {
                    var resource = FindingFingerprint.PrimaryResourceOf(logEvent);
                    batch.For(FindingFingerprint.ForDetection(rule.Key, logEvent, resource), info, logEvent).AddMatch(logEvent, resource);
                }

                if (ruleSet.CorrelationsReferencing(rule.Key).Count > 0)
                {
                    correlated.Add(new SigmaMatch(rule, logEvent.Document, logEvent.EventTime, logEvent.EventId));
                    correlatedEvents.Add(logEvent);
                }
            }
        }

        // The whole batch goes to the correlation windows at once: a few round trips, not two per matching event.
        var results = await rules.Correlations.ObserveBatchAsync(correlated, cancellationToken);
        for (var i = 0; i < results.Count; i++)
        {
            var logEvent = correlatedEvents[i];
            foreach (var result in results[i])
            {
                if (!result.IsReported || !rules.ByKey.TryGetValue(result.Rule.Key, out var correlation))
                {
                    continue;
                }

                batch.CountMatch(result.Rule.Key);
                var evidence = result.EventIds
                    .Select(id => batch.EventById(events, id))
                    .OfType<NormalizedLogEvent>()
                    .Select(e => new FindingEvidence(e.EventId, e.EventTime, e.EventName))
                    .ToList();
                batch.For(FindingFingerprint.ForCorrelation(result.Rule.Key, result.GroupKey), correlation, logEvent)
                    .AddCorrelation(result, logEvent, evidence, FindingFingerprint.PrimaryResourceOf(logEvent));
            }
        }

        return batch;
    }

    /// <summary>The matches of one batch, by fingerprint and by rule.</summary>
    private sealed class BatchMatches
    {
        private Dictionary<string, NormalizedLogEvent>? _eventsById;

        public Dictionary<string, PendingOccurrences> Pending { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> MatchesByRule { get; } = new(StringComparer.Ordinal);

        public void CountMatch(string ruleKey) => MatchesByRule[ruleKey] = MatchesByRule.GetValueOrDefault(ruleKey) + 1;

        public PendingOccurrences For(string fingerprint, DetectionRuleInfo rule, NormalizedLogEvent logEvent)
        {
            if (!Pending.TryGetValue(fingerprint, out var pending))
            {
                pending = new PendingOccurrences(fingerprint, rule, logEvent);
                Pending[fingerprint] = pending;
            }

            return pending;
        }

        /// <summary>An event of this batch by id (correlation evidence); built only when a correlation fires.</summary>
        public NormalizedLogEvent? EventById(IReadOnlyList<NormalizedLogEvent> events, string eventId)
        {
            _eventsById ??= events.DistinctBy(e => e.EventId).ToDictionary(e => e.EventId, StringComparer.Ordinal);
            return _eventsById.GetValueOrDefault(eventId);
        }
    }
}

/// <summary>Retries what concurrency causes (another instance appended to the same finding, a deadlock) and bounds concurrency.</summary>
public sealed class LogEventsIngestedConsumerDefinition : ConsumerDefinition<LogEventsIngestedConsumer>
{
    private readonly DetectionOptions _options;

    public LogEventsIngestedConsumerDefinition(DetectionOptions options)
    {
        _options = options;
        ConcurrentMessageLimit = options.ConcurrentBatches;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<LogEventsIngestedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<StreamConcurrencyException>();
            retry.Handle<DbUpdateException>();
            retry.Handle<NpgsqlException>();
            retry.Handle<InvalidOperationException>(ex => ex.InnerException is NpgsqlException);
            // Conflicts are rare (existing findings are locked; only two instances creating the same one collide).
            retry.Exponential(20, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(25));
        });
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = Math.Max(16, _options.ConcurrentBatches * 2);
        }
    }
}
