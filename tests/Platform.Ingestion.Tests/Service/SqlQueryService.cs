namespace Platform.Ingestion.Tests.Service;

/// <summary>
/// An ingestion service of the SQL tests' own (its own database), so the flow logs and CloudTrail events a query reads
/// are exactly the ones these tests ingest and compute their expectations from.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SqlQueryServiceCollection : ICollectionFixture<IngestionService>
{
    public const string Name = "sql queries";
}

/// <summary>Runs SQL through <c>/v1/sql-queries</c> as an analyst would, and provisions event data stores through the broker.</summary>
internal static class SqlQueryClient
{
    public static async Task<HttpResponseMessage> StartAsync(IngestionService service, string statement, string apiKey = IngestionService.AnalystKey)
    {
        using var client = service.Host.CreateClient(apiKey);
        return await client.PostAsJsonAsync("/v1/sql-queries", new { queryStatement = statement });
    }

    /// <summary>Runs <paramref name="statement"/> to its end; the GetQueryResults answer.</summary>
    public static async Task<JsonElement> RunAsync(IngestionService service, string statement)
    {
        using var started = await StartAsync(service, statement);
        var text = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == HttpStatusCode.OK, $"POST /v1/sql-queries: {(int)started.StatusCode} {text}");
        var id = JsonDocument.Parse(text).RootElement.GetProperty("queryId").GetString()!;
        using var client = service.Host.CreateClient(IngestionService.AnalystKey);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var results = JsonDocument.Parse(await client.GetStringAsync($"/v1/sql-queries/{id}")).RootElement;
            var status = results.GetProperty("QueryStatus").GetString();
            if (status is not ("QUEUED" or "RUNNING"))
            {
                Assert.True(status == "FINISHED", $"{status}: {results}");
                return results;
            }
            Assert.True(DateTime.UtcNow < deadline, $"query {id} still {status} after 30 s");
            await Task.Delay(20);
        }
    }

    /// <summary>The result rows, each value in column order (GetQueryResults gives a row as one-column objects).</summary>
    public static async Task<List<string?[]>> RowsAsync(IngestionService service, string statement) =>
        (await RunAsync(service, statement)).GetProperty("QueryResultRows").EnumerateArray()
        .Select(row => row.EnumerateArray().Select(cell => cell.EnumerateObject().Single().Value.GetString()).ToArray())
        .ToList();

    /// <summary>Provisions a store as provisioning would (its event on the real broker) and waits until queries see it.</summary>
    public static async Task ProvisionStoreAsync(IngestionService service, string name, EventDataStoreSpec spec, long version = 1)
    {
        await service.Bus.Publish(new EventDataStoreProvisioned(name, spec, version));
        var status = await Eventually.ObserveAsync(async () =>
        {
            using var response = await StartAsync(service, $"SELECT eventID FROM \"{name}\" LIMIT 1");
            return response.StatusCode;
        }, code => code == HttpStatusCode.OK);
        Assert.True(status == HttpStatusCode.OK, $"store {name} not applied: {status}");
    }
}
