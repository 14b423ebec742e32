using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;

namespace Platform.Console.Api;

/// <summary>A service refused or failed a call: its status and what its problem details said, for the page to show.</summary>
public sealed class PlatformApiException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>
/// What every typed client of a service shares: the platform's JSON, and a refusal turned into a
/// <see cref="PlatformApiException"/> carrying the problem's title, detail and field errors.
/// </summary>
public abstract class PlatformApi(HttpClient http)
{
    protected HttpClient Http { get; } = http;

    protected async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(path, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    protected async Task<T> PostAsync<T>(string path, object? body, CancellationToken cancellationToken, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = body is null ? null : JsonContent.Create(body, options: PlatformJson.Options),
        };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        }
        using var response = await Http.SendAsync(request, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    protected static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(PlatformJson.Options, cancellationToken)
            ?? throw new PlatformApiException(response.StatusCode, $"{response.RequestMessage?.RequestUri?.AbsolutePath} answered no body.");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var message = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            var parts = new List<string>();
            foreach (var name in new[] { "title", "detail" })
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    parts.Add(value.GetString()!);
                }
            }
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                parts.AddRange(errors.EnumerateObject().Select(e => $"{e.Name}: {string.Join("; ", e.Value.EnumerateArray().Select(v => v.GetString()))}"));
            }
            if (parts.Count > 0)
            {
                message = $"{message}: {string.Join(" ", parts)}";
            }
        }
        catch (JsonException)
        {
            // Not problem details: the status says enough.
        }
        throw new PlatformApiException(response.StatusCode, message);
    }
}

/// <summary>
/// Sends the signed-in person's key (kept in the encrypted session cookie, never in the page) as <c>X-Api-Key</c> on
/// every call of the typed clients.
/// </summary>
public sealed class SignedInKeyHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.Contains(ApiKeyAuthenticationHandler.HeaderName)
            && accessor.HttpContext?.User.FindFirstValue(ConsoleClaims.ApiKey) is { } key)
        {
            request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        }
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The claims of a console session.</summary>
public static class ConsoleClaims
{
    /// <summary>The key the person signed in with; only inside the Data Protection-encrypted cookie.</summary>
    public const string ApiKey = "platform:api-key";
}
