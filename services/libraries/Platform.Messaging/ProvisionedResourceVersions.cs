namespace Platform.Messaging;

/// <summary>
/// The last version of each provisioned resource this instance applied. Live events and the catch-up
/// snapshot can arrive in either order (a snapshot taken before a revoke may be answered after it), so
/// a change is applied only when its version is newer than what the instance already has.
/// </summary>
/// <remarks>
/// The check and the in-memory change are one step, under one lock: were the version recorded first and the change
/// made after, a concurrent older change could be refused while the newer one is not yet visible (a key issued a
/// moment ago refused by the look-up that asked provisioning for it), and two changes could land in the wrong order
/// (a snapshot's issued key applied after the event that revoked it). Changes are rare and the work under the lock is
/// in memory, so one lock for every kind costs nothing.
/// </remarks>
public sealed class ProvisionedResourceVersions
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Kind, string Name), long> _versions = [];

    /// <summary>
    /// When <paramref name="version"/> is newer than the last one applied: runs <paramref name="apply"/> (if any),
    /// records the version, and answers true — all before any other change of any resource is checked.
    /// </summary>
    public bool TryApply(string kind, string name, long version, Action? apply = null)
    {
        lock (_gate)
        {
            if (_versions.TryGetValue((kind, name), out var current) && version <= current)
            {
                return false;
            }
            apply?.Invoke();
            _versions[(kind, name)] = version;
            return true;
        }
    }
}
