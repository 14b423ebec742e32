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
        var batch = Match(rules, message.Events);
        var messageId = context.MessageId ?? message.BatchId;
        if (batch.MatchesByRule.Count == 0)
        {
            if (await db.TryRecordInboxAsync(messageId, InboxName, clock.GetUtcNow(), cancellationToken))
            {
                RecordEvaluated(message, batch, started);
            }
            return;
        }

        // A retry runs in a context that may hold what the failed attempt staged.
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Recorded before the correlation windows are fed: a concurrent redelivery of this batch waits here on the
        // inbox row instead of observing the same matches (which would then count for neither delivery).
        if (!await db.TryRecordInboxAsync(messageId, InboxName, clock.GetUtcNow(), cancellationToken))
        {
            return;
        }

        await CorrelateAsync(rules, message.Events, batch, cancellationToken);
        RecordEvaluated(message, batch, started);

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

            // The row is locked (or the finding is new): its version is the stream's, no need to ask.
            findings.Append(record, state, change, FindingDecisions.DetectionActor);
            raised += change.Raised ? 1 : 0;
        }

        await db.SaveChangesAsync(cancellationToken);
        // Last before the commit: every batch matching a rule updates that rule's row of the hour, so the row lock is
        // held for one round trip rather than through the saves (concurrent batches queue on it).
        await counter.AddAsync(batch.MatchesByRule, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        if (raised > 0)
        {
            telemetry.FindingsRaised.Add(raised);
            telemetry.IngestionToFinding.Record((clock.GetUtcNow() - message.IngestedAt).TotalSeconds);
        }
    }

    private void RecordEvaluated(LogEventsIngested message, BatchMatches batch, long started)
    {
        telemetry.EvaluationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        telemetry.EventsEvaluated.Add(message.Events.Count);
        telemetry.RuleMatches.Add(batch.MatchesByRule.Values.Sum());
    }

    /// <summary>Matches every event against the rules; what correlations need is kept for <see cref="CorrelateAsync"/>.</summary>
    private static BatchMatches Match(CompiledRules rules, IReadOnlyList<NormalizedLogEvent> events)
    {
        var batch = new BatchMatches();
        var matches = new List<SigmaRule>();
        var ruleSet = rules.RuleSet;
        foreach (var logEvent in events)
        {
            if (LogSourceMapping.Of(logEvent.SourceType) is not { } logSource)
            {
                continue;
            }

            matches.Clear();
            ruleSet.Evaluate(new SigmaEvent(logEvent.Document.Root, logSource), matches);
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
                    batch.Correlated.Add(new SigmaMatch(rule, logEvent.Document.Root, logEvent.EventTime, logEvent.EventId));
                    batch.CorrelatedEvents.Add(logEvent);
                }
            }
        }

        return batch;
    }

    private static async Task CorrelateAsync(
        CompiledRules rules, IReadOnlyList<NormalizedLogEvent> events, BatchMatches batch, CancellationToken cancellationToken)
    {
        if (batch.Correlated.Count == 0)
        {
            return;
        }

        // The whole batch goes to the correlation windows at once: a few round trips, not two per matching event.
        var results = await rules.Correlations.ObserveBatchAsync(batch.Correlated, cancellationToken);
        for (var i = 0; i < results.Count; i++)
        {
            var logEvent = batch.CorrelatedEvents[i];
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
    }

    /// <summary>The matches of one batch, by fingerprint and by rule.</summary>
    private sealed class BatchMatches
    {
        private Dictionary<string, NormalizedLogEvent>? _eventsById;

        public Dictionary<string, PendingOccurrences> Pending { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> MatchesByRule { get; } = new(StringComparer.Ordinal);

        /// <summary>Matches of rules that correlations reference, with their events, in batch order.</summary>
        public List<SigmaMatch> Correlated { get; } = [];

        public List<NormalizedLogEvent> CorrelatedEvents { get; } = [];

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
