namespace Platform.Contracts.Provisioning;

/// <summary>
/// A CloudTrail Lake event data store as <c>create_event_data_store</c> takes it, AWS's field names and casing kept. It
/// is a view of the raw log store: the CloudTrail events its selectors choose, within its retention, queried with SQL
/// (<c>FROM &lt;name&gt;</c>, its id or its ARN). The resource's name is the store's name.
/// </summary>
/// <param name="Name">The store's name; the resource's name when absent, and equal to it when given.</param>
/// <param name="RetentionPeriod">Days of events it answers for, counted back from now by event time (7 to 3653; 2557 when absent).</param>
/// <param name="TerminationProtectionEnabled">When true (the default, as in AWS) the store cannot be deleted until it is turned off.</param>
/// <param name="MultiRegionEnabled">Recorded as given (default true): the raw log store holds every region it receives.</param>
/// <param name="OrganizationEnabled">Recorded as given (default false).</param>
/// <param name="AdvancedEventSelectors">Which events it holds; every management event when absent.</param>
public sealed record EventDataStoreSpec(
    [property: JsonPropertyName("Name")] string? Name = null,
    [property: JsonPropertyName("RetentionPeriod")] int? RetentionPeriod = null,
    [property: JsonPropertyName("TerminationProtectionEnabled")] bool? TerminationProtectionEnabled = null,
    [property: JsonPropertyName("MultiRegionEnabled")] bool? MultiRegionEnabled = null,
    [property: JsonPropertyName("OrganizationEnabled")] bool? OrganizationEnabled = null,
    [property: JsonPropertyName("AdvancedEventSelectors")] IReadOnlyList<AdvancedEventSelector>? AdvancedEventSelectors = null);

/// <summary>One selector: an event is held when every one of its field selectors matches (selectors are alternatives).</summary>
public sealed record AdvancedEventSelector(
    [property: JsonPropertyName("Name")] string? Name,
    [property: JsonPropertyName("FieldSelectors")] IReadOnlyList<AdvancedFieldSelector>? FieldSelectors);

/// <summary>
/// A condition on one field (<c>eventCategory</c>, <c>eventSource</c>, <c>eventName</c>, <c>readOnly</c>, ...): each
/// operator given must hold (one of its values for the positive ones, none of them for the <c>Not</c> ones).
/// </summary>
public sealed record AdvancedFieldSelector(
    [property: JsonPropertyName("Field")] string? Field,
    [property: JsonPropertyName("Equals")] IReadOnlyList<string>? EqualTo = null,
    [property: JsonPropertyName("StartsWith")] IReadOnlyList<string>? StartsWith = null,
    [property: JsonPropertyName("EndsWith")] IReadOnlyList<string>? EndsWith = null,
    [property: JsonPropertyName("NotEquals")] IReadOnlyList<string>? NotEqualTo = null,
    [property: JsonPropertyName("NotStartsWith")] IReadOnlyList<string>? NotStartsWith = null,
    [property: JsonPropertyName("NotEndsWith")] IReadOnlyList<string>? NotEndsWith = null);
