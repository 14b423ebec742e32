using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.Ingestion.Tests.Service;

/// <summary>An ingestion service of the saved-query tests' own, so every query reads exactly the events these tests ingest.</summary>
[CollectionDefinition(Name)]
public sealed class SavedQueryServiceCollection : ICollectionFixture<IngestionService>
{
    public const string Name = "saved queries";
}

/// <summary>
/// Saved queries (kind <c>saved-queries</c>, applied live from the broker): the seed stack's six queries as written, run by
/// name over the Stratus Red Team CloudTrail samples (moved into the last day) and flow logs, each answering what the
/// same query started directly answers and the seed's failed-attempts query what the samples say; unknown names and
/// roles.
/// </summary>
[Collection(SavedQueryServiceCollection.Name)]
public sealed class Running_saved_queries(IngestionService service) : IAsyncLifetime
{
    private static readonly Regex Failed = new("Unauthorized|AccessDenied", RegexOptions.NonBacktracking);

    /// <summary>The seed stack's saved queries (services/Platform.Provisioning/Stacks/seed.yaml; its test checks the texts are these).</summary>
    private static readonly Dictionary<string, SavedQuerySpec> Seed = new()
    {
        ["failed-attempts-by-principal"] = new(SeedQueries.FailedAttempts, [SeedQueries.InsightsLogGroup], SavedQueryLanguages.LogsInsights),
        ["recent-security-events"] = new(SeedQueries.Dashboard, Language: SavedQueryLanguages.LogsInsights),
        ["failed-calls-by-event-name"] = new(SeedQueries.SeedLake, Language: SavedQueryLanguages.Sql),
        ["top-rejected-connections"] = new(SeedQueries.TopRejected, Language: SavedQueryLanguages.Sql),
        ["port-scanners"] = new(SeedQueries.PortScanners, Language: SavedQueryLanguages.Sql),
        ["unusual-outbound-traffic"] = new(SeedQueries.Outbound, Language: SavedQueryLanguages.Sql),
    };

    private static readonly DateTimeOffset Recent = DateTimeOffset.UtcNow.AddDays(-1);

    /// <summary>The samples, each moved into the last day (inside the default week and the seed store's year) with an id of its own.</summary>
    private static readonly JsonObject[] Records = SubscriptionMessages.StratusRecords().Select((record, i) =>
    {
        record["eventID"] = Guid.NewGuid().ToString();
        record["eventTime"] = Recent.AddSeconds(i).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return record;
    }).ToArray();

