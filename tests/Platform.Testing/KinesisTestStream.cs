using Amazon.Runtime;
using Platform.Kinesis;

namespace Platform.Testing;

/// <summary>A fresh kinesalite stream, deleted afterwards (kinesalite limits the shards alive at once).</summary>
public sealed class KinesisTestStream : IAsyncDisposable
{
    public static readonly AWSCredentials Credentials = new BasicAWSCredentials("test-access-key", "test-secret-key");

    private KinesisTestStream(string name, KinesisClient client)
    {
        Name = name;
        Client = client;
    }

    public string Name { get; }

    public KinesisClient Client { get; }

    public static KinesisClient NewClient(HttpMessageHandler? handler = null) =>
        new(new HttpClient(handler ?? new SocketsHttpHandler()), new KinesisEndpoint(TestServers.Kinesis, "us-east-1"), Credentials, TimeProvider.System);

    public static async Task<KinesisTestStream> CreateAsync(int shardCount, string purpose)
    {
        var name = $"{purpose}-{Guid.NewGuid():N}";
        var client = NewClient();
        await client.CreateStreamAsync(name, shardCount, CancellationToken.None);
        await client.WaitUntilActiveAsync(name, TimeSpan.FromSeconds(20), CancellationToken.None);
        return new KinesisTestStream(name, client);
    }

    public async ValueTask DisposeAsync() => await Client.DeleteStreamAsync(Name, CancellationToken.None);

    /// <summary>Puts each payload as one record, in order, into the shard owning <paramref name="hashKey"/>.</summary>
    public async Task<IReadOnlyList<string>> PutAsync(IEnumerable<byte[]> payloads, string hashKey = "0")
    {
        var sequenceNumbers = new List<string>();
        foreach (var chunk in payloads.Chunk(100))
        {
            var response = await Client.PutRecordsAsync(Name,
                chunk.Select(data => new PutRecordsRequestEntry(data, "key", hashKey)).ToArray(), CancellationToken.None);
            Assert.Equal(0, response.FailedRecordCount ?? 0);
            sequenceNumbers.AddRange(response.Records.Select(r => r.SequenceNumber!));
        }
        return sequenceNumbers;
    }

    /// <summary>The hash key in the middle of the key space: the boundary of a two-shard stream.</summary>
    public const string UpperHalfHashKey = "170141183460469231731687303715884105728";
}
