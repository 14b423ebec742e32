using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.AppHost.Kinesis;
using Platform.Kinesis;

namespace Platform.Faults.Tests;

/// <summary>
/// CloudTrail records put into the platform's <c>security-logs</c> stream at a steady rate, filed under a log group of
/// their own: read-only calls in the Stratus Red Team detonations' real shapes (from ../shared/data), and one in ten a
/// <c>CreateAccessKey</c> by this flow's own principal for one of a few users, which the built-in IAM rule turns into
/// one finding per user and the alerting function receives once each. Every event has a fresh id; the flow remembers
/// what it put, so the checks know what must be stored, found and delivered.
/// </summary>
public sealed class CloudTrailFlow
{
    /// <summary>Events per payload and payloads per second: 200 events/s.</summary>
    private const int EventsPerPayload = 50;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private const int MatchEvery = 10;
    private const int Users = 3;

    private static readonly JsonObject[] s_routine = SubscriptionMessages.StratusRecords()
        .Where(r => r["readOnly"]?.GetValue<bool>() == true && r["errorCode"] is null)
        .ToArray();

    private readonly LocalPlatform _platform;
    private readonly string _name;
    private readonly ConcurrentBag<string> _put = [];
    private readonly ConcurrentDictionary<string, string> _matched = new(); // event id -> user acted on
    private long _made;

    public CloudTrailFlow(LocalPlatform platform, string name)
    {
        _platform = platform;
        _name = name;
    }

    public string LogGroup => "faults/" + _name;

    public string Principal => $"arn:aws:iam::123456789012:user/faults-{_name}";

    public int PutCount => _put.Count;

    /// <summary>Puts payloads every 250 ms until <paramref name="stop"/> fires.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await PutOnceAsync();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>One payload of <see cref="EventsPerPayload"/> events, into the shard its partition key picks.</summary>
    public async Task PutOnceAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var events = new List<JsonObject>(EventsPerPayload);
        var ids = new List<string>(EventsPerPayload);
        for (var i = 0; i < EventsPerPayload; i++)
        {
            var n = Interlocked.Increment(ref _made);
            var id = Guid.NewGuid().ToString();
            JsonObject record;
            if (n % MatchEvery == 0)
            {
                var user = $"user-{n / MatchEvery % Users}";
                record = CloudTrailRecords.CreateAccessKey(id);
                record["userIdentity"]!["arn"] = Principal;
                record["requestParameters"]!["userName"] = user;
                _matched[id] = user;
            }
            else
            {
                record = s_routine[n % s_routine.Length].DeepClone().AsObject();
                record["userIdentity"] = new JsonObject { ["type"] = "IAMUser", ["arn"] = $"{Principal}-routine", ["accountId"] = "123456789012" };
            }
            record["eventID"] = id;
            record["eventTime"] = now.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            events.Add(SubscriptionMessages.LogEvent(n.ToString("D20", CultureInfo.InvariantCulture), now.ToUnixTimeMilliseconds(), record.ToJsonString()));
            ids.Add(id);
        }

        var data = SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(events, LogGroup));
        var response = await _platform.Kinesis.PutRecordsAsync(KinesisStreams.SecurityLogs,
            [new PutRecordsRequestEntry(data, $"{_name}-{_made}")], CancellationToken.None);
        Assert.Equal(0, response.FailedRecordCount ?? 0);
        foreach (var id in ids)
        {
            _put.Add(id);
        }
    }

    /// <summary>How many of this flow's events the raw store holds (counting a duplicate twice).</summary>
    public async Task<long> StoredCountAsync()
    {
        await using var connection = _platform.Database(PlatformResources.IngestionDb);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM log_events WHERE log_group = @group", connection);
        count.Parameters.AddWithValue("group", LogGroup);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>The event ids the raw store holds more than once, and those it lacks.</summary>
    public async Task<(string[] Duplicated, string[] Missing)> StoreDifferencesAsync()
    {
        await using var connection = _platform.Database(PlatformResources.IngestionDb);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT event_id, count(*) FROM log_events WHERE log_group = @group GROUP BY event_id", connection);
        query.Parameters.AddWithValue("group", LogGroup);
        var stored = new Dictionary<string, long>();
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        return ([.. stored.Where(s => s.Value > 1).Select(s => s.Key)], [.. _put.Where(id => !stored.ContainsKey(id))]);
    }

    /// <summary>How many of its events each user's finding should count, one finding per user.</summary>
    public Dictionary<string, long> ExpectedOccurrences() =>
        _matched.Values.GroupBy(user => user).ToDictionary(g => g.Key, g => (long)g.Count());

    /// <summary>Every rule finding of this flow's principal: its rule, the user it acted on, and its occurrence count.</summary>
    public async Task<List<(string Rule, string User, long Occurrences)>> FindingsAsync()
    {
        await using var connection = _platform.Database(PlatformResources.DetectionDb);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT rule_id, fingerprint, occurrences FROM findings WHERE principal = @principal", connection);
        query.Parameters.AddWithValue("principal", Principal);
        var findings = new List<(string, string, long)>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // rule, rule key, account, principal, resource: the resource is the user acted on.
            findings.Add((reader.GetString(0), reader.GetString(1).Split('\u001f')[^1], reader.GetInt64(2)));
        }
        return findings;
    }

    public IReadOnlyCollection<string> MatchedIds => (IReadOnlyCollection<string>)_matched.Keys;

    /// <summary>The ids of this flow's events the alerting function received, once per delivery.</summary>
    public List<string> DeliveredIds() => [.. Received().Select(r => r.EventId)];

    /// <summary>What the alerting function received of this flow's events: the event's id and the idempotency key sent with it.</summary>
    public List<(string EventId, string IdempotencyKey)> Received() =>
        [.. _platform.Deliveries.Received
            .Select(r => (Id: (string?)JsonNode.Parse(r.Body)?["detail"]?["eventID"], Key: r.Headers.GetValueOrDefault("Idempotency-Key") ?? ""))
            .Where(r => r.Id is not null && _matched.ContainsKey(r.Id))
            .Select(r => (r.Id!, r.Key))];

    /// <summary>
    /// This flow's deliveries that alerting knows may have reached the function more than once, by event id: an attempt
    /// taken over from a sender that died before recording it, or more than one attempt (one whose answer did not come
    /// back may have arrived); with what the row says (attempts, takeovers, each attempt's error or status).
    /// </summary>
    public async Task<Dictionary<string, string>> DeliveriesInDoubtAsync()
    {
        await using var connection = _platform.Database(PlatformResources.AlertingDb);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            """
            SELECT d.idempotency_key, d.attempts, d.taken_over,
                   coalesce(string_agg(a.number || ': ' || coalesce(a.error, a.status_code::text, ''), '; ' ORDER BY a.number), '')
            FROM deliveries d LEFT JOIN delivery_attempts a ON a.delivery_id = d.id
            WHERE d.attempts > 1 OR d.taken_over > 0
            GROUP BY d.id
            """, connection);
        var inDoubt = new Dictionary<string, string>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // event-rule:<rule>:<target>:<event id>
            var id = reader.GetString(0).Split(':')[^1];
            if (_matched.ContainsKey(id))
            {
                inDoubt[id] = $"{reader.GetInt32(1)} attempts, {reader.GetInt32(2)} taken over ({reader.GetString(3)})";
            }
        }
        return inDoubt;
    }
}
