using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;

namespace Platform.Ingestion.Api;

/// <summary>
/// Who is delivering to the Firehose endpoint, known before the rate limiter runs, so each sender is limited by its
/// own credential and a request without a valid one is answered 401 without touching a bucket a sender uses.
/// <c>X-Amz-Firehose-Access-Key</c> holds the configured access key or an API key; without it, <c>X-Api-Key</c> is
/// read as everywhere else. A known key without the ingest or admin role is forbidden (403). Answers are in
/// Firehose's error shape.
/// </summary>
public sealed class FirehoseAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyLookup keys,
    IngestionOptions ingestion)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "FirehoseAccessKey";

    /// <summary>The identity of the configured access key (API keys go by their own names).</summary>
    public const string ConfiguredKeyName = "firehose-access-key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[FirehoseApi.AccessKeyHeader].ToString();
        if (presented.Length == 0)
        {
            return await Context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
        }
        if (ingestion.Firehose.AccessKey is { Length: > 0 } configured
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(configured))))
        {
            return Success(ConfiguredKeyName, PlatformRoles.Ingest, SchemeName);
        }
        // An API key keeps its name and scheme, so it shares one bucket whichever header carries it.
        return await keys.FindAsync(presented, Context.RequestAborted) is { } key
            ? Success(key.Name, key.Role, ApiKeyAuthenticationHandler.SchemeName)
            : AuthenticateResult.Fail("The access key is not known or has been revoked.");
    }

    private static AuthenticateResult Success(string name, string role, string authenticationType) =>
        AuthenticateResult.Success(PlatformPrincipal.Ticket(name, role, authenticationType, SchemeName));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        FirehoseApi.Error(Context, StatusCodes.Status401Unauthorized,
            $"A valid {FirehoseApi.AccessKeyHeader} (the configured access key, or an API key with the ingest role) is required.").ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        FirehoseApi.Error(Context, StatusCodes.Status403Forbidden,
            $"The key's role '{Context.User.FindFirstValue(ClaimTypes.Role)}' may not deliver logs (it needs ingest or admin).").ExecuteAsync(Context);
}
