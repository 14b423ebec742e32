using System.Collections.Frozen;
using System.Collections.Immutable;
using Platform.Alerting.Delivery;
using Platform.EventPatterns;

namespace Platform.Alerting.EventRules;

/// <summary>A provisioned rule compiled: its pattern and its targets, each with how it shapes the event.</summary>
public sealed record CompiledEventRule(string Name, EventPattern Pattern, bool Enabled, string EventBusName, IReadOnlyList<CompiledTarget> Targets)
{
    /// <exception cref="ArgumentException">The spec does not compile (provisioning validates it first).</exception>
    public static CompiledEventRule From(string name, EventRuleSpec spec)
    {
        var pattern = EventPattern.TryParse(spec.EventPattern, out var error)
            ?? throw new ArgumentException($"Event rule '{name}': EventPattern {error}", nameof(spec));
        var targets = (spec.Targets ?? []).Select(t => CompiledTarget.From(name, t)).ToList();
        return new CompiledEventRule(name, pattern, spec.State != "DISABLED", spec.EventBusName ?? "default", targets);
    }
}

/// <summary>One target: where to, and the event as it is sent (whole, the InputPath's part, or the InputTransformer's output).</summary>
public sealed record CompiledTarget(string Id, string Arn, EventPath? InputPath, InputTransformer? Transformer)
{
    public static CompiledTarget From(string rule, EventRuleTarget target)
    {
        EventPath? path = null;
        if (target.InputPath is not null && (path = EventPath.TryParse(target.InputPath, out var reason)) is null)
        {
            throw new ArgumentException($"Event rule '{rule}', target '{target.Id}': InputPath {reason}", nameof(target));
        }
        InputTransformer? transformer = null;
        if (target.InputTransformer is { } spec
            && (transformer = InputTransformer.TryCreate(spec.InputPathsMap, spec.InputTemplate, out var errors)) is null)
        {
            throw new ArgumentException(
                $"Event rule '{rule}', target '{target.Id}': {string.Join("; ", errors.Select(e => $"{e.Field} {e.Reason}"))}", nameof(target));
        }
        return new CompiledTarget(target.Id, target.Arn, path, transformer);
    }

    /// <summary>What the target receives for <paramref name="event"/> matched by <paramref name="rule"/>.</summary>
    public DeliveryMessage MessageFor(JsonElement @event, string eventId, string rule)
    {
        JsonNode body = Transformer?.Apply(@event, rule)
            ?? (InputPath is null ? JsonNode.Parse(@event.GetRawText()) : InputPath.Select(@event) is { } part ? JsonNode.Parse(part.GetRawText()) : null)
            ?? new JsonObject();
        var detailType = @event.TryGetProperty("detail-type", out var type) ? type.GetString() : null;
        return new DeliveryMessage($"event-rule:{rule}:{Id}:{eventId}", $"{rule}: {detailType}", body);
    }
}

/// <summary>
/// The enabled rules of the default bus, indexed by the sources their patterns fix: an event is tried only against
/// the rules of its source and those that do not fix one. Immutable; rebuilt on every change.
/// </summary>
public sealed class EventRuleSet
{
    public static readonly EventRuleSet Empty = new(ImmutableSortedDictionary<string, CompiledEventRule>.Empty);

    private readonly FrozenDictionary<string, CompiledEventRule[]> _bySource;
    private readonly CompiledEventRule[] _anySource;

    public EventRuleSet(ImmutableSortedDictionary<string, CompiledEventRule> rules)
    {
        Rules = rules;
        var active = rules.Values.Where(r => r.Enabled && r.EventBusName == "default" && r.Targets.Count > 0).ToList();
        _anySource = [.. active.Where(r => r.Pattern.Sources is null)];
        _bySource = active
            .Where(r => r.Pattern.Sources is not null)
            .SelectMany(r => r.Pattern.Sources!.Distinct().Select(s => (Source: s, Rule: r)))
            .GroupBy(x => x.Source, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(x => x.Rule).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Every provisioned rule by name, disabled ones too.</summary>
    public ImmutableSortedDictionary<string, CompiledEventRule> Rules { get; }

    /// <summary>Whether any rule could match an event of <paramref name="source"/> (so the envelope is worth building).</summary>
    public bool HasCandidates(string source) => _anySource.Length > 0 || _bySource.ContainsKey(source);

    /// <summary>Only the rules whose pattern names <paramref name="source"/> (not those for any source): events that must be asked for.</summary>
    public IEnumerable<CompiledEventRule> NamingSource(string source) => _bySource.TryGetValue(source, out var rules) ? rules : [];

    /// <summary>
    /// Whether the rule's pattern names a finding's <c>detail.disposition</c>: only such rules are tried with signals,
    /// which page no one by default.
    /// </summary>
    public static bool AsksForDisposition(CompiledEventRule rule) => rule.Pattern.Names("detail", "disposition");

    /// <summary>The rules an event of <paramref name="source"/> is tried against.</summary>
    public IEnumerable<CompiledEventRule> CandidatesFor(string source) =>
        _bySource.TryGetValue(source, out var rules) ? rules.Concat(_anySource) : _anySource;
}
