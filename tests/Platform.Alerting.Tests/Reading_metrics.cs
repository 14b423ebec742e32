using static Platform.Alerting.Tests.MetricsTestSupport;

namespace Platform.Alerting.Tests;

/// <summary><c>GET /v1/metrics</c> (ListMetrics) and <c>POST /v1/metrics/data</c> (GetMetricData): filters, pages, order and limits.</summary>
[Collection(AlertingCollection.Name)]
public sealed class Reading_metrics(AlertingHost alerting)
{
    private const string DataPath = "/v1/metrics/data";

    /// <summary>Three series of a namespace of the test's own, <c>Kind</c> a, b and c, with data in two minutes.</summary>
    private async Task<(string Namespace, DateTimeOffset Minute)> ThreeSeriesAsync()
    {
        var (logGroup, ns) = ($"/app/kinds-{Guid.NewGuid():N}", $"Test/Kinds-{Guid.NewGuid():N}");
        await alerting.ProvisionAsync($"kinds-{Guid.NewGuid():N}", new MetricFilterSpec(logGroup, "kinds", "{ $.kind = * }",
            [new MetricTransformationSpec("Events", ns, "1", Dimensions: new Dictionary<string, string> { ["Kind"] = "$.kind" })]));
        var minute = RecentMinute();
        await alerting.IngestAsync(IngestedBatches.Of(
            Event(logGroup, """{"kind":"a"}""", minute), Event(logGroup, """{"kind":"b"}""", minute),
            Event(logGroup, """{"kind":"c"}""", minute), Event(logGroup, """{"kind":"a"}""", minute.AddMinutes(1))));
        return (ns, minute);
    }

    [Fact]
    public async Task Metrics_are_listed_in_pages_filtered_by_namespace_and_dimension()
    {
        var (ns, _) = await ThreeSeriesAsync();
        using var client = alerting.ClientFor(PlatformRoles.Analyst);
        var query = $"/v1/metrics?namespace={Uri.EscapeDataString(ns)}";

        var first = await client.GetFromJsonAsync<Page<MetricView>>(query + "&limit=2", PlatformJson.Options);
        var second = await client.GetFromJsonAsync<Page<MetricView>>(query + $"&limit=2&cursor={first!.NextCursor}", PlatformJson.Options);
        var kindB = await client.GetFromJsonAsync<Page<MetricView>>(query + "&dimension=Kind=b", PlatformJson.Options);
        var anyKind = await client.GetFromJsonAsync<Page<MetricView>>(query + "&metricName=Events&dimension=Kind", PlatformJson.Options);

        Assert.Equal(["a", "b", "c"], first.Items.Concat(second!.Items).Select(m => Assert.Single(m.Dimensions).Value).Order());
        Assert.Null(second.NextCursor);
        Assert.Equal("b", Assert.Single(Assert.Single(kindB!.Items).Dimensions).Value);
        Assert.Equal(3, anyKind!.Items.Count);
    }

    [Fact]
    public async Task A_listed_metric_is_shaped_as_a_query_names_it()
    {
        var (ns, _) = await ThreeSeriesAsync();
        using var client = alerting.ClientFor(PlatformRoles.Analyst);

        var json = JsonDocument.Parse(await client.GetStringAsync($"/v1/metrics?namespace={Uri.EscapeDataString(ns)}&dimension=Kind=a")).RootElement;

        var metric = Assert.Single(json.GetProperty("items").EnumerateArray());
        Assert.Equal(ns, metric.GetProperty("Namespace").GetString());
        Assert.Equal("Events", metric.GetProperty("MetricName").GetString());
        Assert.Equal("Kind", metric.GetProperty("Dimensions")[0].GetProperty("Name").GetString());
    }

