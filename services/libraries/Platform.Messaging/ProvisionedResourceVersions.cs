using System.Collections.Concurrent;

namespace Platform.Messaging;

/// <summary>
/// The last version of each provisioned resource this instance applied. Live events and the catch-up
/// snapshot can arrive in either order (a snapshot taken before a revoke may be answered after it), so
/// a change is applied only when its version is newer than what the instance already has.
/// </summary>
public sealed class ProvisionedResourceVersions
{
    private readonly ConcurrentDictionary<(string Kind, string Name), long> _versions = new();

    /// <summary>True (and records <paramref name="version"/>) when it is newer than the last one applied.</summary>
    public bool TryAdvance(string kind, string name, long version)
    {
        while (true)
        {
            if (!_versions.TryGetValue((kind, name), out var current))
            {
                if (_versions.TryAdd((kind, name), version))
                {
                    return true;
                }
                continue;
            }
            if (version <= current)
            {
                return false;
            }
            if (_versions.TryUpdate((kind, name), version, current))
            {
                return true;
            }
        }
    }
}
