using Platform.Alerting.Delivery;
using Platform.Contracts.Compliance;
using Platform.Contracts.Detection;
using Platform.Contracts.Ingestion;

namespace Platform.Alerting.EventRules;

/// <summary>
/// Matches what the platform sees against the event rules and hands each match to its targets: CloudTrail records of
/// ingested batches, raised findings, alarm state changes and compliance changes, each in EventBridge's envelope. Nothing is stored here:
/// the delivery keys (rule, target, event id) are derived from the event, so a redelivered message schedules the same
/// keys and the scheduler sends nothing twice. Competing consumers: instances share the queue.
/// </summary>
public sealed class EventRuleMatchingConsumer(LiveEventRules rules, IDeliveryScheduler scheduler) :
    IConsumer<LogEventsIngested>,
    IConsumer<FindingRaised>,
    IConsumer<AlarmStateChanged>,
    IConsumer<ComplianceChanged>
{
    public async Task Consume(ConsumeContext<LogEventsIngested> context)
    {
        var set = rules.Set;
        foreach (var record in context.Message.Events)
        {
            // The source is known before the envelope is built: most records concern no rule and cost a lookup.
            if (EventEnvelope.CloudTrailSource(record) is not { } source || !set.HasCandidates(source))
            {
                continue;
            }
            using var envelope = EventEnvelope.ForCloudTrail(record);
            if (envelope is not null)
            {
                await MatchAsync(set.CandidatesFor(source), envelope.RootElement, context.CancellationToken);
            }
        }
    }

    public async Task Consume(ConsumeContext<FindingRaised> context)
    {
        var set = rules.Set;
        var source = EventEnvelope.SourceOf(context.Message);
        // A retro-hunt's findings are history, not news: only rules whose pattern names their source get them. A signal
        // pages no one: only rules whose pattern names detail.disposition (asking for signals) get it.
        var candidates = context.Message.Origin is null ? set.CandidatesFor(source) : set.NamingSource(source);
        if (context.Message.Disposition == FindingDisposition.Signal)
        {
            candidates = candidates.Where(EventRuleSet.AsksForDisposition);
        }
        if (candidates.Any())
        {
            using var envelope = EventEnvelope.ForFinding(context.Message);
            await MatchAsync(candidates, envelope.RootElement, context.CancellationToken);
        }
    }

    public async Task Consume(ConsumeContext<AlarmStateChanged> context)
    {
        var set = rules.Set;
        if (set.HasCandidates(EventEnvelope.AlarmSource))
        {
            using var envelope = EventEnvelope.ForAlarm(context.Message);
            await MatchAsync(set.CandidatesFor(EventEnvelope.AlarmSource), envelope.RootElement, context.CancellationToken);
        }
    }

    public async Task Consume(ConsumeContext<ComplianceChanged> context)
    {
        var set = rules.Set;
        if (set.HasCandidates(EventEnvelope.ComplianceSource))
        {
            using var envelope = EventEnvelope.ForCompliance(context.Message);
            await MatchAsync(set.CandidatesFor(EventEnvelope.ComplianceSource), envelope.RootElement, context.CancellationToken);
        }
    }

    private async Task MatchAsync(IEnumerable<CompiledEventRule> candidates, JsonElement @event, CancellationToken cancellationToken)
    {
        var eventId = @event.GetProperty("id").GetString()!;
        foreach (var rule in candidates)
        {
            if (!rule.Pattern.Matches(@event))
            {
                continue;
            }
            foreach (var target in rule.Targets)
            {
                await scheduler.ScheduleAsync(target.Arn, target.MessageFor(@event, eventId, rule.Name), cancellationToken);
            }
        }
    }
}

/// <summary>On alerting's batch queue (<see cref="IngestedBatchEndpointDefinition{TConsumer}"/>), with the other events it matches.</summary>
public sealed class EventRuleMatchingConsumerDefinition(IEndpointNameFormatter formatter)
    : IngestedBatchEndpointDefinition<EventRuleMatchingConsumer>(formatter);
