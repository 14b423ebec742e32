using System.Collections.Concurrent;

namespace Platform.Detection.Findings;

/// <summary>
/// The finding states this instance committed last, by id. A batch that changes a finding again locks its row and reads
/// only its version; when the version is the one kept here, the state is taken from here instead of read and parsed
/// again (kilobytes of JSON a finding, every group commit of an attack). A version that differs (another instance, a
/// triage, a retro-hunt) reads the row. Only committed states are kept: a rolled-back one could share its version
/// with a different change committed later. Bounded: when full, it starts again empty.
/// </summary>
public sealed class FindingStateCache
{
    public const int Capacity = 1024;

    private readonly ConcurrentDictionary<Guid, FindingState> _states = new();

    /// <summary>The state kept for <paramref name="findingId"/> if it is at <paramref name="version"/>.</summary>
    public FindingState? Get(Guid findingId, long version) =>
        _states.TryGetValue(findingId, out var state) && state.Version == version ? state : null;

    /// <summary>Keeps <paramref name="committed"/>, states whose changes are committed.</summary>
    public void Keep(IEnumerable<FindingState> committed)
    {
        foreach (var state in committed)
        {
            if (_states.Count >= Capacity && !_states.ContainsKey(state.Id))
            {
                _states.Clear();
            }

            _states[state.Id] = state;
        }
    }
}
