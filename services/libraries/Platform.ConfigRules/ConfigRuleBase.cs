namespace Platform.ConfigRules;

/// <summary>A verdict before it is placed on a resource: the compliance type and why.</summary>
public readonly record struct Judgement(string ComplianceType, string? Annotation = null)
{
    public static Judgement Compliant(string? annotation = null) => new(ComplianceTypes.Compliant, annotation);

    public static Judgement NonCompliant(string annotation) => new(ComplianceTypes.NonCompliant, annotation);

    public static Judgement NotApplicable(string annotation) => new(ComplianceTypes.NotApplicable, annotation);

    public static Judgement InsufficientData(string annotation) => new(ComplianceTypes.InsufficientData, annotation);

    /// <summary>This verdict on <paramref name="item"/>, at its capture time.</summary>
    public RuleEvaluation On(ConfigurationItem item) =>
        new(item.ResourceType, item.ResourceId, ComplianceType, Annotation, item.CaptureTime);
}

/// <summary>
/// What every compiled rule shares: its name, spec and scope, and the rule that a deleted resource is
/// <c>NOT_APPLICABLE</c> and an item the rule is not triggered by is not judged.
/// </summary>
internal abstract class ConfigRuleBase(string name, ConfigRuleSpec spec, RuleScope scope) : IConfigRule
{
    public string Name { get; } = name;

    public ConfigRuleSpec Spec { get; } = spec;

    protected RuleScope Scope { get; } = scope;

    public abstract TimeSpan? Frequency { get; }

    public virtual IReadOnlyCollection<string> ContextResourceTypes => [];

    public abstract bool IsTriggeredBy(ConfigurationItem item);

    public ValueTask<IReadOnlyList<RuleEvaluation>> EvaluateAsync(RuleInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.ChangedItem is { } item)
        {
            if (!IsTriggeredBy(item))
            {
                return ValueTask.FromResult<IReadOnlyList<RuleEvaluation>>([]);
            }
            if (item.IsDeleted && JudgesChangedItem)
            {
                return ValueTask.FromResult<IReadOnlyList<RuleEvaluation>>([Judgement.NotApplicable("the resource was deleted").On(item)]);
            }
        }
        return EvaluateTriggeredAsync(input, cancellationToken);
    }

    /// <summary>Whether a change is judged on the changed resource (false: it re-judges the account, as periodic rules do).</summary>
    protected virtual bool JudgesChangedItem => true;

    /// <summary>Judges a run the rule is triggered by; a deleted changed item never reaches it when <see cref="JudgesChangedItem"/>.</summary>
    protected abstract ValueTask<IReadOnlyList<RuleEvaluation>> EvaluateTriggeredAsync(RuleInput input, CancellationToken cancellationToken);

    /// <summary>The message types of custom rules' <c>SourceDetails</c>.</summary>
    internal const string ChangeNotification = "ConfigurationItemChangeNotification";
    internal const string OversizedChangeNotification = "OversizedConfigurationItemChangeNotification";
    internal const string ScheduledNotification = "ScheduledNotification";
    internal const string SnapshotDelivered = "ConfigurationSnapshotDeliveryCompleted";
    internal const string ConfigEventSource = "aws.config";

    /// <summary>What a custom rule's <c>SourceDetails</c> say: whether changes trigger it, and how often it runs on a schedule.</summary>
    internal readonly record struct Triggers(bool OnChange, TimeSpan? Frequency);

    /// <summary>
    /// Reads a custom rule's <c>SourceDetails</c> (required: at least one, at most 25) with put_config_rule's rules:
    /// <c>EventSource</c> <c>aws.config</c>, a known <c>MessageType</c>, <c>MaximumExecutionFrequency</c> only with a
    /// periodic message type. <paramref name="topFrequency"/> (the rule's own <c>MaximumExecutionFrequency</c>) applies to
    /// periodic triggers that give none.
    /// </summary>
    internal static Triggers ReadSourceDetails(
        ConfigRuleSource source, ConfigRuleSpec spec, TimeSpan? topFrequency, IReadOnlyCollection<string> messageTypes, Action<string, string> fail)
    {
        var details = source.SourceDetails ?? [];
        if (details.Count == 0)
        {
            fail("Source.SourceDetails", $"is required for a custom rule: [{{\"EventSource\": \"{ConfigEventSource}\", \"MessageType\": \"{ChangeNotification}\"}}]");
            return default;
        }
        if (details.Count > 25)
        {
            fail("Source.SourceDetails", $"holds {details.Count} entries: at most 25");
        }
        var onChange = false;
        TimeSpan? frequency = null;
        var periodic = false;
        for (var i = 0; i < details.Count; i++)
        {
            var field = $"Source.SourceDetails[{i}]";
            var detail = details[i];
            if (detail is null)
            {
                fail(field, "must be an object with EventSource and MessageType");
                continue;
            }
            if (detail.EventSource is { } eventSource && eventSource != ConfigEventSource)
            {
                fail($"{field}.EventSource", $"unknown event source '{eventSource}': the only one is {ConfigEventSource}");
            }
            var isPeriodic = detail.MessageType is ScheduledNotification or SnapshotDelivered;
            if (detail.MessageType is null)
            {
                fail($"{field}.MessageType", $"is required: {string.Join(", ", messageTypes)}");
            }
            else if (!messageTypes.Contains(detail.MessageType))
            {
                fail($"{field}.MessageType", $"'{detail.MessageType}' is not a message type of this rule: use {string.Join(", ", messageTypes)}");
            }
            else if (isPeriodic)
            {
                periodic = true;
                var own = ExecutionFrequencies.Read(detail.MaximumExecutionFrequency, $"{field}.MaximumExecutionFrequency", fail) ?? topFrequency ?? ExecutionFrequencies.Default;
                frequency = frequency is { } known && known < own ? known : own;
            }
            else
            {
                onChange = true;
            }
            if (detail.MaximumExecutionFrequency is not null && !isPeriodic)
            {
                fail($"{field}.MaximumExecutionFrequency", $"applies only to the {ScheduledNotification} and {SnapshotDelivered} message types");
            }
        }
        if (spec.MaximumExecutionFrequency is not null && !periodic)
        {
            fail("MaximumExecutionFrequency", $"applies only to periodic rules: this rule has no {ScheduledNotification} source detail");
        }
        return new Triggers(onChange, frequency);
    }
}
