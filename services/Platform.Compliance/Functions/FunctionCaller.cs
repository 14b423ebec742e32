using Platform.Contracts.Alerting;
using Platform.Contracts.Provisioning;
using Platform.Messaging;

namespace Platform.Compliance.Functions;

/// <summary>
/// Calls provisioned functions as alerting invokes them: a signed JSON POST (<see cref="SignedRequests"/>) through the
/// SSRF guard (<see cref="GuardedConnection"/>), bounded in time and in the size of the answer read.
/// </summary>
public sealed partial class FunctionCaller(LiveResources<FunctionSpec> functions, FunctionOptions options, TimeProvider clock, ILogger<FunctionCaller> logger)
    : IFunctionCaller, IDisposable
{
    private readonly HttpClient _http = new(GuardedConnection.CreateHandler(
        options.AllowPrivateTargets, options.Timeout, $"{FunctionOptions.Section}:AllowPrivateTargets")) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    public async Task<JsonElement?> InvokeAsync(string function, JsonElement payload, CancellationToken cancellationToken)
    {
        if (DeliveryTarget.ParseFunction(function, out var unknown) is not { } target)
        {
            throw new FunctionCallException($"function '{function}': {unknown}");
        }
        var name = target.Name;
        if (functions.Find(name) is not { } spec)
        {
            throw new FunctionCallException($"function '{function}': {target.NotProvisioned}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var request = SignedRequests.Post(spec.Endpoint, payload.GetRawText(), spec.SigningSecret ?? options.SigningSecret,
                clock.GetUtcNow(), "Platform-Compliance");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var (bytes, exceeded) = await SignedRequests.ReadBoundedAsync(response.Content, options.MaxResponseBytes, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new FunctionCallException($"function '{name}' answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            if (exceeded)
            {
                throw new FunctionCallException($"function '{name}' answered more than {options.MaxResponseBytes} bytes ({FunctionOptions.Section}:MaxResponseBytes)");
            }
            LogCalled(name, (int)response.StatusCode);
            return bytes.Length == 0 ? null : JsonDocument.Parse(bytes).RootElement.Clone();
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new FunctionCallException($"function '{name}' did not answer within {options.Timeout.TotalSeconds:0.###} s");
        }
        catch (JsonException ex)
        {
            throw new FunctionCallException($"function '{name}' answered something that is not JSON", ex);
        }
        catch (Exception ex) when (GuardedConnection.Find<TargetRefusedException>(ex) is { } refused)
        {
            throw new FunctionCallException($"function '{name}': {refused.Message}", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new FunctionCallException($"function '{name}' could not be reached: {ex.Message}", ex);
        }
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(LogLevel.Debug, "Function {Name} answered {Status}")]
    private partial void LogCalled(string name, int status);
}
