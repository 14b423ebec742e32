using Amazon.Runtime.Credentials;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Platform.Kinesis;

public static class KinesisClientExtensions
{
    /// <summary>
    /// <see cref="KinesisClientFactory"/> over a named HTTP client, with credentials from the standard AWS chain unless
    /// an <see cref="AWSCredentials"/> is registered first.
    /// </summary>
    public static IServiceCollection AddKinesisClient(this IServiceCollection services)
    {
        // Throttling answers 400, which the standard resilience handler does not retry: the caller's own
        // backoff is the only one that sees it.
        services.AddHttpClient(KinesisClient.HttpClientName);
        services.TryAddSingleton<AWSCredentials>(_ => DefaultAWSCredentialsIdentityResolver.GetCredentials(null));
        services.TryAddSingleton<KinesisClientFactory>();
        return services;
    }
}
