namespace Platform.Contracts.Provisioning;

/// <summary>
/// An EventBridge rule with its targets: <c>put_rule</c>'s arguments and <c>put_targets</c>' <c>Targets</c> in one
/// resource, under AWS's field names. The resource's name is the rule's name.
/// </summary>
/// <param name="Name">The rule's name as put_rule takes it; when given it is the resource's name.</param>
/// <param name="EventPattern">The event pattern as JSON text (a pattern given as an object is stored as its JSON).</param>
/// <param name="State"><c>ENABLED</c> (the default), <c>DISABLED</c> or <c>ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS</c>.</param>
/// <param name="Description">What the rule is for.</param>
/// <param name="EventBusName">The bus whose events the rule sees: <c>default</c> (the platform's one bus) unless given.</param>
/// <param name="Targets">Where matching events go (at most 5).</param>
public sealed record EventRuleSpec(
    string? Name,
    string EventPattern,
    string? State,
    string? Description,
    string? EventBusName,
    IReadOnlyList<EventRuleTarget>? Targets);

/// <summary>One target of a rule, as put_targets takes it.</summary>
/// <param name="Id">The target's id, unique within the rule.</param>
/// <param name="Arn">A topic, function or queue by ARN (or a topic or function by name).</param>
/// <param name="InputPath">A JSONPath selecting the part of the event to send (<c>$.detail</c>).</param>
/// <param name="InputTransformer">Values picked from the event put into a template.</param>
public sealed record EventRuleTarget(string Id, string Arn, string? InputPath = null, EventRuleInputTransformer? InputTransformer = null);

/// <summary>A target's InputTransformer.</summary>
/// <param name="InputPathsMap">Name to JSONPath of the event.</param>
/// <param name="InputTemplate">JSON with <c>&lt;name&gt;</c> placeholders.</param>
public sealed record EventRuleInputTransformer(IReadOnlyDictionary<string, string>? InputPathsMap, string InputTemplate);
