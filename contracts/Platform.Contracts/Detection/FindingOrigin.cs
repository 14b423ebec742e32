namespace Platform.Contracts.Detection;

/// <summary>
/// Where a finding comes from when it is not live detection: a retro-hunt over stored events. Absent (null) on
/// findings of live detection. Retro-hunt findings are history, not news: alerting delivers them only to event rules
/// that ask for their source (<see cref="RetroHuntSource"/>), so they page no one by default.
/// </summary>
/// <param name="Type">Always <see cref="RetroHunt"/> today.</param>
/// <param name="HuntId">The retro-hunt that produced the finding.</param>
public sealed record FindingOrigin(string Type, Guid HuntId)
{
    public const string RetroHunt = "retro-hunt";

    /// <summary>The EventBridge <c>source</c> of retro-hunt findings (live findings are <c>platform.detection</c>).</summary>
    public const string RetroHuntSource = "platform.retro-hunt";

    public static FindingOrigin OfHunt(Guid huntId) => new(RetroHunt, huntId);
}
