using System.Globalization;

namespace Platform.Ingestion.Tests.Service;

/// <summary>
/// CloudTrail Lake SQL over event data stores: the seed's query as written, and a conformance table of queries, each
/// answer checked against the same CloudTrail records (Stratus Red Team's, and a copy of them moved into 2026)
/// computed here with LINQ.
/// </summary>
[Collection(SqlQueryServiceCollection.Name)]
public sealed class Querying_event_data_stores(IngestionService service) : IAsyncLifetime
{
    private const string AllEvents = "lake-all";

    /// <summary>How far the copy is moved: into the seed store's year of retention.</summary>
    private static readonly TimeSpan Shift = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero) - new DateTimeOffset(2024, 7, 30, 0, 0, 0, TimeSpan.Zero);

    private static readonly List<JsonElement> Originals = Directory.GetFiles(SharedData.StratusDirectory, "*.json")
        .SelectMany(file => JsonDocument.Parse(File.ReadAllBytes(file)).RootElement.EnumerateArray().Select(r => r.Clone()))
        .ToList();

    private static readonly List<JsonElement> Copies = Originals.Select(record =>
    {
        var node = JsonNode.Parse(record.GetRawText())!.AsObject();
        node["eventID"] = "copy-" + record.GetProperty("eventID").GetString();
        node["eventTime"] = (record.GetProperty("eventTime").GetDateTimeOffset() + Shift).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();
    }).ToList();

    private static readonly List<JsonElement> All = [.. Originals, .. Copies];

    public async Task InitializeAsync()
    {
        await SqlQueryClient.ProvisionStoreAsync(service, AllEvents, new EventDataStoreSpec(RetentionPeriod: 3653));
        await SqlQueryClient.ProvisionStoreAsync(service, "security-events", new EventDataStoreSpec("security-events", 365, true));
        if ((await SqlQueryClient.RowsAsync(service, $"SELECT COUNT(*) FROM {AllEvents}"))[0][0] != "0")
        {
            return;
        }
        foreach (var file in Directory.GetFiles(SharedData.StratusDirectory, "*.json"))
        {
            await service.IngestAsync("/v1/ingest/cloudtrail", File.ReadAllBytes(file));
        }
        var copies = new JsonObject { ["Records"] = new JsonArray([.. Copies.Select(c => JsonNode.Parse(c.GetRawText()))]) };
        var counts = await service.IngestAsync("/v1/ingest/cloudtrail", Encoding.UTF8.GetBytes(copies.ToJsonString()));
        Assert.Equal(Copies.Count, counts.Accepted);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A field as the API shows it: text, numbers and booleans as written, null when absent or null.</summary>
    private static string? Field(JsonElement record, params string[] path)
    {
        var value = record;
        foreach (var name in path)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
            {
                return null;
            }
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => value.GetRawText(),
        };
    }

    private static DateTimeOffset Time(JsonElement record) => record.GetProperty("eventTime").GetDateTimeOffset();

    private static string Shown(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static bool IsManagement(JsonElement record) =>
        (Field(record, "eventCategory") ?? (Field(record, "managementEvent") == "false" ? "Data" : "Management")) == "Management";

    private static string N(int count) => count.ToString(CultureInfo.InvariantCulture);

    /// <summary>The conformance table: a query over the store of every management event, and its answer computed here.</summary>
    public static TheoryData<string, Func<IEnumerable<JsonElement>, IEnumerable<string?[]>>> Conformance => new()
    {
        { "SELECT eventName, COUNT(*) AS n FROM {store} GROUP BY eventName",
            rs => rs.GroupBy(r => Field(r, "eventName")).Select(g => new[] { g.Key, N(g.Count()) }) },
        { "SELECT eventSource, COUNT(DISTINCT eventName) FROM {store} GROUP BY 1",
            rs => rs.GroupBy(r => Field(r, "eventSource")).Select(g => new[] { g.Key, N(g.Select(r => Field(r, "eventName")).Distinct().Count()) }) },
        { "SELECT eventID, eventName FROM {store} WHERE errorCode IS NULL AND readOnly = false AND eventTime < '2025-01-01'",
            rs => rs.Where(r => Field(r, "errorCode") is null && Field(r, "readOnly") == "false" && Time(r) < new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
                .Select(r => new[] { Field(r, "eventID"), Field(r, "eventName") }) },
        { "SELECT userIdentity.arn, COUNT(*) FROM {store} WHERE userIdentity.arn LIKE '%:user/%' GROUP BY userIdentity.arn",
            rs => rs.Where(r => Field(r, "userIdentity", "arn")?.Contains(":user/", StringComparison.Ordinal) == true)
                .GroupBy(r => Field(r, "userIdentity", "arn")).Select(g => new[] { g.Key, N(g.Count()) }) },
        { "SELECT eventID FROM {store} WHERE eventName IN ('CreateUser', 'GetSecretValue', 'AttachUserPolicy') AND NOT (errorCode IS NOT NULL)",
            rs => rs.Where(r => Field(r, "eventName") is "CreateUser" or "GetSecretValue" or "AttachUserPolicy" && Field(r, "errorCode") is null)
                .Select(r => new[] { Field(r, "eventID") }) },
        { "SELECT element_at(requestParameters, 'userName') AS u, count(*) FROM {store} WHERE eventSource = 'iam.amazonaws.com' AND element_at(requestParameters, 'userName') IS NOT NULL GROUP BY 1 HAVING count(*) >= 2",
            rs => rs.Where(r => Field(r, "eventSource") == "iam.amazonaws.com" && Field(r, "requestParameters", "userName") is not null)
                .GroupBy(r => Field(r, "requestParameters", "userName")).Where(g => g.Count() >= 2).Select(g => new[] { g.Key, N(g.Count()) }) },
        { "SELECT min(eventTime), max(eventTime), count(*) FROM {store} WHERE eventTime BETWEEN '2024-08-01' AND '2024-09-30 23:59:59'",
            rs => [rs.Where(r => Time(r) >= new DateTimeOffset(2024, 8, 1, 0, 0, 0, TimeSpan.Zero) && Time(r) <= new DateTimeOffset(2024, 9, 30, 23, 59, 59, TimeSpan.Zero))
                .ToList() is var inRange ? [Shown(inRange.Min(Time)), Shown(inRange.Max(Time)), N(inRange.Count)] : []] },
        { "SELECT awsRegion, errorCode, COUNT(*) FROM {store} WHERE errorCode IS NOT NULL AND awsRegion <> 'us-east-1' GROUP BY awsRegion, errorCode",
            rs => rs.Where(r => Field(r, "errorCode") is not null && Field(r, "awsRegion") is { } region && region != "us-east-1")
                .GroupBy(r => (Field(r, "awsRegion"), Field(r, "errorCode"))).Select(g => new[] { g.Key.Item1, g.Key.Item2, N(g.Count()) }) },
        { "SELECT eventName FROM {store} WHERE userAgent NOT LIKE '%stratus%' OR userAgent IS NULL",
            rs => rs.Where(r => Field(r, "userAgent") is not { } agent || !agent.Contains("stratus", StringComparison.Ordinal)).Select(r => new[] { Field(r, "eventName") }) },
        { "SELECT count(*) FROM {store} WHERE tlsDetails.tlsVersion = 'TLSv1.3' AND eventTime >= TIMESTAMP '2026-01-01 00:00:00'",
            rs => [[N(rs.Count(r => Field(r, "tlsDetails", "tlsVersion") == "TLSv1.3" && Time(r) >= new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)))]] },
        { "SELECT eventType, managementEvent, count(*) FROM {store} GROUP BY eventType, managementEvent",
            rs => rs.GroupBy(r => (Field(r, "eventType"), Field(r, "managementEvent"))).Select(g => new[] { g.Key.Item1, g.Key.Item2, N(g.Count()) }) },
        { "SELECT count(*) * 2 + 1 FROM {store} WHERE readOnly",
            rs => [[N(rs.Count(r => Field(r, "readOnly") == "true") * 2 + 1)]] },
        { "SELECT userIdentity.type, userIdentity.sessionContext.sessionIssuer.userName, count(*) FROM {store} GROUP BY 1, 2",
            rs => rs.GroupBy(r => (Field(r, "userIdentity", "type"), Field(r, "userIdentity", "sessionContext", "sessionIssuer", "userName")))
                .Select(g => new[] { g.Key.Item1, g.Key.Item2, N(g.Count()) }) },
        { "SELECT recipientAccountId, eventVersion FROM {store} WHERE eventName LIKE 'Create%' AND awsRegion IN ('us-east-1', 'ap-isob-central-3r')",
            rs => rs.Where(r => Field(r, "eventName")?.StartsWith("Create", StringComparison.Ordinal) == true && Field(r, "awsRegion") is "us-east-1" or "ap-isob-central-3r")
                .Select(r => new[] { Field(r, "recipientAccountId"), Field(r, "eventVersion") }) },
    };

    [Theory]
    [MemberData(nameof(Conformance))]
    public async Task A_query_answers_what_the_events_say(string query, Func<IEnumerable<JsonElement>, IEnumerable<string?[]>> expected)
    {
        var rows = await SqlQueryClient.RowsAsync(service, query.Replace("{store}", AllEvents, StringComparison.Ordinal));

        static string Key(string?[] row) => string.Join('\u0001', row.Select(v => v ?? "\u0000"));
        Assert.Equal(expected(All.Where(IsManagement)).Select(Key).Order(StringComparer.Ordinal), rows.Select(Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_seeds_lake_query_counts_failed_calls_by_name_within_the_stores_year()
    {
        var results = await SqlQueryClient.RunAsync(service, SeedQueries.SeedLake);

        // The store keeps 365 days: only the copy moved into 2026 is in it (the originals, from 2024, are before 2025-01-01 too).
        var expected = All.Where(IsManagement)
            .Where(r => Time(r) > new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) && Time(r) >= DateTimeOffset.UtcNow.AddDays(-365) && Field(r, "errorCode") is not null)
            .GroupBy(r => Field(r, "eventName"))
            .Select(g => (Key: new[] { g.Key! }, Value: (decimal)g.Count()))
            .ToList();
        Assert.NotEmpty(expected);
        var rows = results.GetProperty("QueryResultRows").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(cell => cell.EnumerateObject().Single()).ToArray()).ToList();
        Assert.All(rows, row => Assert.Equal(["eventName", "count"], row.Select(c => c.Name)));
        RankedResults.AssertTop(rows.Select(r => r.Select(c => c.Value.GetString()).ToArray()).ToList(), expected, limit: 10);
        var statistics = results.GetProperty("QueryStatistics");
        Assert.Equal(rows.Count, statistics.GetProperty("ResultsCount").GetInt32());
        Assert.True(statistics.GetProperty("BytesScanned").GetInt64() > 0);
    }

    [Fact]
    public async Task A_stores_selectors_and_retention_decide_which_events_it_holds()
    {
        var name = "iam-writes-" + Guid.NewGuid().ToString("N")[..8];
        await SqlQueryClient.ProvisionStoreAsync(service, name, new EventDataStoreSpec(RetentionPeriod: 3653, AdvancedEventSelectors:
        [
            new AdvancedEventSelector("IAM writes", [
                new AdvancedFieldSelector("eventCategory", EqualTo: ["Management"]),
                new AdvancedFieldSelector("eventSource", EqualTo: ["iam.amazonaws.com"]),
                new AdvancedFieldSelector("readOnly", EqualTo: ["false"]),
                new AdvancedFieldSelector("eventName", NotStartsWith: ["Delete"]),
            ]),
        ]));

        var rows = await SqlQueryClient.RowsAsync(service, $"SELECT eventName, count(*) FROM {name} GROUP BY eventName");

        var expected = All.Where(r => IsManagement(r) && Field(r, "eventSource") == "iam.amazonaws.com" && Field(r, "readOnly") == "false"
                                      && !Field(r, "eventName")!.StartsWith("Delete", StringComparison.Ordinal))
            .GroupBy(r => Field(r, "eventName")).Select(g => $"{g.Key}={g.Count()}").Order(StringComparer.Ordinal);
        Assert.Equal(expected, rows.Select(r => $"{r[0]}={r[1]}").Order(StringComparer.Ordinal));
        Assert.NotEmpty(rows);

        // A second version with a week's retention holds none of these events, all older than that.
        await service.Bus.Publish(new EventDataStoreProvisioned(name, new EventDataStoreSpec(RetentionPeriod: 7), 2));
        var counted = await Eventually.ObserveAsync(() => SqlQueryClient.RowsAsync(service, $"SELECT count(*) FROM {name}"), r => r[0][0] == "0");
        Assert.Equal("0", counted[0][0]);

        // Deleted: the name no longer resolves, and the answer says so.
        await service.Bus.Publish(new EventDataStoreDeleted(name, 3));
        var refused = await Eventually.ObserveAsync(async () =>
        {
            using var response = await SqlQueryClient.StartAsync(service, $"SELECT count(*) FROM {name}");
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }, r => r.StatusCode == HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("no event data store or table is named", refused.Item2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_is_queried_by_its_id_or_its_arn_too()
    {
        var id = Platform.SqlQueries.EventDataStores.IdOf(AllEvents);

        var byId = await SqlQueryClient.RowsAsync(service, $"SELECT count(*) FROM {id}");
        var byArn = await SqlQueryClient.RowsAsync(service, $"SELECT count(*) FROM arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/{id}");

        Assert.Equal(N(All.Count(IsManagement)), byId[0][0]);
        Assert.Equal(byId, byArn);
    }
}
