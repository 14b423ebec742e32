using Microsoft.Extensions.Caching.Memory;

namespace Platform.ServiceDefaults.Auth;

/// <summary>
/// Finds the key a caller presented, including one issued a moment ago. A key issued on provisioning reaches the
/// other services as an event, a few milliseconds after <c>POST /v1/api-keys</c> has answered; a caller that uses
/// the key at once would get 401. So on a key this instance does not know, it asks provisioning for the current
/// keys — the same <see cref="GetProvisionedResources"/> request the start-up catch-up sends, applied through
/// <see cref="LiveApiKeys"/> — and looks again.
/// </summary>
/// <remarks>
/// <para>
/// Why ask, rather than have the POST wait for every service to acknowledge: provisioning does not know which
/// instances are alive (they come and go, each on a temporary queue), so it could not tell when "every" had
/// answered; and one slow instance would make issuing keys slow everywhere. Asking costs nothing while keys are
/// known, which is nearly always.
/// </para>
/// <para>
/// Safe by construction. A revoked key never comes back: the answer goes through the same version check as the
/// events, so a snapshot older than a revocation this instance applied is ignored. A flood of made-up keys cannot
/// amplify into the bus: one refresh at a time per instance, shared by every request waiting (a refresh counts for
/// a request only if it started after the request arrived, so a key issued before its first use is always in it);
/// a hash the refresh did not find is refused without asking again for <see cref="NegativeCacheFor"/>; at most
/// <see cref="MaxWaiting"/> requests wait at once, the rest are refused straight away; and provisioning has
/// <see cref="RequestTimeout"/> to answer.
/// </para>
/// </remarks>
public sealed partial class ApiKeyLookup(
    ApiKeyRegistry registry,
    LiveApiKeys liveKeys,
    IClientFactory clients,
    ILogger<ApiKeyLookup> logger) : IDisposable
{
    // A key issued a moment ago is refused only when provisioning is down.
    public static readonly TimeSpan RequestTimeout = LiveConfiguration.ProvisioningTimeout;
    public static readonly TimeSpan NegativeCacheFor = TimeSpan.FromSeconds(10);
    public const int MaxWaiting = 64;
    private const int NegativeCacheEntries = 10_000;

    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly MemoryCache _unknown = new(new MemoryCacheOptions { SizeLimit = NegativeCacheEntries });
    private long _started;
    private int _waiting;

    // The last refresh to finish and whether provisioning answered it; read and written under _refreshing.
    private long _lastNumber;
    private bool _lastAnswered;

    /// <summary>The key's identity, or null when provisioning does not know it (or has not answered in time).</summary>
    public async ValueTask<ApiKeyIdentity?> FindAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (registry.Find(presentedKey) is { } known)
        {
            return known;
        }
        var hash = Convert.ToHexStringLower(ApiKeyRegistry.Hash(presentedKey));
        if (_unknown.TryGetValue(hash, out _))
        {
            return null;
        }
        if (Interlocked.Increment(ref _waiting) > MaxWaiting)
        {
            Interlocked.Decrement(ref _waiting);
            LogTooManyLookups(MaxWaiting);
            return null;
        }
        bool answered;
        try
        {
            answered = await RefreshStartedAfterAsync(Interlocked.Read(ref _started), cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        if (registry.Find(presentedKey) is { } found)
        {
            return found;
        }
        if (!answered)
        {
            return null; // provisioning may know it: ask again next time
        }
        using (var entry = _unknown.CreateEntry(hash))
        {
            entry.Size = 1;
            entry.AbsoluteExpirationRelativeToNow = NegativeCacheFor;
        }
        return null;
    }

    /// <summary>
    /// Waits for a refresh that started after refresh number <paramref name="seen"/> (the one under way when the
    /// request arrived): joins the next one, or runs it. True when provisioning answered it.
    /// </summary>
    private async Task<bool> RefreshStartedAfterAsync(long seen, CancellationToken cancellationToken)
    {
        if (!await _refreshing.WaitAsync(RequestTimeout, cancellationToken))
        {
            return false;
        }
        try
        {
            if (_lastNumber > seen)
            {
                return _lastAnswered; // a refresh that started after this request arrived has just finished
            }
            _lastNumber = Interlocked.Increment(ref _started);
            _lastAnswered = false;
            try
            {
                var client = clients.CreateRequestClient<GetProvisionedResources>(RequestTimeout);
                var response = await client.GetResponse<ProvisionedResources>(
                    new GetProvisionedResources(ProvisioningKinds.ApiKeys), cancellationToken);
                liveKeys.Apply(response.Message);
                _lastAnswered = true;
            }
            catch (RequestTimeoutException)
            {
                LogProvisioningSilent(RequestTimeout.TotalMilliseconds);
            }
            return _lastAnswered;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public void Dispose()
    {
        _refreshing.Dispose();
        _unknown.Dispose();
    }

    [LoggerMessage(LogLevel.Warning, "Provisioning did not answer a key look-up within {Milliseconds} ms: the unknown key is refused")]
    private partial void LogProvisioningSilent(double milliseconds);

    [LoggerMessage(LogLevel.Warning, "More than {Max} unknown API keys are being looked up at once: the others are refused without asking")]
    private partial void LogTooManyLookups(int max);
}
