namespace Platform.Contracts.Detection;

/// <summary>
/// What a finding is for, from its rule's disposition: an <see cref="Alert"/> pages and goes to SOC tooling; a
/// <see cref="Signal"/> is kept, searchable and usable by correlations, but pages no one unless an event rule asks for
/// signals (<c>detail.disposition</c>). Low-fidelity rules are signals; correlations over them raise alerts.
/// </summary>
public enum FindingDisposition
{
    Alert = 0,
    Signal = 1,
}
