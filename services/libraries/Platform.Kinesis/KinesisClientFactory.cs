namespace Platform.Kinesis;

/// <summary>
/// Clients per endpoint over the named <see cref="IHttpClientFactory"/> client. Credentials come from the
/// registered <see cref="AWSCredentials"/> (the standard AWS chain unless replaced), resolved on first use so an
/// instance without Kinesis sources needs none.
/// </summary>
public sealed class KinesisClientFactory(IHttpClientFactory httpClientFactory, IServiceProvider services, TimeProvider time)
{
    private readonly Lazy<AWSCredentials> _credentials = new(services.GetRequiredService<AWSCredentials>);

    public KinesisClient Create(KinesisEndpoint endpoint) =>
        new(httpClientFactory.CreateClient(KinesisClient.HttpClientName), endpoint, _credentials.Value, time);
}