    public async Task InitializeAsync()
    {
        await SqlQueryClient.ProvisionStoreAsync(service, "security-events", new EventDataStoreSpec("security-events", 365, true));
        foreach (var (name, spec) in Seed)
        {
            await service.Bus.Publish(new SavedQueryProvisioned(name, spec, 1));
        }
        var listed = await Eventually.ObserveAsync(ListedNamesAsync, names => Seed.Keys.All(names.Contains));
        Assert.Subset(listed, Seed.Keys.ToHashSet());
        if ((await SqlQueryClient.RowsAsync(service, "SELECT COUNT(*) FROM vpc_flow_logs"))[0][0] != "0")
        {
            return;
        }

        var logEvents = Records.Select(r => SubscriptionMessages.LogEvent(
            Guid.NewGuid().ToString("N"), DateTimeOffset.Parse(r["eventTime"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), r.ToJsonString()));
        var counts = await service.IngestAsync("/v1/ingest/cloudwatch-logs", SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(logEvents, SeedQueries.InsightsLogGroup)));
        Assert.Equal(Records.Length, counts.Accepted);
        await service.IngestAsync("/v1/ingest/vpc-flow-logs?logGroup=flows-sample", Samples.Read("vpc-flow-logs", "vpcflowlog.log.gz"));
        var start = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        // A scanner (150 ports rejected) and outbound traffic, so every flow-log query has rows to answer.
        var lines = Enumerable.Range(1, 150).Select(port => $"2 123456789012 eni-0a1b2c3d 203.0.113.7 10.0.0.5 40000 {port} 6 3 40 {start + port} {start + port + 60} REJECT OK")
            .Append($"2 123456789012 eni-0a1b2c3d 10.0.1.10 52.94.0.1 44000 443 6 3 5000 {start} {start + 60} ACCEPT OK");
        await service.IngestAsync("/v1/ingest/vpc-flow-logs?logGroup=flows-scanner", Encoding.UTF8.GetBytes(string.Join('\n', lines)));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_seed_stacks_queries_run_by_name_and_answer_as_the_same_query_started_directly()
    {
        foreach (var (name, spec) in Seed)
        {
            var saved = await RunSavedAsync(name, spec.Language!);
            var direct = spec.Language == SavedQueryLanguages.Sql
                ? await SqlQueryClient.RowsAsync(service, spec.QueryString!)
                : InsightsRows(await InsightsQueryRunner.RunAsync(service.Admin, new
                {
                    queryString = spec.QueryString, logGroupNames = spec.LogGroupNames, startTime = 0, endTime = InsightsQueryRunner.AllTimeEnd,
                }));

            Assert.True(saved.Count > 0, $"{name} answered no rows");
            Assert.Equal(direct.Select(r => string.Join('|', r)), saved.Select(r => string.Join('|', r)));
        }
    }

    [Fact]
    public async Task The_seeds_failed_attempts_query_answers_what_the_samples_say()
    {
        var byPrincipal = Records
            .Where(r => r["errorCode"]?.GetValue<string>() is { } code && Failed.IsMatch(code))
            .GroupBy(r => r["userIdentity"]?["arn"]?.GetValue<string>() ?? "")
            .ToDictionary(g => g.Key, g => g.Count());

        var rows = await RunSavedAsync("failed-attempts-by-principal", SavedQueryLanguages.LogsInsights);

        Assert.Equal(byPrincipal.Values.OrderDescending().Take(10).Select(c => c.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r[^1]));
        Assert.All(rows, row => Assert.Equal(byPrincipal[row.Length == 2 ? row[0]! : ""].ToString(CultureInfo.InvariantCulture), row[^1]));
    }

    [Fact]
    public async Task A_time_range_given_to_the_run_replaces_the_default_week()
    {
        using var admin = service.Host.CreateAdminClient();
        var before = Recent.AddDays(-30).ToUnixTimeSeconds();

        using var response = await admin.PostAsJsonAsync("/v1/saved-queries/failed-attempts-by-principal/run", new { startTime = before - 3600, endTime = before });

        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("queryId").GetString()!;
        Assert.Empty(InsightsRows(await InsightsQueryRunner.WaitAsync(admin, id)));
    }

    [Fact]
    public async Task A_time_range_given_to_a_sql_query_is_refused_naming_it()
    {
        using var admin = service.Host.CreateAdminClient();

        using var response = await admin.PostAsJsonAsync("/v1/saved-queries/port-scanners/run", new { startTime = 0 });

        await IngestionService.AssertProblemNamesAsync(response, "startTime");
    }

    [Fact]
    public async Task An_unknown_name_is_not_found()
    {
        using var admin = service.Host.CreateAdminClient();

        using var response = await admin.PostAsync("/v1/saved-queries/no-such-query/run", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no-such-query", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_analyst_may_list_and_run_them_and_the_ingest_role_may_not()
    {
        using var analyst = service.Host.CreateClient(IngestionService.AnalystKey);
        using var ingest = service.Host.CreateClient(IngestionService.IngestKey);

        using var analystRun = await analyst.PostAsync("/v1/saved-queries/port-scanners/run", null);
        using var ingestRun = await ingest.PostAsync("/v1/saved-queries/port-scanners/run", null);
        using var ingestList = await ingest.GetAsync("/v1/saved-queries");

        Assert.Equal(HttpStatusCode.OK, analystRun.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, ingestRun.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, ingestList.StatusCode);
    }

    [Fact]
    public async Task The_list_shows_each_query_as_saved()
    {
        var listed = await service.GetJsonAsync("/v1/saved-queries");

        var scanners = listed.EnumerateArray().Single(q => q.GetProperty("name").GetString() == "port-scanners");
        Assert.Equal(SavedQueryLanguages.Sql, scanners.GetProperty("language").GetString());
        Assert.Equal(SeedQueries.PortScanners, scanners.GetProperty("queryString").GetString());
    }

    private async Task<HashSet<string>> ListedNamesAsync() =>
        (await service.GetJsonAsync("/v1/saved-queries")).EnumerateArray().Select(q => q.GetProperty("name").GetString()!).ToHashSet();

    /// <summary>Runs a saved query by name as an analyst, polls it where its language's API answers, and returns its rows.</summary>
    private async Task<List<string?[]>> RunSavedAsync(string name, string language)
    {
        using var analyst = service.Host.CreateClient(IngestionService.AnalystKey);
        using var response = await analyst.PostAsync($"/v1/saved-queries/{name}/run", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"run {name}: {(int)response.StatusCode} {text}");
        var id = JsonDocument.Parse(text).RootElement.GetProperty("queryId").GetString()!;
        if (language == SavedQueryLanguages.LogsInsights)
        {
            return InsightsRows(await InsightsQueryRunner.WaitAsync(analyst, id));
        }
        var results = await Eventually.ObserveAsync(
            async () => JsonDocument.Parse(await analyst.GetStringAsync($"/v1/sql-queries/{id}")).RootElement,
            r => r.GetProperty("QueryStatus").GetString() is not ("QUEUED" or "RUNNING"));
        Assert.True(results.GetProperty("QueryStatus").GetString() == "FINISHED", $"{name}: {results}");
        return results.GetProperty("QueryResultRows").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(cell => cell.EnumerateObject().Single().Value.GetString()).ToArray())
            .ToList();
    }

    /// <summary>A Logs Insights run's rows, each its values in order without <c>@ptr</c> (which names the run's own rows).</summary>
    private static List<string?[]> InsightsRows(JsonElement run) =>
        [.. InsightsQueryRunner.Rows(run).Select(row => row.Where(f => f.Key != "@ptr").Select(f => (string?)f.Value).ToArray())];
}
