namespace Platform.Contracts.Compliance;

/// <summary>
/// A resource's configuration was recorded: the event of the resource's configuration stream
/// (<c>configuration/{resourceType}/{resourceId}</c>), published through the outbox after commit. Rule evaluation
/// consumes it; <see cref="Version"/> is the item's position in that stream, so a redelivery is recognisable.
/// </summary>
/// <param name="Item">The recorded configuration.</param>
/// <param name="Version">Its version in the resource's configuration stream.</param>
/// <param name="Origin">Where it came from: <c>api</c>, <c>notification</c>, <c>oversized-notification</c>, <c>snapshot</c>, <c>account-snapshot</c>, <c>cloudtrail</c>.</param>
/// <param name="CloudTrailEventName">For <c>cloudtrail</c>, the call that changed the resource (<c>StopLogging</c>).</param>
public sealed record ConfigurationItemRecorded(ConfigurationItem Item, long Version, string Origin, string? CloudTrailEventName = null);
