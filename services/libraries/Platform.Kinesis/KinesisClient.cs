using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Platform.Kinesis;

/// <summary>Where a stream's API is and how requests to it are signed.</summary>
/// <param name="Endpoint">E.g. <c>https://kinesis.eu-west-1.amazonaws.com</c> or a kinesalite URL.</param>
/// <param name="Region">The region requests are signed for.</param>
public sealed record KinesisEndpoint(Uri Endpoint, string Region)
{
    public static KinesisEndpoint ForRegion(string region, string? endpointOverride = null) =>
        new(new Uri(endpointOverride ?? $"https://kinesis.{region}.amazonaws.com"), region);
}

/// <summary>
/// A small client for Kinesis Data Streams' JSON protocol: <c>POST /</c> with <c>X-Amz-Target</c> naming the
/// operation, signed with SigV4. Errors become typed <see cref="KinesisException"/>s.
/// </summary>
public sealed class KinesisClient(HttpClient http, KinesisEndpoint endpoint, AWSCredentials credentials, TimeProvider time)
{
    /// <summary>The name of the <see cref="IHttpClientFactory"/> client Kinesis calls use.</summary>
    public const string HttpClientName = "kinesis";

    private const string TargetPrefix = "Kinesis_20131202.";
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/x-amz-json-1.1");

    public KinesisEndpoint Endpoint => endpoint;

    /// <summary>Every shard of the stream (open and closed), following <c>NextToken</c> pages.</summary>
    public async Task<IReadOnlyList<Shard>> ListShardsAsync(string streamName, ShardFilter? filter, CancellationToken cancellationToken)
    {
        var shards = new List<Shard>();
        var request = new ListShardsRequest(StreamName: streamName, ShardFilter: filter);
        while (true)
        {
            var page = await SendAsync("ListShards", request, KinesisJsonContext.Default.ListShardsRequest, KinesisJsonContext.Default.ListShardsResponse, cancellationToken);
            shards.AddRange(page.Shards ?? []);
            if (string.IsNullOrEmpty(page.NextToken))
            {
                return shards;
            }
            // The API refuses a stream name beside a token: the token carries the query.
            request = new ListShardsRequest(NextToken: page.NextToken);
        }
    }

    public async Task<StreamDescriptionSummary> DescribeStreamSummaryAsync(string streamName, CancellationToken cancellationToken) =>
        (await SendAsync("DescribeStreamSummary", new DescribeStreamSummaryRequest(streamName),
            KinesisJsonContext.Default.DescribeStreamSummaryRequest, KinesisJsonContext.Default.DescribeStreamSummaryResponse, cancellationToken))
        .StreamDescriptionSummary;

    public async Task<string> GetShardIteratorAsync(string streamName, string shardId, ShardPosition position, CancellationToken cancellationToken)
    {
        var request = new GetShardIteratorRequest(
            streamName,
            shardId,
            position.IteratorType,
            position.SequenceNumber,
            position.Timestamp is { } at ? at.ToUnixTimeMilliseconds() / 1000d : null);
        var response = await SendAsync("GetShardIterator", request,
            KinesisJsonContext.Default.GetShardIteratorRequest, KinesisJsonContext.Default.GetShardIteratorResponse, cancellationToken);
        return response.ShardIterator;
    }

    /// <summary>Reads from <paramref name="shardIterator"/> at most <paramref name="limit"/> (up to 10,000) records.</summary>
    public Task<GetRecordsResponse> GetRecordsAsync(string shardIterator, int limit, CancellationToken cancellationToken) =>
        SendAsync("GetRecords", new GetRecordsRequest(shardIterator, limit),
            KinesisJsonContext.Default.GetRecordsRequest, KinesisJsonContext.Default.GetRecordsResponse, cancellationToken);

    /// <summary>Puts up to 500 records; check <see cref="PutRecordsResponse.FailedRecordCount"/> for partial failure.</summary>
    public Task<PutRecordsResponse> PutRecordsAsync(string streamName, IReadOnlyList<PutRecordsRequestEntry> records, CancellationToken cancellationToken) =>
        SendAsync("PutRecords", new PutRecordsRequest(streamName, records),
            KinesisJsonContext.Default.PutRecordsRequest, KinesisJsonContext.Default.PutRecordsResponse, cancellationToken);

    public async Task CreateStreamAsync(string streamName, int shardCount, CancellationToken cancellationToken)
    {
        using var response = await SendAsync("CreateStream", new CreateStreamRequest(streamName, shardCount),
            KinesisJsonContext.Default.CreateStreamRequest, cancellationToken);
    }

    public async Task DeleteStreamAsync(string streamName, CancellationToken cancellationToken)
    {
        using var response = await SendAsync("DeleteStream", new DeleteStreamRequest(streamName),
            KinesisJsonContext.Default.DeleteStreamRequest, cancellationToken);
    }

    public async Task SplitShardAsync(string streamName, string shardToSplit, string newStartingHashKey, CancellationToken cancellationToken)
    {
        using var response = await SendAsync("SplitShard", new SplitShardRequest(streamName, shardToSplit, newStartingHashKey),
            KinesisJsonContext.Default.SplitShardRequest, cancellationToken);
    }

    /// <summary>Waits until the stream is <c>ACTIVE</c> (after creating or resharding it).</summary>
    public async Task WaitUntilActiveAsync(string streamName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while ((await DescribeStreamSummaryAsync(streamName, cancellationToken)).StreamStatus != "ACTIVE")
        {
            if (time.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"Stream {streamName} did not become ACTIVE within {timeout}.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }

    private async Task<TResponse> SendAsync<TRequest, TResponse>(
        string operation,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        using var response = await SendAsync(operation, body, requestType, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(stream, responseType, cancellationToken)
            ?? throw new KinesisException("EmptyResponse", $"{operation} answered an empty body.", response.StatusCode);
    }

    /// <summary>Sends a signed call; the successful response (its body unread), or the typed error.</summary>
    private async Task<HttpResponseMessage> SendAsync<TRequest>(
        string operation,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(body, requestType);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Endpoint);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", TargetPrefix + operation);
        request.Content = new ByteArrayContent(payload);
        request.Content.Headers.ContentType = JsonContentType;
        var identity = await credentials.GetCredentialsAsync();
        KinesisRequestSigner.Sign(request, payload, identity, endpoint.Region, time.GetUtcNow());

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            KinesisErrorResponse? error = null;
            try
            {
                error = await response.Content.ReadFromJsonAsync(KinesisJsonContext.Default.KinesisErrorResponse, cancellationToken);
            }
            catch (JsonException)
            {
                // Not a Kinesis error body (a proxy's page, say): the status code is all there is.
            }
            throw KinesisException.From(error?.Type, error?.Message ?? error?.MessageUpperCase, response.StatusCode);
        }
    }
}
