using Platform.Messaging;

namespace Platform.Ingestion.Kinesis;

/// <summary>
/// The sources this instance should consume: those in configuration, overlaid by those provisioned (a provisioned
/// source replaces a configured one of the same name; deleting it falls back to the configured one). Provisioned
/// changes are persisted first and applied only when newer than what is known, whatever order they arrive in.
/// </summary>
public sealed class KinesisSourceRegistry(IConfiguration configuration, KinesisSourceStore store) : ILiveConfiguration<SourceSpec>
{
    private readonly IReadOnlyDictionary<string, SourceSpec> _configured = KinesisSourceConfiguration.Read(configuration);
    private readonly Dictionary<string, ProvisionedSourceState> _provisioned = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Reads the provisioned sources persisted by any instance.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var state in await store.LoadAsync(cancellationToken))
        {
            Merge(state);
        }
        _changes.Writer.TryWrite(true);
    }

    public Task ApplyAsync(string name, SourceSpec spec, long version, CancellationToken cancellationToken) =>
        ApplyAsync(new ProvisionedSourceState(name, spec, version), cancellationToken);

    public Task RemoveAsync(string name, long version, CancellationToken cancellationToken) =>
        ApplyAsync(new ProvisionedSourceState(name, null, version), cancellationToken);

    /// <summary>Persists and applies a provisioning change; older versions than the known one are ignored.</summary>
    private async Task ApplyAsync(ProvisionedSourceState state, CancellationToken cancellationToken)
    {
        await store.SaveAsync(state, cancellationToken);
        if (Merge(state))
        {
            _changes.Writer.TryWrite(true);
        }
    }

    /// <summary>Every source by name, enabled or not.</summary>
    public IReadOnlyDictionary<string, SourceSpec> Current()
    {
        var current = new Dictionary<string, SourceSpec>(_configured, StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var state in _provisioned.Values)
            {
                if (state.Spec is not null)
                {
                    current[state.Name] = state.Spec;
                }
            }
        }
        return current;
    }

    /// <summary>Returns when the sources changed, or after <paramref name="timeout"/>.</summary>
    public async Task WaitForChangeAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            await _changes.Reader.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The periodic refresh: nothing changed.
        }
    }

    private bool Merge(ProvisionedSourceState state)
    {
        lock (_lock)
        {
            if (_provisioned.TryGetValue(state.Name, out var known) && known.Version >= state.Version)
            {
                return false;
            }
            _provisioned[state.Name] = state;
            return true;
        }
    }
}