    [Fact]
    public async Task Data_comes_newest_first_unless_scanned_ascending()
    {
        var (ns, minute) = await ThreeSeriesAsync();
        using var client = alerting.ClientFor(PlatformRoles.Analyst);
        object Body(string? scanBy) => new
        {
            MetricDataQueries = new[]
            {
                new
                {
                    Id = "a", Label = "kind a",
                    MetricStat = new { Metric = new { Namespace = ns, MetricName = "Events", Dimensions = new[] { new { Name = "Kind", Value = "a" } } }, Period = 60, Stat = "Sum" },
                },
            },
            StartTime = minute, EndTime = minute.AddMinutes(5), ScanBy = scanBy,
        };

        var newestFirst = await ResultAsync(await client.PostAsJsonAsync(DataPath, Body(null)));
        var ascending = await ResultAsync(await client.PostAsJsonAsync(DataPath, Body("TimestampAscending")));

        Assert.Equal([minute.AddMinutes(1), minute], newestFirst.Timestamps);
        Assert.Equal([minute, minute.AddMinutes(1)], ascending.Timestamps);
        Assert.Equal(("a", "kind a", "Complete"), (ascending.Id, ascending.Label, ascending.StatusCode));
    }

    [Fact]
    public async Task Too_many_queries_are_refused_naming_the_field()
    {
        using var client = alerting.ClientFor(PlatformRoles.Analyst);
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var queries = Enumerable.Range(0, MetricsApi.MaxQueries + 1).Select(i => Query($"q{i}", 60, "Sum"));

        var fields = await ProblemFieldsAsync(await client.PostAsJsonAsync(DataPath, new { MetricDataQueries = queries, StartTime = start, EndTime = start.AddMinutes(5) }));

        Assert.Equal("holds 501 queries: 1 to 500", Assert.Single(fields["MetricDataQueries"]));
    }

    [Fact]
    public async Task Too_many_data_points_are_refused_naming_the_field()
    {
        using var client = alerting.ClientFor(PlatformRoles.Analyst);
        var start = DateTimeOffset.UtcNow.AddDays(-71);

        var fields = await ProblemFieldsAsync(await client.PostAsJsonAsync(DataPath, new
        {
            MetricDataQueries = new[] { Query("q", 60, "Sum") }, StartTime = start, EndTime = start.AddDays(71),
        }));

        Assert.Contains("at most 100800", Assert.Single(fields["MetricDataQueries"]));
    }

    [Fact]
    public async Task A_bad_period_statistic_id_and_time_range_are_each_named()
    {
        using var client = alerting.ClientFor(PlatformRoles.Analyst);
        var start = DateTimeOffset.UtcNow;

        var fields = await ProblemFieldsAsync(await client.PostAsJsonAsync(DataPath, new
        {
            MetricDataQueries = new[] { Query("Upper", 30, "p99") }, StartTime = start, EndTime = start.AddMinutes(-1),
        }));

        fields.AssertSingleReasons(
            ("MetricDataQueries[0].MetricStat.Period", "multiple of 60"),
            ("MetricDataQueries[0].MetricStat.Stat", "Sum, Average"),
            ("MetricDataQueries[0].Id", "lowercase"));
        Assert.Equal("must be after StartTime", Assert.Single(fields["EndTime"]));
    }

    [Fact]
    public async Task A_cursor_this_api_did_not_return_is_refused()
    {
        using var client = alerting.ClientFor(PlatformRoles.Analyst);

        var fields = await ProblemFieldsAsync(await client.GetAsync("/v1/metrics?cursor=not-a-cursor"));

        Assert.Single(fields["cursor"]);
    }

    [Fact]
    public async Task No_key_is_401_and_an_ingest_key_is_403()
    {
        using var anonymous = alerting.Host.CreateClient(apiKey: null);
        using var ingest = alerting.ClientFor(PlatformRoles.Ingest);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync("/v1/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.PostAsJsonAsync(DataPath, new { })).StatusCode);
    }

    private static object Query(string id, int period, string stat) => new
    {
        Id = id,
        MetricStat = new { Metric = new { Namespace = "Test/None", MetricName = "None" }, Period = period, Stat = stat },
    };

    private static async Task<MetricDataResult> ResultAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return Assert.Single((await response.Content.ReadFromJsonAsync<GetMetricDataResponse>(PlatformJson.Options))!.MetricDataResults);
    }

    private static async Task<IReadOnlyDictionary<string, string[]>> ProblemFieldsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        return errors.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Select(v => v.GetString()!).ToArray());
    }
}
