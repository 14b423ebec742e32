using Platform.EventPatterns;

namespace Platform.Provisioning.Kinds;

/// <summary>
/// <c>event-rules</c>: EventBridge rules with their targets, <c>put_rule</c> and <c>put_targets</c> in one resource
/// under AWS's field names. The pattern, input paths and transformers are checked with the parser the alerting
/// service matches with, so a rule it would refuse never reaches it. Errors name fields as AWS writes them.
/// </summary>
public sealed partial class EventRuleKind() : ResourceKind<EventRuleSpec>(ProvisioningKinds.EventRules, (n, s, v) => new EventRuleProvisioned(n, s, v), (n, v) => new EventRuleDeleted(n, v))
{
    /// <summary>The states put_rule takes; all but DISABLED match events.</summary>
    public static readonly IReadOnlyList<string> States = ["ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"];

    /// <summary>EventBridge's limit on targets per rule.</summary>
    public const int MaxTargets = 5;

    public const string DefaultBus = "default";

    public override string? ValidateName(string name) =>
        RuleName().IsMatch(name) ? null : "must be 1 to 64 letters, digits, '.', '_' or '-' (an EventBridge rule name)";

    /// <summary>An <c>EventPattern</c> given as the object itself stands for its JSON text, as put_rule takes it.</summary>
    public override object? ReadSpec(JsonNode? node, string field, ValidationErrors errors)
    {
        if (node is JsonObject spec
            && spec.FirstOrDefault(p => string.Equals(p.Key, nameof(EventRuleSpec.EventPattern), StringComparison.OrdinalIgnoreCase)) is
                { Value: JsonObject or JsonArray } pattern)
        {
            var copy = spec.DeepClone().AsObject();
            copy[pattern.Key] = pattern.Value.ToJsonString();
            node = copy;
        }
        return base.ReadSpec(node, field, errors);
    }

    protected override EventRuleSpec Validate(EventRuleSpec spec, string field, ValidationErrors errors)
    {
        if (spec.Name is { } name && ValidateName(name) is { } nameReason)
        {
            errors.Add(ValidationErrors.Field(field, "Name"), nameReason);
        }
        if (string.IsNullOrWhiteSpace(spec.EventPattern))
        {
            errors.Add(ValidationErrors.Field(field, "EventPattern"), "is required: an EventBridge event pattern (a JSON string or object)");
        }
        else if (EventPattern.TryParse(spec.EventPattern, out var patternError) is null)
        {
            errors.Add(ValidationErrors.Field(field, "EventPattern"), patternError!.ToString());
        }

        var state = string.IsNullOrWhiteSpace(spec.State) ? States[0] : spec.State.Trim().ToUpperInvariant();
        if (!States.Contains(state))
        {
            errors.Add(ValidationErrors.Field(field, "State"), $"unknown state '{spec.State}': use {string.Join(", ", States)}");
        }
        errors.AddIfLonger(ValidationErrors.Field(field, "Description"), spec.Description, 512);

        var bus = string.IsNullOrWhiteSpace(spec.EventBusName) ? DefaultBus : spec.EventBusName.Trim();
        if (!BusName().IsMatch(bus))
        {
            errors.Add(ValidationErrors.Field(field, "EventBusName"), "must be 1 to 256 letters, digits, '/', '.', '_', '-' or ':' (a bus name or ARN)");
        }

        var targets = spec.Targets ?? [];
        if (targets.Count > MaxTargets)
        {
            errors.Add(ValidationErrors.Field(field, "Targets"), $"holds {targets.Count} targets: EventBridge allows at most {MaxTargets} per rule");
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < targets.Count; i++)
        {
            ValidateTarget(targets[i], ValidationErrors.Field(field, $"Targets[{i}]"), ids, errors);
        }

        return spec with
        {
            State = state,
            Description = string.IsNullOrWhiteSpace(spec.Description) ? null : spec.Description.Trim(),
            EventBusName = bus,
            Targets = targets,
        };
    }

    private static void ValidateTarget(EventRuleTarget? target, string field, HashSet<string> ids, ValidationErrors errors)
    {
        if (target is null)
        {
            errors.Add(field, "must be a target object with Id and Arn");
            return;
        }
        if (string.IsNullOrEmpty(target.Id) || !RuleName().IsMatch(target.Id))
        {
            errors.Add(ValidationErrors.Field(field, "Id"), "is required: 1 to 64 letters, digits, '.', '_' or '-'");
        }
        else if (!ids.Add(target.Id))
        {
            errors.Add(ValidationErrors.Field(field, "Id"), $"'{target.Id}' is the id of another target of this rule");
        }
        if (string.IsNullOrWhiteSpace(target.Arn) || target.Arn.Length > 1600)
        {
            errors.Add(ValidationErrors.Field(field, "Arn"), "is required: the ARN (or name) of a topic, function or queue, at most 1600 characters");
        }
        if (target.InputPath is not null && target.InputTransformer is not null)
        {
            errors.Add(ValidationErrors.Field(field, "InputPath"), "give InputPath or InputTransformer, not both");
        }
        if (target.InputPath is not null && EventPath.TryParse(target.InputPath, out var pathReason) is null)
        {
            errors.Add(ValidationErrors.Field(field, "InputPath"), pathReason!);
        }
        if (target.InputTransformer is { } transformer
            && InputTransformer.TryCreate(transformer.InputPathsMap, transformer.InputTemplate, out var problems) is null)
        {
            foreach (var (name, reason) in problems)
            {
                errors.Add(ValidationErrors.Field(field, $"InputTransformer.{name}"), reason);
            }
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex RuleName();

    [GeneratedRegex(@"^[A-Za-z0-9/._:-]{1,256}$")]
    private static partial Regex BusName();
}
