using Platform.Database;

namespace Platform.Ingestion.Tests.Kinesis;

/// <summary>
/// The set-up the consumer tests share: a fresh kinesalite stream, read as source <see cref="Source"/> by ingestion
/// instances on a fresh database and bus prefix.
/// </summary>
public sealed class KinesisSourceRun : IAsyncDisposable
{
    private KinesisSourceRun(KinesisTestStream stream, string source, string database)
    {
        Stream = stream;
        Source = source;
        Database = database;
        Db = new IngestionDatabase(database);
    }

    public KinesisTestStream Stream { get; }

    public string Source { get; }

    public string Database { get; }

    public IngestionDatabase Db { get; }

    public string BusPrefix { get; } = RabbitMqServer.NewEntityPrefix();

    public static async Task<KinesisSourceRun> CreateAsync(PostgresServer postgres, int shardCount, string source)
    {
        var stream = await KinesisTestStream.CreateAsync(shardCount, source);
        return new KinesisSourceRun(stream, source, await postgres.CreateDatabaseAsync("kinesis" + source));
    }

    /// <summary>Starts an ingestion instance that reads the stream as the source.</summary>
    public ServiceHost<RawLogStore> StartInstance(string instanceId) =>
        IngestionHosts.Start(Database, BusPrefix, instanceId, new Dictionary<string, string> { [Source] = Stream.Name });

    /// <summary>Waits until as many events are stored as <paramref name="eventIds"/> holds, then asserts they are those, each stored once.</summary>
    public async Task AssertEachStoredOnceAsync(IReadOnlyCollection<string> eventIds, TimeSpan patience)
    {
        var stored = await Eventually.ObserveAsync(() => Db.StoredEventsAsync(Source), s => s.Count >= eventIds.Count, patience);
        Assert.Equal(eventIds.Order(), stored.Keys.Order());
        Assert.All(stored.Values, copies => Assert.Equal(1, copies));
    }

    /// <summary>Waits until the source's one shard lease is checkpointed at <paramref name="sequenceNumber"/>, then asserts it is.</summary>
    public async Task AssertCheckpointedAtAsync(string sequenceNumber, TimeSpan patience)
    {
        var lease = await Eventually.ObserveAsync(async () => (await Db.LeasesAsync(Source)).SingleOrDefault(),
            l => l?.Checkpoint == sequenceNumber, patience);
        Assert.Equal(sequenceNumber, lease?.Checkpoint);
    }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}

/// <summary>CloudWatch Logs subscription payloads (gzip of a DATA_MESSAGE) of real CloudTrail records, each with a fresh eventID.</summary>
public static class SubscriptionPayloads
{
    private static readonly Lazy<JsonObject[]> CloudTrailRecords = new(SubscriptionMessages.StratusRecords);

    /// <summary>Builds <paramref name="count"/> payloads of <paramref name="eventsPerPayload"/> events; <paramref name="eventIds"/> collects their ids.</summary>
    public static IReadOnlyList<byte[]> CloudTrail(int count, int eventsPerPayload, ICollection<string> eventIds)
    {
        var records = CloudTrailRecords.Value;
        var payloads = new List<byte[]>(count);
        var next = 0;
        for (var p = 0; p < count; p++)
        {
            var logEvents = new List<JsonObject>(eventsPerPayload);
            for (var e = 0; e < eventsPerPayload; e++)
            {
                var record = records[next++ % records.Length].DeepClone().AsObject();
                var eventId = Guid.NewGuid().ToString();
                record["eventID"] = eventId;
                eventIds.Add(eventId);
                logEvents.Add(SubscriptionMessages.LogEvent(
                    $"{DateTime.UtcNow.Ticks}{e:D6}{Random.Shared.Next():D10}", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), record.ToJsonString()));
            }
            payloads.Add(SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(logEvents, "aws-cloudtrail-logs-test")));
        }
        return payloads;
    }
}

/// <summary>The ingestion service booted against real servers, with Kinesis sources and fast lease timings.</summary>
public static class IngestionHosts
{
    public static ServiceHost<RawLogStore> Start(
        string database,
        string busPrefix,
        string instanceId,
        IReadOnlyDictionary<string, string>? sources = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{KinesisOptions.Section}:InstanceId"] = instanceId,
            [$"{KinesisOptions.Section}:LeaseDuration"] = "00:00:02",
            [$"{KinesisOptions.Section}:LeaseRenewInterval"] = "00:00:00.400",
            [$"{KinesisOptions.Section}:ShardSyncInterval"] = "00:00:01",
            [$"{KinesisOptions.Section}:IdleReadInterval"] = "00:00:00.200",
            [$"{KinesisOptions.Section}:InitialBackoff"] = "00:00:00.100",
            [$"{KinesisOptions.Section}:MaxBackoff"] = "00:00:01",
        };
        foreach (var (name, stream) in sources ?? new Dictionary<string, string>())
        {
            settings[$"{KinesisSourceConfiguration.Section}:{name}:StreamName"] = stream;
            settings[$"{KinesisSourceConfiguration.Section}:{name}:Endpoint"] = TestServers.Kinesis.ToString();
            settings[$"{KinesisSourceConfiguration.Section}:{name}:Region"] = "us-east-1";
            settings[$"{KinesisSourceConfiguration.Section}:{name}:StartingPosition"] = "TRIM_HORIZON";
        }
        var host = new ServiceHost<RawLogStore>(PlatformResources.IngestionDb, database, busPrefix, settings, services =>
        {
            services.AddSingleton<AWSCredentials>(KinesisTestStream.Credentials);
            configureServices?.Invoke(services);
        });
        _ = host.Services; // boots it
        return host;
    }
}

/// <summary>What the store and the lease table hold.</summary>
public sealed class IngestionDatabase(string connectionString)
{
    /// <summary>How many times each event id of <paramref name="source"/> is stored.</summary>
    public async Task<IReadOnlyDictionary<string, int>> StoredEventsAsync(string source)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT event_id, count(*)::int FROM log_events WHERE source = $1 GROUP BY event_id", connection)
        {
            Parameters = { new NpgsqlParameter { Value = source } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var stored = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            stored[reader.GetString(0)] = reader.GetInt32(1);
        }
        return stored;
    }

    public async Task<IReadOnlyList<ShardLeaseRow>> LeasesAsync(string source)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        return await new ShardLeaseStore(dataSource).ListAsync(source, CancellationToken.None);
    }

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>Creates only the Kinesis tables (for tests of the consumer without the rest of the service).</summary>
    public static async Task<NpgsqlDataSource> WithKinesisTablesAsync(string connectionString)
    {
        var script = MigrationScript.FromAssembly(typeof(ShardLeaseStore).Assembly, PlatformResources.Ingestion)
            .Single(s => s.Id.EndsWith("0002_kinesis_leases", StringComparison.Ordinal));
        var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(script.Sql);
        await command.ExecuteNonQueryAsync();
        return dataSource;
    }
}
