using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Platform.Archiver.Tests;

/// <summary>
/// The archiver on real Postgres, RabbitMQ and s3rver (behind the recording proxy), with a bus of the test's own that
/// publishes what ingestion publishes. <see cref="RestartAsync"/> stops the service and starts it again on the same
/// database, as after a crash.
/// </summary>
public sealed class ArchiverHost : IAsyncDisposable
{
    private readonly PostgresServer _postgres;
    private readonly string _database;
    private readonly Dictionary<string, string?> _settings;
    private IBusControl? _bus;

    private ArchiverHost(
        PostgresServer postgres, string busPrefix, S3TestBucket bucket, RecordingS3Proxy proxy, IDictionary<string, string?>? settings, string? database)
    {
        _postgres = postgres;
        BusPrefix = busPrefix;
        Bucket = bucket;
        Proxy = proxy;
        _database = database ?? postgres.NewDatabaseConnectionString("archiver");
        _settings = bucket.ArchiverSettings(proxy.Url);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
        Host = NewHost();
    }

    public string BusPrefix { get; }

    public S3TestBucket Bucket { get; }

    public RecordingS3Proxy Proxy { get; }

    public ServiceHost<ArchiverOptions> Host { get; private set; }

    public HttpClient Admin { get; private set; } = null!;

    /// <summary>Starts the archiver on <paramref name="database"/> (a connection string), or on a new database when null.</summary>
    public static async Task<ArchiverHost> StartAsync(
        PostgresServer postgres, string? busPrefix = null, IDictionary<string, string?>? settings = null, string? database = null)
    {
        var host = new ArchiverHost(postgres, busPrefix ?? RabbitMqServer.NewEntityPrefix(), await S3TestBucket.CreateAsync(),
            await RecordingS3Proxy.StartAsync(), settings, database);
        await host.Host.WaitUntilHealthyAsync();
        host.Admin = host.Host.CreateAdminClient();
        return host;
    }

    private ServiceHost<ArchiverOptions> NewHost() => new(PlatformResources.ArchiverDb, _database, BusPrefix, _settings);

    /// <summary>Stops the service (its in-flight work lost) and starts a new one on the same database and bucket.</summary>
    public async Task RestartAsync()
    {
        Admin.Dispose();
        await Host.DisposeAsync();
        Host = NewHost();
        await Host.WaitUntilHealthyAsync();
        Admin = Host.CreateAdminClient();
    }

    /// <summary>Publishes a batch as ingestion does after storing it.</summary>
    public async Task PublishAsync(LogEventsIngested batch)
    {
        if (_bus is null)
        {
            _bus = RabbitMqServer.CreateBus(BusPrefix);
            await _bus.StartAsync();
        }
        await _bus.Publish(batch);
    }

    /// <summary>Waits until the archiver has buffered <paramref name="count"/> events in all.</summary>
    public async Task WaitForBufferedAsync(int count)
    {
        var buffered = await Eventually.ObserveAsync(async () =>
        {
            await using var command = Host.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT coalesce(sum(events), 0) FROM archive_batches");
            return (long)(await command.ExecuteScalarAsync())!;
        }, n => n >= count);
        Assert.Equal(count, buffered);
    }

    /// <summary>Publishes a batch, waits until <paramref name="bufferedInAll"/> events are buffered, and flushes them to a file.</summary>
    public async Task ArchiveAsync(LogEventsIngested batch, int bufferedInAll)
    {
        await PublishAsync(batch);
        await WaitForBufferedAsync(bufferedInAll);
        await FlushAsync();
    }

    public async Task<JsonElement> FlushAsync()
    {
        using var response = await Admin.PostAsync("/v1/archive/flush", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"flush: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public async Task<JsonElement> ValidateAsync(DateTimeOffset from, DateTimeOffset to)
    {
        using var response = await Admin.PostAsJsonAsync("/v1/archive/validate", new { from, to });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"validate: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public async ValueTask DisposeAsync()
    {
        Admin?.Dispose();
        await Host.DisposeAsync();
        if (_bus is not null)
        {
            await _bus.StopAsync();
        }
        await Proxy.DisposeAsync();
        Bucket.Dispose();
    }
}

/// <summary>Log event batches as ingestion publishes them.</summary>
public static class Batches
{
    /// <summary>Ten minutes into the hour two hours ago: events a minute or two apart stay in one hour's partition.</summary>
    public static DateTimeOffset TwoHoursAgo()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 10, 0, TimeSpan.Zero).AddHours(-2);
    }

    /// <summary>A batch of <paramref name="count"/> CloudTrail CreateAccessKey records at <paramref name="eventTime"/>.</summary>
    public static LogEventsIngested CloudTrail(int count, DateTimeOffset eventTime, string logGroup = "aws-cloudtrail-logs")
    {
        var events = Enumerable.Range(0, count).Select(_ =>
        {
            var record = CloudTrailRecords.CreateAccessKey(Guid.NewGuid().ToString());
            record["eventTime"] = eventTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            return NormalizedCloudTrail.From(record) with { LogGroup = logGroup, EventTime = eventTime };
        }).ToList();
        return IngestedBatches.Of(events);
    }
}

/// <summary>A test class whose every test has an archiver of its own, on a Postgres server of its own.</summary>
public abstract class ArchiverPerTest(IDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();

    protected ArchiverHost Archiver { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Archiver = await ArchiverHost.StartAsync(_postgres, settings: settings);

    public async Task DisposeAsync()
    {
        await Archiver.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
